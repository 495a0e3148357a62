package io.sightline.api.loki;

import io.sightline.api.params.Params;
import io.sightline.core.model.GoFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loki's request parameters ({@code pkg/loghttp/params.go}) with its defaults and its error messages, which Loki
 * answers with 400. Times are Unix nanoseconds.
 */
final class LokiParams {
  /** Loki's {@code defaultQueryLimit}. */
  static final int DEFAULT_LIMIT = 100;
  /** Loki's {@code defaultSince}: a missing start is an hour before the end. */
  static final long DEFAULT_SINCE_NANOS = 3_600_000_000_000L;
  /** Loki's cap on points per series of a range query. */
  static final int MAX_POINTS = 11_000;
  static final String END_BEFORE_START = "end timestamp must not be before or equal to start time";
  static final String ZERO_OR_NEGATIVE_STEP = "zero or negative query resolution step widths are not accepted. "
      + "Try a positive integer";
  static final String STEP_TOO_SMALL = "exceeded maximum resolution of 11,000 points per time series. Try increasing "
      + "the value of the step parameter";
  private static final Pattern MODEL_DURATION = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] MODEL_UNITS_MS = {365 * 86_400_000L, 7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L,
      1_000L, 1L};

  private final Params params;
  private final long nowNanos;

  LokiParams(Params params, long nowNanos) {
    this.params = params;
    this.nowNanos = nowNanos;
  }

  String get(String name) {
    return params.get(name);
  }

  java.util.List<String> getAll(String name) {
    return params.getAll(name);
  }

  long now() {
    return nowNanos;
  }

  /** {@code query}, empty when absent (the parser then gives Loki's message). */
  String query() {
    String q = params.get("query");
    return q == null ? "" : q;
  }

  /** Loki's {@code bounds}: {@code start}, {@code end} (default now) and {@code since} (default 1h). */
  long[] bounds() throws LokiError {
    long since = DEFAULT_SINCE_NANOS;
    String sinceText = params.get("since");
    if (sinceText != null && !sinceText.isEmpty()) {
      try {
        since = modelDurationMs(sinceText) * 1_000_000L;
      } catch (IllegalArgumentException e) {
        throw LokiError.badRequest("could not parse 'since' parameter: " + e.getMessage());
      }
    }
    long end = wrapped("end", nowNanos);
    // A start relative to an end in the future is taken from now, as Loki does.
    long endOrNow = Math.min(end, nowNanos);
    long start = wrapped("start", endOrNow - since);
    return new long[] {start, end};
  }

  /** Bounds where the end must not come before the start. */
  long[] orderedBounds() throws LokiError {
    long[] b = bounds();
    if (b[1] < b[0]) {
      throw LokiError.badRequest(END_BEFORE_START);
    }
    return b;
  }

  private long wrapped(String name, long def) throws LokiError {
    try {
      return timestamp(params.get(name), def);
    } catch (IllegalArgumentException e) {
      throw LokiError.badRequest("could not parse '" + name + "' parameter: " + e.getMessage());
    }
  }

  /** The instant query's {@code time}, whose error Loki does not wrap. */
  long time() throws LokiError {
    try {
      return timestamp(params.get("time"), nowNanos);
    } catch (IllegalArgumentException e) {
      throw LokiError.badRequest(e.getMessage());
    }
  }

  /** {@code limit}: positive, default 100. */
  int limit() throws LokiError {
    return positive("limit", DEFAULT_LIMIT, "limit");
  }

  int positive(String name, int def, String wording) throws LokiError {
    long l = parseInt(params.get(name), def);
    if (l <= 0) {
      throw LokiError.badRequest("limit must be a positive value");
    }
    if (l > 0xFFFF_FFFFL) {
      throw LokiError.badRequest(wording + " value " + l + " is out of range [0, 4294967295]");
    }
    return (int) Math.min(l, Integer.MAX_VALUE);
  }

  /** {@code direction}: {@code forward} or {@code backward} (any case), default backward. */
  boolean forward() throws LokiError {
    String d = params.get("direction");
    if (d == null || d.isEmpty()) {
      return false;
    }
    return switch (d.toUpperCase(Locale.ROOT)) {
      case "FORWARD" -> true;
      case "BACKWARD" -> false;
      default -> throw LokiError.badRequest("invalid direction '" + d + "'");
    };
  }

  /** {@code step} in nanoseconds; absent, Loki's default of the range over 250, at least a second. */
  long step(long start, long end) throws LokiError {
    String v = params.get("step");
    if (v == null || v.isEmpty()) {
      return Math.max((long) Math.floor((end - start) / 1e9 / 250), 1) * 1_000_000_000L;
    }
    return secondsOrDuration(v);
  }

  /** {@code interval} in nanoseconds, 0 when absent. */
  long interval() throws LokiError {
    String v = params.get("interval");
    return v == null || v.isEmpty() ? 0 : secondsOrDuration(v);
  }

  /** Loki's {@code ParseRangeQuery} checks, in its order: bounds, limit, direction, step, interval. */
  RangeQuery rangeQuery() throws LokiError {
    long[] b = orderedBounds();
    int limit = limit();
    boolean forward = forward();
    long step = step(b[0], b[1]);
    if (step <= 0) {
      throw LokiError.badRequest(ZERO_OR_NEGATIVE_STEP);
    }
    if ((b[1] - b[0]) / step > MAX_POINTS) {
      throw LokiError.badRequest(STEP_TOO_SMALL);
    }
    long interval = interval();
    if (interval < 0) {
      throw LokiError.badRequest("interval must be >= 0");
    }
    return new RangeQuery(query(), b[0], b[1], step, interval, limit, forward);
  }

  /** A range query's parameters; times and durations in nanoseconds. */
  record RangeQuery(String query, long start, long end, long step, long interval, int limit, boolean forward) {}

  /** Go's {@code strconv.Atoi} with Loki's default for an empty value. */
  static long parseInt(String value, long def) throws LokiError {
    if (value == null || value.isEmpty()) {
      return def;
    }
    try {
      return Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
    } catch (NumberFormatException e) {
      String why = value.matches("[+-]?\\d+") ? "value out of range" : "invalid syntax";
      throw LokiError.badRequest("strconv.Atoi: parsing " + GoFormat.quote(value) + ": " + why);
    }
  }

  /**
   * Loki's {@code parseTimestamp}: a number with a point is float seconds (to the millisecond); an integer of up to
   * ten digits is seconds, a longer one nanoseconds; else RFC 3339. A failure carries the integer parser's message.
   */
  static long timestamp(String value, long def) {
    if (value == null || value.isEmpty()) {
      return def;
    }
    if (value.contains(".")) {
      try {
        double t = Double.parseDouble(value);
        if (!Double.isNaN(t) && !Double.isInfinite(t) && !value.endsWith("d") && !value.endsWith("f")) {
          double s = t < 0 ? Math.ceil(t) : Math.floor(t);
          double ns = Math.round((t - s) * 1000) / 1000.0;
          return (long) s * 1_000_000_000L + (long) (ns * 1e9);
        }
      } catch (NumberFormatException e) {
        // not a float: the integer and RFC 3339 forms follow
      }
    }
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      try {
        OffsetDateTime t = OffsetDateTime.parse(value);
        return t.toEpochSecond() * 1_000_000_000L + t.getNano();
      } catch (DateTimeParseException notTime) {
        String why = value.matches("[+-]?\\d+") ? "value out of range" : "invalid syntax";
        throw new IllegalArgumentException("strconv.ParseInt: parsing " + GoFormat.quote(value) + ": " + why);
      }
    }
    return value.length() <= 10 ? n * 1_000_000_000L : n;
  }

  /** Loki's {@code parseSecondsOrDuration}: float seconds, or Prometheus' duration notation. */
  static long secondsOrDuration(String value) throws LokiError {
    try {
      double d = Double.parseDouble(value);
      if (!value.endsWith("d") && !value.endsWith("f") && !Double.isNaN(d)) {
        double ns = d * 1e9;
        if (ns > 9.223372036854775807E18 || ns < -9.223372036854775808E18) {
          throw LokiError.badRequest("cannot parse " + GoFormat.quote(value) + " to a valid duration. It overflows "
              + "int64");
        }
        return (long) ns;
      }
    } catch (NumberFormatException e) {
      // a duration such as 5m
    }
    try {
      return modelDurationMs(value) * 1_000_000L;
    } catch (IllegalArgumentException e) {
      throw LokiError.badRequest("cannot parse " + GoFormat.quote(value) + " to a valid duration");
    }
  }

  /** Prometheus' {@code model.ParseDuration}: units in order from years to milliseconds, or {@code 0}. */
  static long modelDurationMs(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (text.equals("0")) {
      return 0;
    }
    Matcher m = MODEL_DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + GoFormat.quote(text));
    }
    long total = 0;
    for (int i = 0; i < MODEL_UNITS_MS.length; i++) {
      if (m.group(i + 1) != null) {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(i + 1)), MODEL_UNITS_MS[i]));
      }
    }
    return total;
  }

  /** Go's {@code time.Duration.String} for a non-negative duration: {@code 722h0m0s}, {@code 1.5s}, {@code 20ms}. */
  static String goDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long n = Math.abs(nanos);
    if (n < 1_000_000_000L) {
      String unit = n < 1_000 ? "ns" : n < 1_000_000 ? "µs" : "ms";
      long scale = n < 1_000 ? 1 : n < 1_000_000 ? 1_000 : 1_000_000;
      return sign + BigDecimal.valueOf(n).divide(BigDecimal.valueOf(scale)).stripTrailingZeros().toPlainString()
          + unit;
    }
    long h = n / 3_600_000_000_000L;
    long m = n / 60_000_000_000L % 60;
    BigDecimal s = BigDecimal.valueOf(n % 60_000_000_000L).divide(BigDecimal.valueOf(1_000_000_000L), 9,
        RoundingMode.UNNECESSARY).stripTrailingZeros();
    StringBuilder b = new StringBuilder(sign);
    if (h > 0) {
      b.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      b.append(m).append('m');
    }
    return b.append(s.toPlainString()).append('s').toString();
  }
}
