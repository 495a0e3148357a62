package io.sightline.api.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.core.model.GoFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * OTLP attribute values as the Collector's {@code pcommon.Value.AsString} renders them, which is what Jaeger and Tempo
 * show for a value that has no type of their own: strings as they are, numbers as Go's {@code encoding/json}, bytes in
 * base64, arrays and maps as JSON with map keys sorted and HTML characters escaped, as Go's {@code json.Marshal} does.
 */
public final class AnyValues {
  private AnyValues() {}

  public static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> GoFormat.encodingJson(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> {
        StringBuilder b = new StringBuilder();
        appendJson(b, v);
        yield b.toString();
      }
      case VALUE_NOT_SET -> "";
    };
  }

  private static void appendJson(StringBuilder b, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> appendJsonString(b, v.getStringValue());
      case BOOL_VALUE -> b.append(v.getBoolValue());
      case INT_VALUE -> b.append(v.getIntValue());
      case DOUBLE_VALUE -> b.append(GoFormat.encodingJson(v.getDoubleValue()));
      case BYTES_VALUE -> appendJsonString(b, Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        b.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          appendJson(b, values.get(i));
        }
        b.append(']');
      }
      case KVLIST_VALUE -> {
        // Go's AsRaw makes a map, and json.Marshal writes a map's keys sorted; a repeated key keeps its last value.
        List<KeyValue> entries = new ArrayList<>();
        java.util.Map<String, KeyValue> byKey = new java.util.HashMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          byKey.put(kv.getKey(), kv);
        }
        entries.addAll(byKey.values());
        entries.sort(Comparator.comparing(KeyValue::getKey));
        b.append('{');
        for (int i = 0; i < entries.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          appendJsonString(b, entries.get(i).getKey());
          b.append(':');
          appendJson(b, entries.get(i).getValue());
        }
        b.append('}');
      }
      case VALUE_NOT_SET -> b.append("null");
    }
  }

  /** Go's {@code json.Marshal} string escaping, HTML characters included. */
  private static void appendJsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b"); // Go 1.22 and later write these two short forms
        case '\f' -> b.append("\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> b.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
