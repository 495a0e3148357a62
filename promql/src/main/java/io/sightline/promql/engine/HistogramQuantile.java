package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.promql.functions.ClassicBuckets;
import io.sightline.promql.functions.NativeHistograms;
import io.sightline.promql.parser.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} at one step: native histogram samples each give a result;
 * classic {@code _bucket} samples are grouped by their labels without {@code le} (the name still part of the key, so
 * that two histograms never mix) and give one result per group, named by neither.
 */
final class HistogramQuantile {
  private HistogramQuantile() {}

  /** The classic buckets of one group. */
  private static final class Buckets {
    final Labels labels;
    final String metricName;
    double[] bounds = new double[16];
    double[] counts = new double[16];
    int n;

    Buckets(Labels labels, String metricName) {
      this.labels = labels;
      this.metricName = metricName;
    }

    void add(double bound, double count) {
      if (n == bounds.length) {
        bounds = java.util.Arrays.copyOf(bounds, n * 2);
        counts = java.util.Arrays.copyOf(counts, n * 2);
      }
      bounds[n] = bound;
      counts[n++] = count;
    }
  }

  private interface PerGroup {
    double classic(Buckets b, ClassicBuckets.Notes notes);

    double nativeHistogram(Histogram h, String metricName);
  }

  static List<Steps> quantile(Evaluator ev, List<Expr> args) throws QueryException {
    double[] q = quantileArgument(ev, args.get(0));
    return ev.stepwise(args.subList(1, 2), (t, a) -> at(ev, a.get(0), q[(int) ((t - ev.start) / ev.interval)]));
  }

  /**
   * {@code histogram_quantiles(v, "label", q1, q2, …)}: several quantiles at once, each result labelled with its
   * quantile in OpenMetrics' float notation.
   */
  static List<Steps> quantiles(Evaluator ev, List<Expr> args) throws QueryException {
    String label = FunctionCalls.string(args.get(1));
    List<double[]> qs = new java.util.ArrayList<>();
    for (Expr e : args.subList(2, args.size())) {
      qs.add(quantileArgument(ev, e));
    }
    return ev.stepwise(args.subList(0, 1), (t, a) -> {
      int step = (int) ((t - ev.start) / ev.interval);
      List<El> out = new ArrayList<>();
      for (double[] q : qs) {
        String value = openMetricsFloat(q[step]);
        for (El e : at(ev, a.get(0), q[step])) {
          out.add(e.withLabels(e.labels().toBuilder().set(label, value).build()));
        }
      }
      return out;
    });
  }

  private static double[] quantileArgument(Evaluator ev, Expr e) throws QueryException {
    double[] q = ev.scalarPerStep(e);
    for (double v : q) {
      if (Double.isNaN(v) || v < 0 || v > 1) {
        ev.annotations.warn("quantile value should be between 0 and 1, got " + Go.g(v));
      }
    }
    return q;
  }

  /** OpenMetrics' float text: whole numbers keep a ".0", as in {@code quantile="1.0"}. */
  static String openMetricsFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    String s = Aggregations.formatValue(v);
    return v == Math.rint(v) && !s.contains("e") && !s.contains(".") ? s + ".0" : s;
  }

  private static List<El> at(Evaluator ev, List<El> vector, double qt) {
    return compute(ev, vector, new PerGroup() {
      @Override
      public double classic(Buckets b, ClassicBuckets.Notes notes) {
        return ClassicBuckets.quantile(qt, b.bounds, b.counts, b.n, notes);
      }

      @Override
      public double nativeHistogram(Histogram h, String metricName) {
        NativeHistograms.Notes notes = new NativeHistograms.Notes();
        double v = NativeHistograms.quantile(qt, h, notes);
        if (notes.nanResult) {
          ev.annotations.info("input to histogram_quantile has NaN observations, result is NaN"
              + forMetric(metricName));
        }
        if (notes.nanSkew) {
          ev.annotations.info("input to histogram_quantile has NaN observations, result is skewed higher"
              + forMetric(metricName));
        }
        return v;
      }
    }, "histogram_quantile");
  }

  static List<Steps> fraction(Evaluator ev, List<Expr> args) throws QueryException {
    double[] lower = ev.scalarPerStep(args.get(0));
    double[] upper = ev.scalarPerStep(args.get(1));
    return ev.stepwise(args.subList(2, 3), (t, a) -> {
      int i = (int) ((t - ev.start) / ev.interval);
      return compute(ev, a.get(0), new PerGroup() {
        @Override
        public double classic(Buckets b, ClassicBuckets.Notes notes) {
          return ClassicBuckets.fraction(lower[i], upper[i], b.bounds, b.counts, b.n, notes);
        }

        @Override
        public double nativeHistogram(Histogram h, String metricName) {
          NativeHistograms.Notes notes = new NativeHistograms.Notes();
          double v = NativeHistograms.fraction(lower[i], upper[i], h, notes);
          if (notes.nanExcluded) {
            ev.annotations.info("input to histogram_fraction has NaN observations, which are excluded from all "
                + "fractions" + forMetric(metricName));
          }
          return v;
        }
      }, "histogram_fraction");
    });
  }

  private static List<El> compute(Evaluator ev, List<El> in, PerGroup f, String function) {
    Map<Labels, Buckets> groups = new LinkedHashMap<>();
    List<El> natives = new ArrayList<>();
    for (El e : in) {
      if (e.histogram() != null) {
        natives.add(e);
        continue;
      }
      String le = e.labels().get("le");
      double bound;
      try {
        bound = io.sightline.core.model.GoFormat.parseFloat(le);
      } catch (NumberFormatException x) {
        ev.annotations.warn("bucket label \"le\" is missing or has a malformed value of " + Go.quote(le)
            + forMetric(e.labels().metricName()));
        continue;
      }
      Labels key = e.labels().toBuilder().delete("le").build();
      Buckets b = groups.get(key);
      if (b == null) {
        b = new Buckets(LabelSets.withoutName(key), e.labels().metricName());
        groups.put(key, b);
      }
      b.add(bound, e.value());
    }
    List<El> out = new ArrayList<>();
    for (El e : natives) {
      Buckets clash = groups.get(e.labels());
      if (clash != null && clash.n > 0) {
        ev.annotations.warn("vector contains a mix of classic and native histograms" + forMetric(
            e.labels().metricName()));
        groups.remove(e.labels());
        continue;
      }
      out.add(new El(e.labels(), f.nativeHistogram(e.histogram(), e.labels().metricName()), null, true));
    }
    for (Buckets b : groups.values()) {
      ClassicBuckets.Notes notes = new ClassicBuckets.Notes();
      double v = f.classic(b, notes);
      if (notes.forcedMonotonic && function.equals("histogram_quantile")) {
        ev.annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see "
            + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
            + forMetric(b.metricName));
      }
      out.add(new El(b.labels, v, null, true));
    }
    return out;
  }

  static String forMetric(String name) {
    return name == null || name.isEmpty() ? "" : " for metric name " + Go.quote(name);
  }
}
