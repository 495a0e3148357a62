package io.sightline.promql.promqltest;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.promql.functions.HistogramArithmetic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code load_with_nhcb}: the classic histograms of a load ({@code _bucket} series with {@code le}, {@code _count},
 * {@code _sum}) converted, per timestamp, into native histograms with custom buckets named by the base name, as
 * Prometheus' {@code convertnhcb} does. A timestamp whose buckets are not cumulative, or whose count disagrees with
 * the {@code +Inf} bucket, gives no histogram.
 */
final class Nhcb {
  private Nhcb() {}

  private static final class Temp {
    final TreeMap<Double, Double> buckets = new TreeMap<>();
    Double count;
    double sum;
  }

  static Map<Labels, TreeMap<Long, Histogram>> convert(TestScript.Load load) {
    Map<Labels, TreeMap<Long, Temp>> temps = new HashMap<>();
    for (SeriesDescription s : load.series()) {
      String name = s.labels().metricName();
      String kind = name.endsWith("_bucket") ? "bucket" : name.endsWith("_count") ? "count"
          : name.endsWith("_sum") ? "sum" : null;
      if (kind == null) {
        continue;
      }
      String base = name.substring(0, name.lastIndexOf('_'));
      double le = Double.NaN;
      if (kind.equals("bucket")) {
        try {
          le = SeriesDescription.number(s.labels().get("le"));
        } catch (RuntimeException e) {
          continue;
        }
        if (Double.isNaN(le)) {
          continue;
        }
      }
      Labels key = s.labels().toBuilder().set(Labels.METRIC_NAME, base).delete("le").build();
      TreeMap<Long, Temp> byTime = temps.computeIfAbsent(key, k -> new TreeMap<>());
      long t = 0;
      for (SeriesDescription.Value v : s.values()) {
        if (!v.omitted() && v.histogram() == null) {
          Temp temp = byTime.computeIfAbsent(t, k -> new Temp());
          switch (kind) {
            case "bucket" -> temp.buckets.put(le, v.value());
            case "count" -> temp.count = v.value();
            default -> temp.sum = v.value();
          }
        }
        t += load.intervalMs();
      }
    }
    Map<Labels, TreeMap<Long, Histogram>> out = new HashMap<>();
    temps.forEach((labels, byTime) -> byTime.forEach((t, temp) -> {
      Histogram h = histogram(temp);
      if (h != null) {
        out.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, h);
      }
    }));
    return out;
  }

  private static Histogram histogram(Temp temp) {
    List<double[]> buckets = new ArrayList<>();
    double previous = Double.NEGATIVE_INFINITY;
    for (Map.Entry<Double, Double> b : temp.buckets.entrySet()) {
      if (b.getValue() < 0 || b.getValue() < previous) {
        return null; // negative or not cumulative
      }
      previous = b.getValue();
      buckets.add(new double[] {b.getKey(), b.getValue()});
    }
    double count = temp.count != null ? temp.count : buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1)[1];
    if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[0] != Double.POSITIVE_INFINITY) {
      buckets.add(new double[] {Double.POSITIVE_INFINITY, count});
    }
    if (count != buckets.get(buckets.size() - 1)[1]) {
      return null;
    }
    double[] custom = new double[buckets.size() - 1];
    double[] counts = new double[buckets.size()];
    double before = 0;
    for (int i = 0; i < buckets.size(); i++) {
      counts[i] = buckets.get(i)[1] - before;
      before = buckets.get(i)[1];
      if (i < custom.length) {
        custom[i] = buckets.get(i)[0];
      }
    }
    Histogram h = new Histogram(Histogram.ResetHint.UNKNOWN, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, count, temp.sum,
        List.of(new Histogram.Span(0, counts.length)), counts, List.of(), new double[0], custom);
    return HistogramArithmetic.scale(h, 1); // drops the empty buckets, as Prometheus' Compact(0)
  }
}
