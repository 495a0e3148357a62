package io.sightline.promql.promqltest;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.promql.engine.Engine;
import io.sightline.promql.functions.AlmostEqual;
import io.sightline.promql.engine.Matrix;
import io.sightline.promql.engine.QueryException;
import io.sightline.promql.engine.QueryResult;
import io.sightline.promql.engine.Sample;
import io.sightline.promql.engine.Value;
import io.sightline.promql.engine.Vector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a {@link TestScript} against the engine and judges each eval as Prometheus' {@code test.go} does: the same
 * series, values equal within a relative 1e-6, the expected failures and annotations; an instant query is also run
 * as a range query around its time, which must agree.
 */
final class ScriptRunner {
  /** One eval's verdict; {@code reason} is null when it passed. */
  record Verdict(int line, String expr, String reason) {}

  private final Engine engine;
  private final MemoryStorage storage = new MemoryStorage();

  ScriptRunner(Engine engine) {
    this.engine = engine;
  }

  List<Verdict> run(TestScript script) {
    List<Verdict> verdicts = new ArrayList<>();
    for (TestScript.Command c : script.commands) {
      switch (c) {
        case TestScript.Clear clear -> storage.clear();
        case TestScript.Load load -> load(load);
        case TestScript.Eval eval -> {
          String reason;
          try {
            reason = eval.instant ? instant(eval) : range(eval);
          } catch (RuntimeException | StackOverflowError e) {
            reason = "engine threw " + e;
          }
          verdicts.add(new Verdict(eval.line, eval.expr, reason));
        }
      }
    }
    return verdicts;
  }

  private void load(TestScript.Load load) {
    if (load.withNhcb()) {
      Nhcb.convert(load).forEach((labels, points) -> points.forEach((t, h) -> storage.add(labels, t, h)));
    }
    for (SeriesDescription s : load.series()) {
      long t = 0;
      for (SeriesDescription.Value v : s.values()) {
        if (!v.omitted()) {
          if (v.histogram() != null) {
            storage.add(s.labels(), t, v.histogram());
          } else {
            storage.add(s.labels(), t, v.value());
          }
        }
        t += load.intervalMs();
      }
    }
  }

  private String range(TestScript.Eval e) {
    QueryResult r;
    try {
      r = engine.range(storage, e.expr, e.start, e.end, e.step);
    } catch (QueryException x) {
      return e.isFail() ? checkFailure(e, x.getMessage()) : "unexpected error: " + x.getMessage();
    }
    if (e.isFail()) {
      return "expected an error, got none";
    }
    String a = annotations(e, r);
    return a != null ? a : compare(e, r.value(), e.start, e.end, e.step);
  }

  private String instant(TestScript.Eval e) {
    QueryResult r;
    try {
      r = engine.instant(storage, e.expr, e.time);
    } catch (QueryException x) {
      return e.isFail() ? checkFailure(e, x.getMessage()) : "unexpected error: " + x.getMessage();
    }
    if (e.isFail()) {
      return "expected an error, got none";
    }
    String a = annotations(e, r);
    if (a != null) {
      return a;
    }
    String c = compare(e, r.value(), e.excludeFromRangeQuery ? e.start : e.time,
        e.excludeFromRangeQuery ? e.end : e.time, e.excludeFromRangeQuery ? e.step : 1);
    if (c != null || e.excludeFromRangeQuery || e.isOrdered() || r.value() instanceof Value.StringValue
        || r.value() instanceof Matrix) {
      return c;
    }
    // As Prometheus' runner does: the same query as a range query around the instant must agree with it.
    QueryResult ranged;
    try {
      ranged = engine.range(storage, e.expr, e.time - 60_000, e.time + 60_000, 60_000);
    } catch (QueryException x) {
      return "range mode: unexpected error: " + x.getMessage();
    }
    List<Sample> samples = new ArrayList<>();
    for (Matrix.Series s : ((Matrix) ranged.value()).series()) {
      for (int i = 0; i < s.count(); i++) {
        if (s.timestamps()[i] == e.time) {
          samples.add(new Sample(s.labels(), e.time, s.values()[i], s.histogram(i)));
        }
      }
    }
    Value asInstant = r.value() instanceof Value.Scalar
        ? new Value.Scalar(e.time, samples.isEmpty() ? Double.NaN : samples.get(0).value()) : new Vector(samples);
    String inRange = compare(e, asInstant, e.time, e.time, 1);
    return inRange == null ? null : "range mode: " + inRange;
  }

  private static String checkFailure(TestScript.Eval e, String message) {
    if (e.failMessage != null && !e.failMessage.equals(message)) {
      return "expected error \"" + e.failMessage + "\", got \"" + message + "\"";
    }
    if (e.failRegexp != null && !e.failRegexp.matcher(message).find()) {
      return "expected error matching " + e.failRegexp + ", got \"" + message + "\"";
    }
    List<TestScript.Expect> fail = e.expects.get(TestScript.ExpectType.FAIL);
    if (fail != null && !fail.isEmpty() && !fail.get(0).matches(message)) {
      return "expected error " + fail.get(0) + ", got \"" + message + "\"";
    }
    return null;
  }

  private static String annotations(TestScript.Eval e, QueryResult r) {
    if (e.warn && r.warnings().isEmpty()) {
      return "expected warnings, got none";
    }
    if (e.info && r.infos().isEmpty()) {
      return "expected infos, got none";
    }
    String w = expected(e.expects.get(TestScript.ExpectType.WARN), r.warnings(), "warn");
    if (w != null) {
      return w;
    }
    String i = expected(e.expects.get(TestScript.ExpectType.INFO), r.infos(), "info");
    if (i != null) {
      return i;
    }
    if (e.expects.containsKey(TestScript.ExpectType.NO_WARN) && !r.warnings().isEmpty()) {
      return "unexpected warnings " + r.warnings();
    }
    if (e.expects.containsKey(TestScript.ExpectType.NO_INFO) && !r.infos().isEmpty()) {
      return "unexpected infos " + r.infos();
    }
    return null;
  }

  private static String expected(List<TestScript.Expect> expects, List<String> actual, String type) {
    if (expects == null || expects.isEmpty()) {
      return null;
    }
    if (actual.isEmpty()) {
      return "expected " + type + " annotations, got none";
    }
    for (TestScript.Expect x : expects) {
      if (actual.stream().noneMatch(x::matches)) {
        return "expected a " + type + " annotation " + x + ", got " + actual;
      }
    }
    for (String a : actual) {
      if (expects.stream().noneMatch(x -> x.matches(a))) {
        return "unexpected " + type + " annotation \"" + a + "\"";
      }
    }
    return null;
  }

  private static String compare(TestScript.Eval e, Value value, long start, long end, long step) {
    return switch (value) {
      case Value.StringValue s -> e.expectedString != null && e.expectedString.equals(s.value()) ? null
          : "expected string " + e.expectedString + ", got \"" + s.value() + "\"";
      case Value.Scalar s -> {
        if (!e.expectScalar) {
          yield "expected a vector or matrix, got scalar " + s.value();
        }
        yield almostEqual(e.scalar, s.value()) ? null : "expected scalar " + e.scalar + ", got " + s.value();
      }
      case Vector v -> compareVector(e, v);
      case Matrix m -> compareMatrix(e, m, start, end, step);
    };
  }

  private static String compareVector(TestScript.Eval e, Vector v) {
    if (e.expectScalar) {
      return "expected a scalar, got a vector of " + v.samples().size();
    }
    Set<Labels> seen = new HashSet<>();
    int position = 0;
    for (Sample s : v.samples()) {
      position++;
      TestScript.Expected exp = e.expected.get(s.labels());
      if (exp == null) {
        return "unexpected series " + s.labels() + " = " + (s.histogram() != null ? s.histogram() : s.value());
      }
      if (!seen.add(s.labels())) {
        return "series " + s.labels() + " twice in the result";
      }
      if (e.isOrdered() && exp.position() != position) {
        return "expected " + s.labels() + " at position " + exp.position() + ", was at " + position;
      }
      SeriesDescription.Value x = exp.values().get(0);
      String d = compareValue(x, s.value(), s.histogram());
      if (d != null) {
        return s.labels() + ": " + d;
      }
    }
    for (Labels l : e.expected.keySet()) {
      if (!seen.contains(l)) {
        return "expected series " + l + " not in the result (" + v.samples().size() + " series)";
      }
    }
    return null;
  }

  private static String compareMatrix(TestScript.Eval e, Matrix m, long start, long end, long step) {
    if (e.isOrdered()) {
      return "expected an ordered result, got a matrix";
    }
    if (e.expectScalar) {
      return "expected a scalar, got a matrix";
    }
    Labels previous = null;
    Set<Labels> seen = new HashSet<>();
    for (Matrix.Series s : m.series()) {
      if (previous != null && previous.compareTo(s.labels()) >= 0) {
        return "matrix not sorted by labels at " + s.labels();
      }
      previous = s.labels();
      TestScript.Expected exp = e.expected.get(s.labels());
      if (exp == null) {
        return "unexpected series " + s.labels() + " with " + s.count() + " points";
      }
      seen.add(s.labels());
      Map<Long, SeriesDescription.Value> expectedPoints = new TreeMap<>();
      for (int i = 0; i < exp.values().size(); i++) {
        long t = start + i * step;
        if (t > end) {
          return "expected " + exp.values().size() + " points for " + s.labels() + ", more than the range holds";
        }
        if (!exp.values().get(i).omitted()) {
          expectedPoints.put(t, exp.values().get(i));
        }
      }
      if (expectedPoints.size() != s.count()) {
        return s.labels() + ": expected " + expectedPoints.size() + " points, got " + s.count() + " "
            + points(s);
      }
      int i = 0;
      for (Map.Entry<Long, SeriesDescription.Value> p : expectedPoints.entrySet()) {
        if (s.timestamps()[i] != p.getKey()) {
          return s.labels() + ": expected a point at " + p.getKey() + ", got " + points(s);
        }
        String d = compareValue(p.getValue(), s.values()[i], s.histogram(i));
        if (d != null) {
          return s.labels() + " at " + p.getKey() + ": " + d;
        }
        i++;
      }
    }
    for (Labels l : e.expected.keySet()) {
      if (!seen.contains(l)) {
        return "expected series " + l + " not in the result (" + m.series().size() + " series)";
      }
    }
    return null;
  }

  private static String points(Matrix.Series s) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < Math.min(s.count(), 12); i++) {
      sb.append(i == 0 ? "" : " ").append(s.timestamps()[i]).append(':')
          .append(s.histogram(i) != null ? "H" : Double.toString(s.values()[i]));
    }
    return sb.append(s.count() > 12 ? " …]" : "]").toString();
  }

  private static String compareValue(SeriesDescription.Value expected, double value, Histogram histogram) {
    if (expected.histogram() == null) {
      if (histogram != null) {
        return "expected " + expected.value() + ", got a histogram " + histogram;
      }
      return almostEqual(expected.value(), value) ? null : "expected " + expected.value() + ", got " + value;
    }
    if (histogram == null) {
      return "expected a histogram, got " + value;
    }
    return HistogramComparison.equal(expected.histogram(), histogram, expected.resetHintSet()) ? null
        : "expected " + expected.histogram() + ", got " + histogram;
  }

  /** Prometheus' runner compares with a relative tolerance of 1e-6. */
  static boolean almostEqual(double a, double b) {
    return AlmostEqual.equal(a, b, 1e-6);
  }
}
