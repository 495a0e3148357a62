package io.sightline.promql.promqltest;

import io.sightline.core.model.Histogram;
import java.util.List;
import java.util.TreeMap;

/**
 * Native histograms compared as Prometheus' runner compares them after {@code Compact(0)}: schema, count, sum, zero
 * bucket, custom bounds and the non-empty buckets by index, counts within a relative 1e-6; the reset hint only when
 * the expectation states one.
 */
final class HistogramComparison {
  private HistogramComparison() {}

  static boolean equal(Histogram exp, Histogram cur, boolean resetHintSet) {
    if (exp.schema() != cur.schema() || !ScriptRunner.almostEqual(exp.count(), cur.count())
        || !ScriptRunner.almostEqual(exp.sum(), cur.sum())) {
      return false;
    }
    if (exp.usesCustomBuckets()) {
      if (exp.customValueCount() != cur.customValueCount()) {
        return false;
      }
      for (int i = 0; i < exp.customValueCount(); i++) {
        if (exp.customValue(i) != cur.customValue(i)) {
          return false;
        }
      }
    }
    if (exp.zeroThreshold() != cur.zeroThreshold() || !ScriptRunner.almostEqual(exp.zeroCount(), cur.zeroCount())) {
      return false;
    }
    if (!buckets(exp.positiveSpans(), exp::positiveCount, cur.positiveSpans(), cur::positiveCount)
        || !buckets(exp.negativeSpans(), exp::negativeCount, cur.negativeSpans(), cur::negativeCount)) {
      return false;
    }
    return !resetHintSet || exp.resetHint() == cur.resetHint();
  }

  private static boolean buckets(List<Histogram.Span> a, java.util.function.IntToDoubleFunction ca,
      List<Histogram.Span> b, java.util.function.IntToDoubleFunction cb) {
    TreeMap<Integer, Double> x = nonEmpty(a, ca);
    TreeMap<Integer, Double> y = nonEmpty(b, cb);
    if (!x.keySet().equals(y.keySet())) {
      return false;
    }
    for (var e : x.entrySet()) {
      if (!ScriptRunner.almostEqual(e.getValue(), y.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static TreeMap<Integer, Double> nonEmpty(List<Histogram.Span> spans,
      java.util.function.IntToDoubleFunction count) {
    TreeMap<Integer, Double> out = new TreeMap<>();
    int index = 0;
    int at = 0;
    for (Histogram.Span s : spans) {
      index += s.offset();
      for (int j = 0; j < s.length(); j++, index++, at++) {
        double c = count.applyAsDouble(at);
        if (c != 0) {
          out.put(index, c);
        }
      }
    }
    return out;
  }
}
