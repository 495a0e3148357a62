package io.sightline.api.tempo;

import com.linecorp.armeria.common.QueryParams;
import io.sightline.api.params.Params;
import io.sightline.core.model.GoDuration;
import io.sightline.core.model.GoFormat;
import io.sightline.traceql.syntax.Printer;
import io.sightline.traceql.syntax.Static;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Tempo's parameter parsing ({@code pkg/api}): Go's {@code strconv} and {@code time} parsers with their error texts,
 * so a bad parameter gets the 400 body Tempo writes. A parameter given empty counts as absent, as in Tempo.
 */
final class TempoParams {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** Unix seconds have at most ten digits until 2286; Tempo reads longer integers as nanoseconds. */
  private static final int MAX_SECONDS_DIGITS = 10;

  private final QueryParams q;

  TempoParams(QueryParams q) {
    this.q = q;
  }

  /** The value, or null when absent or empty ({@code extractQueryParam}). */
  String get(String name) {
    String v = q.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Go's {@code strconv.ParseUint(s, 10, bits)}, with {@code prefix} (e.g. {@code invalid limit: }) on errors. */
  static long parseUint(String s, int bits, String prefix) throws TempoApi.TempoError {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
      throw new TempoApi.TempoError(prefix + "strconv.ParseUint: parsing " + GoFormat.quote(s) + ": invalid syntax");
    }
    BigDecimal v = new BigDecimal(s);
    if (v.compareTo(BigDecimal.valueOf(2).pow(bits).subtract(BigDecimal.ONE)) > 0) {
      throw new TempoApi.TempoError(prefix + "strconv.ParseUint: parsing " + GoFormat.quote(s)
          + ": value out of range");
    }
    return v.longValue();
  }

  /** Go's {@code strconv.ParseInt(s, 10, bits)}. */
  static long parseInt(String s, int bits, String prefix) throws TempoApi.TempoError {
    String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      throw new TempoApi.TempoError(prefix + "strconv.ParseInt: parsing " + GoFormat.quote(s) + ": invalid syntax");
    }
    BigDecimal v = new BigDecimal(s);
    BigDecimal max = BigDecimal.valueOf(2).pow(bits - 1);
    if (v.compareTo(max.subtract(BigDecimal.ONE)) > 0 || v.compareTo(max.negate()) < 0) {
      throw new TempoApi.TempoError(prefix + "strconv.ParseInt: parsing " + GoFormat.quote(s) + ": value out of range");
    }
    return v.longValue();
  }

  /** Go's {@code time.ParseDuration} in nanoseconds. */
  static long goDuration(String s, String prefix) throws TempoApi.TempoError {
    try {
      return GoDuration.parseNanos(s);
    } catch (IllegalArgumentException e) {
      throw new TempoApi.TempoError(prefix + e.getMessage());
    }
  }

  /**
   * Tempo's {@code parseTimestamp} in unix nanoseconds: a float with a point (seconds, to the millisecond), an
   * integer of up to ten digits (seconds) or more (nanoseconds), or RFC 3339.
   */
  static long timestamp(String v, String name) throws TempoApi.TempoError {
    if (v.contains(".")) {
      try {
        BigDecimal seconds = new BigDecimal(v);
        return seconds.setScale(3, RoundingMode.HALF_EVEN).movePointRight(9).longValueExact();
      } catch (NumberFormatException | ArithmeticException notAFloat) {
        // Go falls through to the integer and RFC 3339 forms.
      }
    }
    try {
      long n = Long.parseLong(v);
      return v.length() <= MAX_SECONDS_DIGITS ? n * NANOS_PER_SECOND : n;
    } catch (NumberFormatException notAnInteger) {
      try {
        OffsetDateTime t = OffsetDateTime.parse(v);
        return t.toEpochSecond() * NANOS_PER_SECOND + t.getNano();
      } catch (DateTimeParseException e) {
        String reason = v.chars().allMatch(c -> Character.isDigit(c) || c == '-' || c == '+')
            ? ": value out of range" : ": invalid syntax";
        throw new TempoApi.TempoError(rpc("could not parse '" + name + "' parameter: strconv.ParseInt: parsing "
            + GoFormat.quote(v) + reason));
      }
    }
  }

  /** Prometheus' {@code model.ParseDuration}, as Tempo reads {@code since}. */
  static long since(String v) throws TempoApi.TempoError {
    Duration d = "0".equals(v) ? Duration.ZERO : Params.parseDuration(v);
    if (d == null) {
      throw new TempoApi.TempoError(rpc("could not parse 'since' parameter: not a valid duration string: "
          + GoFormat.quote(v)));
    }
    return d.toNanos();
  }

  /** Tempo's {@code parseSecondsOrDuration} for {@code step}: float seconds or a Go duration. */
  static long step(String v) throws TempoApi.TempoError {
    try {
      // Java also reads "5d" and "5f" as numbers; Go's ParseFloat does not, and neither does Tempo.
      if (!v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
        throw new NumberFormatException(v);
      }
      double seconds = Double.parseDouble(v);
      double nanos = seconds * NANOS_PER_SECOND;
      if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
        throw new TempoApi.TempoError(rpc("cannot parse " + GoFormat.quote(v)
            + " to a valid duration. It overflows int64"));
      }
      return checkStep((long) nanos, v);
    } catch (NumberFormatException notSeconds) {
      try {
        return checkStep(GoDuration.parseNanos(v), v);
      } catch (IllegalArgumentException e) {
        throw new TempoApi.TempoError(rpc("cannot parse " + GoFormat.quote(v) + " to a valid duration"));
      }
    }
  }

  private static long checkStep(long nanos, String v) throws TempoApi.TempoError {
    if (nanos < 0) {
      throw new TempoApi.TempoError(rpc("cannot parse " + GoFormat.quote(v) + ": step must be positive"));
    }
    return nanos;
  }

  /** Go's {@code time.Duration.String}. */
  static String goDurationText(long nanos) {
    return Printer.print(Static.ofDuration(nanos));
  }

  /**
   * How an {@code httpgrpc.Error} prints, which is what Tempo's query-range parameter errors carry as their body:
   * {@code rpc error: code = Code(400) desc = ...}.
   */
  static String rpc(String message) {
    return "rpc error: code = Code(400) desc = " + message;
  }
}
