package io.sightline.collector.generator.spans;

/**
 * Names and conversions as Tempo's generator has them ({@code processor/util}, {@code pkg/util}); the attribute lookups
 * themselves are {@link WireAttributes}'.
 */
public final class SpanAttributes {
  public static final String SERVICE_NAME = "service.name";
  public static final String SERVICE_NAMESPACE = "service.namespace";
  public static final String SERVICE_INSTANCE_ID = "service.instance.id";

  private SpanAttributes() {}

  /**
   * Prometheus' {@code strutil.SanitizeLabelName}, which Tempo uses for dimensions: every character outside
   * {@code [a-zA-Z0-9_]} becomes one underscore (a leading digit stays, as there).
   */
  public static String sanitizeLabelName(String name) {
    StringBuilder sb = null;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      boolean ok = cp < 128 && (Character.isLetterOrDigit(cp) || cp == '_');
      if (!ok && sb == null) {
        sb = new StringBuilder(name.length()).append(name, 0, i);
      }
      if (sb != null) {
        if (ok) {
          sb.appendCodePoint(cp);
        } else {
          sb.append('_');
        }
      }
      i += Character.charCount(cp);
    }
    return sb == null ? name : sb.toString();
  }

  /**
   * Tempo's span multiplier: 1 / the double value of attribute {@code key} on the span, else on the resource, when it
   * is positive (a sampling ratio); otherwise 1. {@code key} null means no multiplier.
   */
  public static double multiplier(byte[] key, WireAttributes span, WireAttributes resource) {
    if (key == null) {
      return 1;
    }
    double v = span.positiveDouble(key);
    if (v <= 0) {
      v = resource.positiveDouble(key);
    }
    return v > 0 ? 1 / v : 1;
  }

  /** {@code SPAN_KIND_SERVER} and the others, as Tempo labels them; numbers outside the enum as protobuf names them. */
  public static String spanKind(int kind) {
    return switch (kind) {
      case 0 -> "SPAN_KIND_UNSPECIFIED";
      case 1 -> "SPAN_KIND_INTERNAL";
      case 2 -> "SPAN_KIND_SERVER";
      case 3 -> "SPAN_KIND_CLIENT";
      case 4 -> "SPAN_KIND_PRODUCER";
      case 5 -> "SPAN_KIND_CONSUMER";
      default -> Integer.toString(kind);
    };
  }

  /** {@code STATUS_CODE_UNSET}, {@code STATUS_CODE_OK} or {@code STATUS_CODE_ERROR}. */
  public static String statusCode(int code) {
    return switch (code) {
      case 0 -> "STATUS_CODE_UNSET";
      case 1 -> "STATUS_CODE_OK";
      case 2 -> "STATUS_CODE_ERROR";
      default -> Integer.toString(code);
    };
  }

  /** {@code end - start} in seconds, unsigned nanoseconds as OTLP has them; zero when negative. */
  public static double secondsBetween(long startNanos, long endNanos) {
    if (Long.compareUnsigned(startNanos, endNanos) >= 0) {
      return 0;
    }
    return (endNanos - startNanos) / 1e9;
  }
}
