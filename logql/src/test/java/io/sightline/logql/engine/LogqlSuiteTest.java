package io.sightline.logql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logql.engine.LogqlResult.Entry;
import io.sightline.logql.engine.LogqlResult.Point;
import io.sightline.logql.engine.LogqlResult.Sample;
import io.sightline.logql.engine.LogqlResult.Series;
import io.sightline.logql.engine.LogqlResult.Stream;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.Parser;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.LogStoreConfig;
import io.sightline.logstore.SelectRequest.Direction;
import io.sightline.logstore.db.LogDb;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code engine-cases.txt}: {@code load} blocks of streams and lines, put into a store through the SPI's
 * {@link LogAppender}, and {@code eval} blocks of a query with the result Loki gives (series, samples, streams or
 * Loki's error with its status). The expected results were worked out by hand from Loki's semantics. The store
 * comes from {@link #FACTORY}: the real LogDb in a temp directory, with retention off (the cases' times are near
 * 1970); {@code MemoryLogStore} can stand in for it when a store change is being debugged.
 */
class LogqlSuiteTest {
  /** Opens an empty store in a fresh directory. */
  interface StoreFactory {
    LogStore open(Path dir) throws IOException;
  }

  static StoreFactory FACTORY = dir -> LogDb.open(dir, LogStoreConfig.builder().retention(Duration.ZERO).build());

  @TempDir
  static Path tmp;

  private static final List<LogStore> OPEN = new ArrayList<>();

  record Case(int line, String header, List<String> body, LogStore store) {}

  @TestFactory
  java.util.stream.Stream<DynamicTest> suite() throws IOException {
    List<Case> cases = cases();
    return cases.stream().map(c -> DynamicTest.dynamicTest("line " + c.line() + ": " + c.header(),
        () -> run(c)));
  }

  @org.junit.jupiter.api.Test
  void suiteHasEnoughCases() throws IOException {
    assertThat(text().lines().filter(l -> l.startsWith("eval ")).count()).isGreaterThanOrEqualTo(150);
  }

  @AfterAll
  static void closeStores() throws IOException {
    for (LogStore s : OPEN) {
      s.close();
    }
  }

  private static String text() throws IOException {
    try (InputStream in = LogqlSuiteTest.class.getResourceAsStream("/io/sightline/logql/engine-cases.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static List<Case> cases() throws IOException {
    String[] lines = text().split("\n", -1);
    List<Case> out = new ArrayList<>();
    LogStore store = null;
    int i = 0;
    int storeNo = 0;
    while (i < lines.length) {
      String l = lines[i];
      if (l.isBlank() || l.startsWith("#")) {
        i++;
        continue;
      }
      int start = i + 1;
      String header = l;
      List<String> body = new ArrayList<>();
      i++;
      while (i < lines.length && lines[i].startsWith(" ")) {
        body.add(lines[i]);
        i++;
      }
      if (header.equals("load")) {
        store = FACTORY.open(tmp.resolve("store" + storeNo++));
        OPEN.add(store);
        load(store, body);
      } else if (header.startsWith("eval ")) {
        out.add(new Case(start, header, body, store));
      } else {
        throw new IllegalStateException("line " + start + ": unknown block " + header);
      }
    }
    return out;
  }

  /** {@code  {labels}} then {@code    <seconds> <line> [## {metadata}]}. */
  private static void load(LogStore store, List<String> body) throws IOException {
    LogAppender app = store.appender();
    Labels stream = null;
    List<LogEntry> entries = new ArrayList<>();
    for (String b : body) {
      String t = b.strip();
      if (!b.startsWith("    ")) {
        if (stream != null) {
          append(app, stream, entries);
        }
        stream = labels(t);
        entries = new ArrayList<>();
        continue;
      }
      int sp = t.indexOf(' ');
      long ts = nanos(t.substring(0, sp));
      String line = t.substring(sp + 1);
      Labels meta = Labels.EMPTY;
      int hash = line.lastIndexOf(" ## {");
      if (hash >= 0) {
        meta = labels(line.substring(hash + 4));
        line = line.substring(0, hash);
      }
      entries.add(new LogEntry(ts, unescape(line), meta));
    }
    if (stream != null) {
      append(app, stream, entries);
    }
    app.commit();
  }

  private static void append(LogAppender app, Labels stream, List<LogEntry> entries) {
    try {
      app.append(stream, entries);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Labels labels(String text) {
    if (text.equals("{}")) {
      return Labels.EMPTY;
    }
    try {
      Labels.Builder b = Labels.builder();
      for (LabelMatcher m : Parser.parseMatchers(text, false)) {
        b.set(m.name(), m.value());
      }
      return b.build();
    } catch (ParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static long nanos(String seconds) {
    return new BigDecimal(seconds).movePointRight(9).longValueExact();
  }

  static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\e", "\u001b").replace("\\t", "\t");
  }

  private static void run(Case c) throws Exception {
    // eval <kind> <params...>: <query>
    int colon = c.header().indexOf(": ");
    String[] params = c.header().substring(5, colon).trim().split(" +");
    String query = c.header().substring(colon + 2);
    Map<String, String> opts = new LinkedHashMap<>();
    Direction dir = Direction.BACKWARD;
    int limit = 100;
    long interval = 0;
    List<String> positional = new ArrayList<>();
    for (String p : params) {
      if (p.equals("forward")) {
        dir = Direction.FORWARD;
      } else if (p.equals("backward")) {
        dir = Direction.BACKWARD;
      } else if (p.startsWith("limit=")) {
        limit = Integer.parseInt(p.substring(6));
      } else if (p.startsWith("interval=")) {
        interval = nanos(p.substring(9));
      } else if (p.contains("=")) {
        opts.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
      } else {
        positional.add(p);
      }
    }
    EngineLimits limits = EngineLimits.defaults();
    if (opts.containsKey("max_series")) {
      limits = new EngineLimits(limits.maxEntriesLimitPerQuery(), Integer.parseInt(opts.get("max_series")),
          limits.maxQueryLength(), limits.queryTimeout(), limits.maxPointsPerSeries(), limits.maxQueryRange());
    }
    if (opts.containsKey("max_range")) {
      limits = new EngineLimits(limits.maxEntriesLimitPerQuery(), limits.maxQuerySeries(), limits.maxQueryLength(),
          limits.queryTimeout(), limits.maxPointsPerSeries(), java.time.Duration.ofNanos(nanos(opts.get("max_range"))));
    }
    LogqlEngine engine = new LogqlEngine(limits);
    String kind = positional.get(0);
    LogqlResult result;
    try {
      result = switch (kind) {
        case "instant" -> engine.instant(c.store().querier(), query, nanos(positional.get(1)), dir, limit,
            () -> false);
        case "range", "logs" -> engine.range(c.store().querier(), query, nanos(positional.get(1)),
            nanos(positional.get(2)), kind.equals("logs") ? defaultStep(positional) : nanos(positional.get(3)),
            interval, dir, limit, () -> false);
        default -> throw new IllegalStateException(kind);
      };
    } catch (ParseException | QueryException e) {
      int status = e instanceof QueryException q ? q.status() : 400;
      String got = "error " + status + " " + e.getMessage().replace("\n", "\\n");
      assertThat(got).isEqualTo(c.body().isEmpty() ? "<no error>" : c.body().get(0).strip());
      return;
    }
    List<String> expected = c.body().stream().map(String::strip).toList();
    if (!expected.isEmpty() && expected.get(0).startsWith("error ")) {
      fail("expected " + expected.get(0) + " but got " + describe(result));
    }
    switch (result) {
      case LogqlResult.Scalar s -> {
        assertThat(expected).hasSize(1);
        assertThat(expected.get(0)).startsWith("scalar ");
        assertValue(expected.get(0).substring(7), s.value(), expected.get(0));
      }
      case LogqlResult.Vector v -> {
        List<String> got = new ArrayList<>();
        for (Sample s : v.samples()) {
          got.add(LabelStrings.of(s.metric()) + " " + fmt(s.value()));
        }
        compareLines(expected, got, true);
        for (Sample s : v.samples()) {
          assertThat(s.timestampMillis()).isEqualTo(nanos(positional.get(1)) / 1_000_000);
        }
      }
      case LogqlResult.Matrix m -> {
        List<String> got = new ArrayList<>();
        for (Series s : m.series()) {
          StringBuilder b = new StringBuilder(LabelStrings.of(s.metric()));
          for (Point p : s.points()) {
            b.append(' ').append(BigDecimal.valueOf(p.timestampMillis()).movePointLeft(3).stripTrailingZeros()
                .toPlainString()).append(':').append(fmt(p.value()));
          }
          got.add(b.toString());
        }
        compareLines(expected, got, true);
      }
      case LogqlResult.Streams s -> {
        List<String> got = new ArrayList<>();
        for (Stream st : s.streams()) {
          got.add(LabelStrings.of(st.labels()));
          for (Entry e : st.entries()) {
            got.add((BigDecimal.valueOf(e.timestampNanos()).movePointLeft(9).stripTrailingZeros().toPlainString()
                + " " + e.line().replace("\n", "\\n").replace("\u001b", "\\e").replace("\t", "\\t")).stripTrailing());
          }
        }
        compareLines(expected, got, false);
      }
    }
  }

  /** Loki's {@code defaultQueryRangeStep}: a 250th of the range in whole seconds, at least one second. */
  private static long defaultStep(List<String> positional) {
    long range = nanos(positional.get(2)) - nanos(positional.get(1));
    return Math.max(1, range / 250 / 1_000_000_000L) * 1_000_000_000L;
  }

  private static String describe(LogqlResult r) {
    return r.toString();
  }

  private static String fmt(double v) {
    return io.sightline.core.model.GoFormat.plain(v);
  }

  /** Lines equal, except numbers after the labels (or after {@code ts:}) compare to 1e-9 relative. */
  private static void compareLines(List<String> expected, List<String> got, boolean numeric) {
    if (!numeric || expected.size() != got.size()) {
      assertThat(String.join("\n", got)).isEqualTo(String.join("\n", expected));
      return;
    }
    for (int i = 0; i < expected.size(); i++) {
      String e = expected.get(i);
      String g = got.get(i);
      int eb = e.lastIndexOf('}');
      int gb = g.lastIndexOf('}');
      if (eb < 0 || gb < 0 || !e.substring(0, eb).equals(g.substring(0, gb))) {
        assertThat(String.join("\n", got)).isEqualTo(String.join("\n", expected));
      }
      String[] ev = e.substring(eb + 1).trim().split(" +");
      String[] gv = g.substring(gb + 1).trim().split(" +");
      if (ev.length != gv.length) {
        assertThat(String.join("\n", got)).isEqualTo(String.join("\n", expected));
      }
      for (int j = 0; j < ev.length; j++) {
        String[] ep = ev[j].split(":");
        String[] gp = gv[j].split(":");
        if (ep.length != gp.length || ep.length == 2 && new BigDecimal(ep[0]).compareTo(new BigDecimal(gp[0])) != 0
            || !close(ep[ep.length - 1], Double.parseDouble(gp[gp.length - 1]))) {
          assertThat(String.join("\n", got)).isEqualTo(String.join("\n", expected));
        }
      }
    }
  }

  private static void assertValue(String expected, double got, String line) {
    assertThat(close(expected, got)).as(line + " got " + fmt(got)).isTrue();
  }

  private static boolean close(String expected, double got) {
    double e = switch (expected) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(expected);
    };
    if (Double.isNaN(e) || Double.isInfinite(e)) {
      return Double.compare(e, got) == 0;
    }
    return Math.abs(e - got) <= 1e-9 * Math.max(1, Math.abs(e));
  }
}
