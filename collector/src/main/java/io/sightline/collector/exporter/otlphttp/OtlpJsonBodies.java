package io.sightline.collector.exporter.otlphttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A batch in OTLP/JSON: protobuf's JSON mapping, with trace and span ids as lower-case hex rather than base64, as the
 * OTLP specification asks. Cold path ({@code encoding: json}); protobuf is the default.
 */
final class OtlpJsonBodies {
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OtlpJsonBodies() {}

  static byte[] encode(Telemetry batch) {
    try {
      String json = PRINTER.print(switch (batch) {
        case Traces t -> t.toRequest();
        case Metrics m -> m.toRequest();
        case Logs l -> l.toRequest();
      });
      JsonNode tree = MAPPER.readTree(json);
      idsToHex(tree);
      return MAPPER.writeValueAsBytes(tree);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an OTLP message does not print as JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void idsToHex(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(HexFormat.of().formatHex(Base64.getDecoder().decode(e.getValue().asText()))));
        } else {
          idsToHex(e.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(OtlpJsonBodies::idsToHex);
    }
  }
}
