package io.sightline.api.tempo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.core.model.GoFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/**
 * Tempo's responses as gogo {@code jsonpb} marshals them: lowerCamelCase names, fields at their zero value and empty
 * lists left out, 64-bit integers as strings, floats as Go writes them with NaN and infinities as strings.
 */
final class TempoJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} switches to an exponent from 1e6 up (its shortest form)... */
  private static final int G_MAX_PLAIN_EXPONENT = 6;
  /** ...and below 1e-4. */
  private static final int G_MIN_PLAIN_EXPONENT = -4;

  private TempoJson() {}

  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static HttpResponse ok(Body body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    }
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, out.toByteArray());
  }

  static void uint64(JsonGenerator g, String name, long v) throws IOException {
    if (v != 0) {
      g.writeStringField(name, Long.toUnsignedString(v));
    }
  }

  static void uint32(JsonGenerator g, String name, long v) throws IOException {
    if (v != 0) {
      g.writeNumberField(name, v);
    }
  }

  static void string(JsonGenerator g, String name, String v) throws IOException {
    if (v != null && !v.isEmpty()) {
      g.writeStringField(name, v);
    }
  }

  /** A double field; 0 is left out like any zero value. */
  static void number(JsonGenerator g, String name, double v) throws IOException {
    if (v != 0 || Double.doubleToRawLongBits(v) != 0) {
      g.writeFieldName(name);
      number(g, v);
    }
  }

  static void number(JsonGenerator g, double v) throws IOException {
    if (Double.isNaN(v)) {
      g.writeString("NaN");
    } else if (Double.isInfinite(v)) {
      g.writeString(v > 0 ? "Infinity" : "-Infinity");
    } else {
      g.writeRawValue(GoFormat.encodingJson(v));
    }
  }

  static void keyValues(JsonGenerator g, String name, List<KeyValue> kvs) throws IOException {
    if (kvs.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(name);
    for (KeyValue kv : kvs) {
      g.writeStartObject();
      string(g, "key", kv.getKey());
      if (kv.hasValue()) {
        g.writeFieldName("value");
        anyValue(g, kv.getValue());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** Tempo's own copy of OTLP's {@code AnyValue}: the set member of the oneof, even at its zero value. */
  static void anyValue(JsonGenerator g, AnyValue v) throws IOException {
    g.writeStartObject();
    switch (v.getValueCase()) {
      case STRING_VALUE -> g.writeStringField("stringValue", v.getStringValue());
      case BOOL_VALUE -> g.writeBooleanField("boolValue", v.getBoolValue());
      case INT_VALUE -> g.writeStringField("intValue", Long.toString(v.getIntValue()));
      case DOUBLE_VALUE -> {
        g.writeFieldName("doubleValue");
        number(g, v.getDoubleValue());
      }
      case BYTES_VALUE -> g.writeStringField("bytesValue",
          Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        g.writeObjectFieldStart("arrayValue");
        if (v.getArrayValue().getValuesCount() > 0) {
          g.writeArrayFieldStart("values");
          for (AnyValue e : v.getArrayValue().getValuesList()) {
            anyValue(g, e);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      case KVLIST_VALUE -> {
        g.writeObjectFieldStart("kvlistValue");
        keyValues(g, "values", v.getKvlistValue().getValuesList());
        g.writeEndObject();
      }
      case VALUE_NOT_SET -> { }
    }
    g.writeEndObject();
  }

  /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} with Tempo's {@code .0} for whole numbers (tag values). */
  static String goFloat(double f) {
    String text;
    if (f == 0 || Double.isNaN(f) || Double.isInfinite(f)) {
      text = GoFormat.plain(f);
    } else {
      BigDecimal d = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
      int exp = d.precision() - d.scale() - 1;
      text = exp < G_MIN_PLAIN_EXPONENT || exp >= G_MAX_PLAIN_EXPONENT ? GoFormat.exponent(f, true)
          : GoFormat.plain(f);
    }
    return text.contains("e") || text.contains(".") || text.contains("Inf") || text.equals("NaN") ? text
        : text + ".0";
  }
}
