package io.sightline.collector.generator.registry;

import io.sightline.collector.config.ConfigList;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.ConfigNode;
import io.sightline.collector.config.ConfigScalar;

/** Classic histogram bucket bounds: Prometheus' exponential series, and the {@code histogram_buckets} key. */
public final class Buckets {
  private Buckets() {}

  /** Prometheus' {@code ExponentialBuckets(start, factor, count)}. */
  public static double[] exponential(double start, double factor, int count) {
    double[] b = new double[count];
    double v = start;
    for (int i = 0; i < count; i++) {
      b[i] = v;
      v *= factor;
    }
    return b;
  }

  /** The list under {@code key}, strictly increasing and finite (Tempo's check), or {@code defaults} when absent. */
  public static double[] parse(ConfigMap m, String key, double[] defaults) {
    ConfigNode node = m.node(key).orElse(null);
    if (node == null || node instanceof ConfigScalar s && s.isNull()) {
      return defaults.clone();
    }
    if (!(node instanceof ConfigList list)) {
      throw m.error(key, "expected a list of numbers, got " + node.kind());
    }
    double[] out = new double[list.items().size()];
    for (int i = 0; i < out.length; i++) {
      ConfigNode item = list.items().get(i);
      double v;
      try {
        v = item instanceof ConfigScalar s && !s.isNull() ? Double.parseDouble(s.value().strip()) : Double.NaN;
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      if (!Double.isFinite(v)) {
        throw m.error(key, "expected finite numbers, got " + (item instanceof ConfigScalar s ? "\"" + s.value()
            + "\"" : item.kind()) + " at index " + i);
      }
      if (i > 0 && v <= out[i - 1]) {
        throw m.error(key, "must be strictly increasing: bucket[" + i + "]=" + v + " is <= bucket[" + (i - 1) + "]="
            + out[i - 1]);
      }
      out[i] = v;
    }
    return out;
  }
}
