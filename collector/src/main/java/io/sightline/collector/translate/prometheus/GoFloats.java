package io.sightline.collector.translate.prometheus;

import io.sightline.core.model.GoFormat;

/**
 * Floats printed as Go prints them, since label values made from numbers must match Prometheus' byte for byte.
 * Both forms use the shortest digits that read back as the same double, which {@link Double#toString} gives
 * (since JDK 19).
 */
final class GoFloats {
  private GoFloats() {}

  /** {@code strconv.FormatFloat(f, 'f', -1, 64)}: {@code 0.005}, {@code 1}, {@code 1e+21} as all its digits. */
  static String plain(double f) {
    return GoFormat.plain(f);
  }

  /**
   * Go's JSON number form (as ECMAScript prints numbers), which pdata uses for double attributes: plain between
   * 1e-6 and 1e21, otherwise {@code 1e-7} or {@code 1.5e+21}.
   */
  static String json(double f) {
    if (Double.isNaN(f) || Double.isInfinite(f)) {
      return "json: unsupported value: " + plain(f);
    }
    double abs = Math.abs(f);
    if (abs == 0 || (abs >= 1e-6 && abs < 1e21)) {
      return plain(f);
    }
    return GoFormat.exponent(f, false);
  }
}
