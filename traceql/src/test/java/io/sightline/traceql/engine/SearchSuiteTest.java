package io.sightline.traceql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.traceql.syntax.TraceQLException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code traceql/search.test} against {@link TestTraces}. A case is {@code eval [spss=N] [limit=N] <query>}
 * followed by indented lines, one per spanset in result order: {@code t05: a b c}, with {@code /N} when the spanset
 * matched more spans than it returns; {@code none} when nothing matches, {@code error: <message>} when the search
 * fails. Without {@code spss} every matched span is listed.
 */
class SearchSuiteTest {
  private static final Path FILE = Path.of("src/test/resources/traceql/search.test");
  private static final TestTraces DATA = new TestTraces();

  record Case(int line, String query, int spss, int limit, List<String> expected) {}

  @TestFactory
  Stream<DynamicTest> suite() throws IOException {
    List<Case> cases = read(Files.readAllLines(FILE, StandardCharsets.UTF_8));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
    return cases.stream().map(c -> DynamicTest.dynamicTest("line " + c.line() + ": " + c.query(),
        () -> assertThat(run(c)).as(c.query()).containsExactlyElementsOf(c.expected())));
  }

  static List<Case> read(List<String> lines) {
    List<Case> cases = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (!line.startsWith("eval ")) {
        continue;
      }
      String rest = line.substring(5).trim();
      int spss = 1000;
      int limit = 0;
      while (rest.matches("^(spss|limit)=\\d+ .*")) {
        int sp = rest.indexOf(' ');
        String[] kv = rest.substring(0, sp).split("=");
        if (kv[0].equals("spss")) {
          spss = Integer.parseInt(kv[1]);
        } else {
          limit = Integer.parseInt(kv[1]);
        }
        rest = rest.substring(sp + 1).trim();
      }
      List<String> expected = new ArrayList<>();
      while (n + 1 < lines.size() && lines.get(n + 1).startsWith("  ")) {
        expected.add(lines.get(++n).trim());
      }
      cases.add(new Case(n + 1, rest, spss, limit, expected));
    }
    return cases;
  }

  static List<String> run(Case c) {
    List<String> out = new ArrayList<>();
    try {
      Search search = Search.compile(c.query());
      SearchResponse r = search.search(DATA.traces, new SearchRequest(c.limit(), c.spss(), 0, 0));
      for (TraceResult t : r.traces()) {
        for (SpanSetResult ss : t.spanSets()) {
          StringBuilder b = new StringBuilder(DATA.traceLabels.get(t.traceId())).append(':');
          for (SpanResult s : ss.spans()) {
            b.append(' ').append(DATA.spanLabels.get(s.spanId()));
          }
          if (ss.matched() != ss.spans().size()) {
            b.append(" /").append(ss.matched());
          }
          out.add(b.toString());
        }
      }
      if (out.isEmpty()) {
        out.add("none");
      }
    } catch (TraceQLException | EvaluationException e) {
      out.add("error: " + e.getMessage());
    }
    return out;
  }

  /** Rewrites the expectations from what the engine returns; run by hand, then review the diff line by line. */
  public static void main(String[] args) throws IOException {
    List<String> lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.startsWith("  ")) {
        continue;
      }
      out.add(line);
      if (line.startsWith("eval ")) {
        Case c = read(List.of(line)).getFirst();
        for (String s : run(c)) {
          out.add("  " + s);
        }
      }
    }
    Files.write(FILE, out, StandardCharsets.UTF_8);
  }
}
