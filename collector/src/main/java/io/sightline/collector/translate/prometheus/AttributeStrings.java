package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute values as label values, exactly as the Collector's pdata {@code Value.AsString} writes them: strings as
 * they are, numbers and booleans as Go prints them, bytes in base64, lists and maps as Go's JSON (keys sorted,
 * {@code <>&} escaped).
 */
public final class AttributeStrings {
  private AttributeStrings() {}

  public static String of(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> GoFloats.json(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> json(v);
      case VALUE_NOT_SET -> "";
    };
  }

  /** Go's {@code json.Marshal} of the value, which gives nothing at all when a double in it is NaN or infinite. */
  private static String json(AnyValue v) {
    StringBuilder sb = new StringBuilder();
    return writeJson(v, sb) ? sb.toString() : "";
  }

  private static boolean writeJson(AnyValue v, StringBuilder sb) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> quote(v.getStringValue(), sb);
      case BOOL_VALUE -> sb.append(v.getBoolValue());
      case INT_VALUE -> sb.append(v.getIntValue());
      case DOUBLE_VALUE -> {
        if (Double.isNaN(v.getDoubleValue()) || Double.isInfinite(v.getDoubleValue())) {
          return false;
        }
        sb.append(GoFloats.json(v.getDoubleValue()));
      }
      case BYTES_VALUE -> quote(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()), sb);
      case VALUE_NOT_SET -> sb.append("null");
      case ARRAY_VALUE -> {
        sb.append('[');
        boolean first = true;
        for (AnyValue item : v.getArrayValue().getValuesList()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          if (!writeJson(item, sb)) {
            return false;
          }
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        // A Go map: a repeated key keeps its last value, and keys come out sorted.
        Map<String, AnyValue> sorted = new TreeMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          sorted.put(kv.getKey(), kv.getValue());
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, AnyValue> e : sorted.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(e.getKey(), sb);
          sb.append(':');
          if (!writeJson(e.getValue(), sb)) {
            return false;
          }
        }
        sb.append('}');
      }
    }
    return true;
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
