package io.sightline.logql.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.logql.syntax.Expr;
import io.sightline.logql.syntax.LogSelectorExpr;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.Parser;
import io.sightline.logql.syntax.SampleExpr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code pipeline-cases.txt}: a query, a stream, a line (and optionally structured metadata and a timestamp),
 * and what Loki's pipeline makes of it: the output line and labels, the sample of a metric query, a dropped line, or
 * the stage error.
 */
class PipelineSuiteTest {
  record Case(int line, Map<String, String> fields) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    try (InputStream in = PipelineSuiteTest.class.getResourceAsStream("/io/sightline/logql/pipeline-cases.txt")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      Map<String, String> current = new LinkedHashMap<>();
      Map<String, String> carried = new LinkedHashMap<>();
      int start = 0;
      for (int i = 0; i <= lines.length; i++) {
        String l = i < lines.length ? lines[i] : "";
        if (l.startsWith("#")) {
          continue;
        }
        if (l.isBlank()) {
          if (!current.isEmpty()) {
            Map<String, String> f = new LinkedHashMap<>(carried);
            f.putAll(current);
            carried.put("query", f.get("query"));
            carried.put("stream", f.getOrDefault("stream", "{}"));
            out.add(new Case(start, f));
            current = new LinkedHashMap<>();
          }
          continue;
        }
        if (current.isEmpty()) {
          start = i + 1;
        }
        int colon = l.indexOf(": ");
        String key = colon < 0 ? l.replace(":", "") : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 2);
        current.merge(key, value, (a, b) -> a + "\n" + b);
      }
    }
    return out;
  }

  static Labels labels(String text) throws ParseException {
    if (text.equals("{}")) {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    for (LabelMatcher m : Parser.parseMatchers(text, false)) {
      b.set(m.name(), m.value());
    }
    return b.build();
  }

  @TestFactory
  Stream<DynamicTest> suite() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
    return cases.stream().map(c -> DynamicTest.dynamicTest("line " + c.line() + ": " + c.fields().get("query"),
        () -> run(c.fields())));
  }

  private static void run(Map<String, String> f) throws Exception {
    String query = f.get("query");
    // The sample of the outermost vector aggregation over a range aggregation; nested ones are the engine's.
    Labels stream = labels(f.getOrDefault("stream", "{}"));
    Labels meta = f.containsKey("meta") ? labels(f.get("meta")) : null;
    long ts = Long.parseLong(f.getOrDefault("ts", "0"));
    byte[] line = f.getOrDefault("line", "").replace("\\n", "\n").replace("\\e", "\u001b")
        .getBytes(StandardCharsets.UTF_8);
    Expr e;
    try {
      e = Parser.parseExpr(query);
      if (e instanceof LogSelectorExpr l) {
        Pipeline p = Pipeline.compile(l);
        StreamPipeline sp = p.forStream(stream);
        boolean kept = sp.process(ts, line, meta);
        assertThat(f).doesNotContainKey("error");
        if (f.get("out").equals("<dropped>")) {
          assertThat(kept).as("dropped").isFalse();
          return;
        }
        assertThat(kept).as("kept").isTrue();
        assertThat(sp.lineString()).isEqualTo(f.get("out").replace("\\n", "\n"));
        assertThat(sp.labels().toString()).isEqualTo(f.get("labels"));
        if (f.containsKey("parsed")) {
          assertThat(new LabelsResult(sp.labels().parsed(), sp.labels().parsed(), new String[0], new String[0])
              .toString()).isEqualTo(f.get("parsed"));
        }
      } else {
        SampleExpr s = (SampleExpr) e;
        SampleExpr.VectorAggregationExpr outer = null;
        while (s instanceof SampleExpr.VectorAggregationExpr v) {
          outer = v;
          s = v.left();
        }
        SampleExtractor ex = outer != null ? SampleExtractor.compile(outer)
            : SampleExtractor.compile((SampleExpr.RangeAggregationExpr) s);
        var se = ex.forStream(stream);
        boolean kept = se.process(ts, line, meta);
        assertThat(f).doesNotContainKey("error");
        if (f.get("sample").equals("<none>")) {
          assertThat(kept).as("no sample").isFalse();
          return;
        }
        assertThat(kept).as("sample").isTrue();
        assertThat(io.sightline.core.model.GoFormat.plain(se.value())).isEqualTo(f.get("sample"));
        assertThat(se.labels().toString()).isEqualTo(f.get("labels"));
      }
    } catch (ParseException x) {
      assertThat(x.getMessage()).isEqualTo(f.get("error"));
    }
  }
}
