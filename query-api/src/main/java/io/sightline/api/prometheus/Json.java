package io.sightline.api.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.sightline.core.model.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/** Writes Prometheus' envelope with Jackson's streaming generator: no object tree on the way out. */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes the {@code data} member's value. */
  @FunctionalInterface
  interface DataWriter {
    void write(JsonGenerator g) throws IOException;
  }

  private Json() {}

  static HttpResponse success(DataWriter data, List<String> warnings) {
    return success(data, warnings, List.of());
  }

  /** With Prometheus 3's {@code infos} beside the warnings, each list only when not empty. */
  static HttpResponse success(DataWriter data, List<String> warnings, List<String> infos) {
    return respond(HttpStatus.OK, g -> {
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      data.write(g);
      if (!warnings.isEmpty()) {
        g.writeArrayFieldStart("warnings");
        for (String w : warnings) {
          g.writeString(w);
        }
        g.writeEndArray();
      }
      if (!infos.isEmpty()) {
        g.writeArrayFieldStart("infos");
        for (String i : infos) {
          g.writeString(i);
        }
        g.writeEndArray();
      }
    });
  }

  static HttpResponse error(ApiError e) {
    return respond(e.type.status, g -> {
      g.writeStringField("status", "error");
      g.writeStringField("errorType", e.type.wire);
      g.writeStringField("error", e.getMessage());
    });
  }

  private static HttpResponse respond(HttpStatus status, DataWriter members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      members.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
    return HttpResponse.of(ResponseHeaders.of(status, com.linecorp.armeria.common.HttpHeaderNames.CONTENT_TYPE,
        MediaType.JSON), HttpData.wrap(out.toByteArray()));
  }

  static void labels(JsonGenerator g, Labels labels) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringField(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  /** {@code [<seconds>, "<value>"]}: seconds as a plain number with millisecond precision, the value as a string. */
  static void point(JsonGenerator g, long timestampMs, double value) throws IOException {
    g.writeStartArray();
    timestamp(g, timestampMs);
    g.writeString(formatValue(value));
    g.writeEndArray();
  }

  /**
   * {@code [<seconds>, {"count": "..", "sum": "..", "buckets": [[<boundary rule>, "<lower>", "<upper>", "<count>"],
   * ...]}]}, as Prometheus' {@code MarshalHistogram}: buckets with a count only, lowest first, and no "buckets" member
   * when there are none.
   */
  static void point(JsonGenerator g, long timestampMs, io.sightline.core.model.Histogram h) throws IOException {
    g.writeStartArray();
    timestamp(g, timestampMs);
    g.writeStartObject();
    g.writeStringField("count", formatValue(h.count()));
    g.writeStringField("sum", formatValue(h.sum()));
    boolean[] any = {false};
    IOException[] failure = {null};
    h.forEachBucket((rule, lower, upper, count) -> {
      try {
        if (!any[0]) {
          g.writeArrayFieldStart("buckets");
          any[0] = true;
        }
        g.writeStartArray();
        g.writeNumber(rule);
        g.writeString(formatValue(lower));
        g.writeString(formatValue(upper));
        g.writeString(formatValue(count));
        g.writeEndArray();
      } catch (IOException e) {
        failure[0] = e;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    if (any[0]) {
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeEndArray();
  }

  /** Seconds as a plain number with millisecond precision: {@code 1435781451.781}. */
  static void timestamp(JsonGenerator g, long timestampMs) throws IOException {
    if (timestampMs < 0) {
      g.writeNumber(BigDecimal.valueOf(timestampMs, 3).stripTrailingZeros().toPlainString());
      return;
    }
    long seconds = timestampMs / 1000;
    int millis = (int) (timestampMs % 1000);
    if (millis == 0) {
      g.writeNumber(seconds); // most points of a range query sit on whole seconds: no decimal arithmetic
      return;
    }
    String fraction = millis % 100 == 0 ? Integer.toString(millis / 100)
        : millis % 10 == 0 ? String.format(java.util.Locale.ROOT, "%02d", millis / 10)
        : String.format(java.util.Locale.ROOT, "%03d", millis);
    g.writeNumber(seconds + "." + fraction);
  }

  /** A sample value as Prometheus writes it: plain, with an exponent below 1e−6 and from 1e21 on. */
  static String formatValue(double v) {
    return io.sightline.core.model.GoFormat.json(v);
  }
}
