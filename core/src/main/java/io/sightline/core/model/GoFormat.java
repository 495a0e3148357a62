package io.sightline.core.model;

import java.math.BigDecimal;

/**
 * Numbers as Go prints them, where Sightline's output must match Prometheus' byte for byte (sample values in the
 * HTTP API, {@code le} and {@code quantile} labels made from OTLP bounds).
 */
public final class GoFormat {
  private GoFormat() {}

  /**
   * {@code strconv.FormatFloat(f, 'f', -1, 64)}: the shortest digits that read back as the same double (which
   * {@link Double#toString} gives since JDK 19), never an exponent: {@code 0.005}, {@code 1}, {@code +Inf}, {@code -0}.
   */
  public static String plain(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return Double.doubleToRawLongBits(f) < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
  }
}
