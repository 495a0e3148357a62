package io.sightline.api.params;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.QueryParamsBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of a request, from its query string and, for a form-encoded POST, its body, as Go's
 * {@code r.FormValue} merges them. Parsing failures throw {@link InvalidParameterException}; each API words them
 * in its own error shape.
 */
public final class Params {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private final QueryParams params;

  private Params(QueryParams params) {
    this.params = params;
  }

  public static Params of(String query, AggregatedHttpRequest request) {
    QueryParamsBuilder b = QueryParams.builder();
    if (query != null) {
      b.add(QueryParams.fromQueryString(query));
    }
    MediaType type = request.contentType();
    if (type != null && type.is(MediaType.FORM_DATA)) {
      b.add(QueryParams.fromQueryString(request.contentUtf8()));
    }
    return new Params(b.build());
  }

  public String get(String name) {
    return params.get(name);
  }

  public List<String> getAll(String name) {
    return params.getAll(name);
  }

  /** A time: RFC 3339, or Unix seconds with an optional fraction; {@code defaultMs} when absent. In milliseconds. */
  public long timeMs(String name, long defaultMs) throws InvalidParameterException {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return defaultMs;
    }
    try {
      return new BigDecimal(v).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException notANumber) {
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new InvalidParameterException(name, "cannot parse \"" + v + "\" to a valid timestamp");
      }
    }
  }

  /** A duration: float seconds, or Prometheus units ({@code 5m}, {@code 1h30m}); {@code null} when absent. */
  public Duration duration(String name) throws InvalidParameterException {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(v);
      if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
        throw new InvalidParameterException(name, "cannot parse \"" + v + "\" to a valid duration");
      }
      return Duration.ofNanos((long) (seconds * 1e9));
    } catch (NumberFormatException e) {
      Duration d = parseDuration(v);
      if (d == null) {
        throw new InvalidParameterException(name, "cannot parse \"" + v + "\" to a valid duration");
      }
      return d;
    }
  }

  /** A non-negative integer, 0 when absent. */
  public int limit(String name) throws InvalidParameterException {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new InvalidParameterException(name, "limit must be non-negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidParameterException(name, "cannot parse \"" + v + "\" to a valid integer");
    }
  }

  /** Prometheus' duration notation ({@code 5m}, {@code 1h30m}, {@code 2d}); null when the text is not one. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION_PART.matcher(text);
    int at = 0;
    Duration total = Duration.ZERO;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        case "w" -> Duration.ofDays(7 * n);
        default -> Duration.ofDays(365 * n);
      });
      at = m.end();
    }
    return text.isEmpty() ? null : total;
  }
}
