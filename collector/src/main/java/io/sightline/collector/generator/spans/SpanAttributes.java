package io.sightline.collector.generator.spans;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.core.model.GoFormat;
import java.util.List;

/**
 * Attribute lookups and conversions as Tempo's generator does them ({@code processor/util}, {@code pkg/util}). Lookups
 * scan the attribute lists: they hold a handful of entries, and a scan allocates nothing.
 */
public final class SpanAttributes {
  public static final String SERVICE_NAME = "service.name";
  public static final String SERVICE_NAMESPACE = "service.namespace";
  public static final String SERVICE_INSTANCE_ID = "service.instance.id";

  private SpanAttributes() {}

  /** The value of {@code key} in the first list that has it, stringified; null when no list has it. */
  public static String find(String key, List<KeyValue> first, List<KeyValue> second) {
    String v = find(key, first);
    return v != null ? v : find(key, second);
  }

  /** The value of the first {@code key} entry, stringified; null when absent. */
  public static String find(String key, List<KeyValue> attributes) {
    for (int i = 0, n = attributes.size(); i < n; i++) {
      KeyValue kv = attributes.get(i);
      if (kv.getKey().equals(key)) {
        return stringify(kv.getValue());
      }
    }
    return null;
  }

  /**
   * Tempo's {@code StringifyAnyValue}: booleans and integers as Go prints them, doubles as {@code FormatFloat(v, 'f',
   * -1)}, arrays as {@code [ab]} and maps as {@code {k:v}} with no separators, anything else empty.
   */
  public static String stringify(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue() ? "true" : "false";
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> GoFormat.plain(v.getDoubleValue());
      case ARRAY_VALUE -> {
        StringBuilder sb = new StringBuilder("[");
        for (AnyValue item : v.getArrayValue().getValuesList()) {
          sb.append(stringify(item));
        }
        yield sb.append(']').toString();
      }
      case KVLIST_VALUE -> {
        StringBuilder sb = new StringBuilder("{");
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          sb.append(kv.getKey()).append(':').append(stringify(kv.getValue()));
        }
        yield sb.append('}').toString();
      }
      default -> "";
    };
  }

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
   * is positive (a sampling ratio); otherwise 1. {@code key} null or empty means no multiplier.
   */
  public static double multiplier(String key, Span span, List<KeyValue> resource) {
    if (key == null || key.isEmpty()) {
      return 1;
    }
    double v = ratio(key, span.getAttributesList());
    if (v <= 0) {
      v = ratio(key, resource);
    }
    return v > 0 ? 1 / v : 1;
  }

  private static double ratio(String key, List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key) && kv.getValue().getDoubleValue() > 0) {
        return kv.getValue().getDoubleValue();
      }
    }
    return 0;
  }

  /** {@code SPAN_KIND_SERVER} and the others, as Tempo labels them; numbers outside the enum as protobuf names them. */
  public static String spanKind(Span span) {
    return switch (span.getKindValue()) {
      case 0 -> "SPAN_KIND_UNSPECIFIED";
      case 1 -> "SPAN_KIND_INTERNAL";
      case 2 -> "SPAN_KIND_SERVER";
      case 3 -> "SPAN_KIND_CLIENT";
      case 4 -> "SPAN_KIND_PRODUCER";
      case 5 -> "SPAN_KIND_CONSUMER";
      default -> Integer.toString(span.getKindValue());
    };
  }

  /** {@code STATUS_CODE_UNSET}, {@code STATUS_CODE_OK} or {@code STATUS_CODE_ERROR}. */
  public static String statusCode(Span span) {
    return switch (span.getStatus().getCodeValue()) {
      case 0 -> "STATUS_CODE_UNSET";
      case 1 -> "STATUS_CODE_OK";
      case 2 -> "STATUS_CODE_ERROR";
      default -> Integer.toString(span.getStatus().getCodeValue());
    };
  }

  /** The span's duration in seconds; zero when it ends before it starts, as in Tempo. */
  public static double durationSeconds(Span span) {
    return secondsBetween(span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
  }

  /** {@code end - start} in seconds, unsigned nanoseconds as OTLP has them; zero when negative. */
  public static double secondsBetween(long startNanos, long endNanos) {
    if (Long.compareUnsigned(startNanos, endNanos) >= 0) {
      return 0;
    }
    return (endNanos - startNanos) / 1e9;
  }
}
