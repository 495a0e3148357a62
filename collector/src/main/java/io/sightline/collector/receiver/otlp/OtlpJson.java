package io.sightline.collector.receiver.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * The OTLP/JSON mapping. It is protobuf's JSON mapping with one exception that matters: trace and span ids are hex
 * strings, not base64. The reader therefore rewrites the id fields to base64 before handing the tree to protobuf's
 * JSON parser, which takes care of the rest (lowerCamelCase or original field names, enums as integers, 64-bit
 * integers as strings or numbers, unknown fields ignored as the specification requires).
 */
final class OtlpJson {
  /** OTLP's id fields, in both spellings the JSON mapping allows. They hold ids wherever they appear. */
  private static final Map<String, Integer> ID_FIELDS = Map.of("traceId", 16, "trace_id", 16, "spanId", 8,
      "span_id", 8, "parentSpanId", 8, "parent_span_id", 8);
  /** Nesting allowed in a JSON body; deeper documents are refused before protobuf sees them. */
  private static final int MAX_NESTING = 200;
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final HexFormat HEX = HexFormat.of();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
  }

  private OtlpJson() {}

  /** Reads {@code body} into {@code builder}. */
  static void merge(byte[] body, Message.Builder builder) throws InvalidProtocolBufferException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidProtocolBufferException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidProtocolBufferException("invalid JSON: the body must be a JSON object");
    }
    hexIdsToBase64(tree);
    PARSER.merge(tree.toString(), builder);
  }

  static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  private static void hexIdsToBase64(JsonNode node) throws InvalidProtocolBufferException {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Integer length = ID_FIELDS.get(field.getKey());
        if (length != null && field.getValue().isTextual()) {
          field.setValue(new TextNode(toBase64(field.getKey(), field.getValue().textValue(), length)));
        } else {
          hexIdsToBase64(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode item : array) {
        hexIdsToBase64(item);
      }
    }
  }

  private static String toBase64(String field, String hex, int length) throws InvalidProtocolBufferException {
    if (hex.isEmpty()) {
      return hex;
    }
    if (hex.length() != length * 2) {
      throw new InvalidProtocolBufferException("invalid " + field + " \"" + hex + "\": expected " + length * 2
          + " hex characters");
    }
    try {
      return Base64.getEncoder().encodeToString(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new InvalidProtocolBufferException("invalid " + field + " \"" + hex + "\": not hexadecimal");
    }
  }
}
