package io.sightline.traceql.metrics;

import io.sightline.traceql.syntax.MetricsFilter;
import io.sightline.traceql.syntax.SecondStage;
import io.sightline.traceql.syntax.StaticType;
import io.sightline.traceql.syntax.TopK;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What follows the metrics function, in order: {@code topk(n)}/{@code bottomk(n)} keep, at each interval, the n series
 * with the highest/lowest values (others NaN there); a comparison ({@code > 10}) turns the values it fails to NaN and
 * drops series left with none.
 */
final class SecondStages {
  private SecondStages() {}

  static List<Evaluation.Computed> apply(List<SecondStage> stages, List<Evaluation.Computed> in, int length) {
    List<Evaluation.Computed> current = in;
    for (SecondStage s : stages) {
      current = switch (s) {
        case TopK t -> current.size() <= t.k() ? current : topK(current, (int) t.k(), t.bottom(), length);
        case MetricsFilter f -> filter(current, f);
      };
    }
    return current;
  }

  /**
   * Ties go to the series whose label values come first alphabetically for {@code topk} and last for
   * {@code bottomk}, which is where Tempo's heaps, comparing values and then keys, leave them.
   */
  private static List<Evaluation.Computed> topK(List<Evaluation.Computed> in, int k, boolean bottom, int length) {
    Map<Evaluation.Computed, double[]> kept = new LinkedHashMap<>();
    Comparator<Evaluation.Computed> byKey = Comparator.comparing(SecondStages::keyText);
    for (int i = 0; i < length; i++) {
      final int at = i;
      List<Evaluation.Computed> candidates = new ArrayList<>();
      for (Evaluation.Computed c : in) {
        if (at < c.values.length && !Double.isNaN(c.values[at])) {
          candidates.add(c);
        }
      }
      Comparator<Evaluation.Computed> byValue = Comparator.comparingDouble(c -> c.values[at]);
      candidates.sort(bottom ? byValue.thenComparing(byKey.reversed()) : byValue.reversed().thenComparing(byKey));
      for (Evaluation.Computed c : candidates.subList(0, Math.min(k, candidates.size()))) {
        double[] values = kept.computeIfAbsent(c, x -> {
          double[] v = new double[length];
          Arrays.fill(v, Double.NaN);
          return v;
        });
        values[at] = c.values[at];
      }
    }
    List<Evaluation.Computed> out = new ArrayList<>();
    kept.forEach((c, v) -> out.add(new Evaluation.Computed(c.labels, v, c.exemplars)));
    return out;
  }

  private static String keyText(Evaluation.Computed c) {
    StringBuilder b = new StringBuilder();
    for (Label l : c.labels) {
      b.append(Evaluation.valueText(l.value())).append('\u0000');
    }
    return b.toString();
  }

  private static List<Evaluation.Computed> filter(List<Evaluation.Computed> in, MetricsFilter f) {
    double bound = f.value().asDouble();
    if (f.value().type() == StaticType.DURATION) {
      bound /= 1e9;
    }
    List<Evaluation.Computed> out = new ArrayList<>();
    for (Evaluation.Computed c : in) {
      double[] values = c.values.clone();
      boolean any = false;
      for (int i = 0; i < values.length; i++) {
        if (Double.isNaN(values[i]) || !holds(f, values[i], bound)) {
          values[i] = Double.NaN;
        } else {
          any = true;
        }
      }
      if (!any) {
        continue;
      }
      List<Exemplar> exemplars = new ArrayList<>();
      for (Exemplar e : c.exemplars) {
        if (!Double.isNaN(e.value()) && holds(f, e.value(), bound)) {
          exemplars.add(e);
        }
      }
      out.add(new Evaluation.Computed(c.labels, values, exemplars));
    }
    return out;
  }

  private static boolean holds(MetricsFilter f, double v, double bound) {
    return switch (f.op()) {
      case GT -> v > bound;
      case GTE -> v >= bound;
      case LT -> v < bound;
      case LTE -> v <= bound;
      case EQ -> v == bound;
      case NEQ -> v != bound;
      default -> false;
    };
  }
}
