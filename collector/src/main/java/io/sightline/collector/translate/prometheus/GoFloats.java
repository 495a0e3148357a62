package io.sightline.collector.translate.prometheus;

import io.sightline.core.model.GoFormat;
import java.math.BigDecimal;

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
    BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();
    StringBuilder sb = new StringBuilder();
    if (f < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    // Go writes at least two exponent digits and then trims a leading zero from negative ones only: e-7, e+21.
    sb.append('e').append(exponent < 0 ? '-' : '+');
    int absExponent = Math.abs(exponent);
    if (absExponent < 10 && exponent > 0) {
      sb.append('0');
    }
    return sb.append(absExponent).toString();
  }
}
