package io.sightline.promql.engine;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;

/**
 * {@code limit_ratio}'s choice of series: a series is kept when its label hash, as a fraction of 2^64, falls below
 * the ratio (or, for a negative ratio, at or above 1 + ratio), so that r and −(1 − r) pick complementary sets and the
 * choice is stable across steps. The hash is Prometheus' {@code labels.Hash}: XXH64 of name 0xff value 0xff …, which
 * makes the same series be picked as in Prometheus.
 */
final class RatioSampler {
  private RatioSampler() {}

  static boolean keep(double ratio, Labels labels) {
    double offset = unsignedToDouble(hash(labels)) / 0x1p64;
    return ratio >= 0 && offset < ratio || ratio < 0 && offset >= 1.0 + ratio;
  }

  static long hash(Labels labels) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(256);
    for (int i = 0; i < labels.size(); i++) {
      b.writeBytes(labels.name(i).getBytes(StandardCharsets.UTF_8));
      b.write(0xff);
      b.writeBytes(labels.value(i).getBytes(StandardCharsets.UTF_8));
      b.write(0xff);
    }
    return XxHash64.hash(b.toByteArray());
  }

  /** Go's float64(uint64): rounded to nearest. */
  private static double unsignedToDouble(long h) {
    if (h >= 0) {
      return h;
    }
    return ((h >>> 1) | (h & 1)) * 2.0;
  }
}
