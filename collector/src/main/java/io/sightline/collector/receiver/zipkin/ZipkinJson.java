package io.sightline.collector.receiver.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Zipkin v2 JSON list of spans ({@code [{"traceId": …}, …]}) in one pass of a streaming parser. It is as
 * lenient as zipkin-go (which the Collector's receiver uses): unknown fields and nulls are skipped, ids are 1 to 32
 * (trace) or 1 to 16 (span) hex digits of either case and are left-padded. A tag value that is a JSON number is taken
 * as its text, as Zipkin's own reader does. Messages follow Zipkin's {@code "… reading List<Span> from json"} and say
 * where the problem is.
 */
final class ZipkinJson {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final String READING = " reading List<Span> from json";

  private ZipkinJson() {}

  static List<ZipkinSpan> decode(byte[] body) throws ZipkinFormatException {
    if (body.length == 0) {
      throw new ZipkinFormatException("Empty input" + READING);
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ZipkinFormatException("Empty input" + READING);
      }
      if (first != JsonToken.START_ARRAY) {
        throw new ZipkinFormatException("Malformed" + READING + ": expected a list of spans, not " + describe(p));
      }
      List<ZipkinSpan> spans = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        String path = "$[" + spans.size() + "]";
        if (t != JsonToken.START_OBJECT) {
          throw problem("expected a span object, not " + describe(p), path);
        }
        spans.add(span(p, path));
      }
      if (p.nextToken() != null) {
        throw new ZipkinFormatException("Malformed" + READING + ": content after the list at " + at(p.currentLocation()));
      }
      return spans;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      throw new ZipkinFormatException("Malformed" + READING + ": " + e.getOriginalMessage()
          + (l == null ? "" : " at " + at(l)));
    } catch (IOException e) {
      // A byte array cannot fail to read; kept as a malformed body rather than an internal error.
      throw new ZipkinFormatException("Malformed" + READING + ": " + e.getMessage());
    }
  }

  private static ZipkinSpan span(JsonParser p, String path) throws IOException, ZipkinFormatException {
    String traceId = null;
    String id = null;
    String parentId = null;
    String kind = null;
    String name = "";
    long timestamp = 0;
    long duration = 0;
    ZipkinSpan.Endpoint local = null;
    ZipkinSpan.Endpoint remote = null;
    List<ZipkinSpan.Annotation> annotations = List.of();
    Map<String, String> tags = Map.of();
    boolean debug = false;
    boolean shared = false;
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      JsonToken value = p.nextToken();
      String at = path + "." + field;
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "traceId" -> traceId = string(p, at);
        case "id" -> id = string(p, at);
        case "parentId" -> parentId = string(p, at);
        case "kind" -> kind = string(p, at);
        case "name" -> name = string(p, at);
        case "timestamp" -> timestamp = micros(p, at);
        case "duration" -> duration = micros(p, at);
        case "debug" -> debug = bool(p, at);
        case "shared" -> shared = bool(p, at);
        case "localEndpoint" -> local = endpoint(p, at);
        case "remoteEndpoint" -> remote = endpoint(p, at);
        case "annotations" -> annotations = annotations(p, at);
        case "tags" -> tags = tags(p, at);
        default -> p.skipChildren();
      }
    }
    if (traceId == null || traceId.isEmpty()) {
      throw problem("valid traceId required", path + ".traceId");
    }
    if (id == null || id.isEmpty()) {
      throw problem("valid span id required", path + ".id");
    }
    long high = 0;
    long low;
    if (traceId.length() > 32) {
      throw problem("traceId should be a 1 to 32 character lower-hex string with no prefix", path + ".traceId");
    }
    if (traceId.length() > 16) {
      high = hex(traceId.substring(0, traceId.length() - 16), "traceId", 32, path);
      low = hex(traceId.substring(traceId.length() - 16), "traceId", 32, path);
    } else {
      low = hex(traceId, "traceId", 32, path);
    }
    if (high == 0 && low == 0) {
      throw problem("valid traceId required", path + ".traceId");
    }
    long spanId = hex(id, "id", 16, path);
    if (spanId == 0) {
      throw problem("valid span id required", path + ".id");
    }
    long parent = parentId == null || parentId.isEmpty() ? 0 : hex(parentId, "parentId", 16, path);
    return new ZipkinSpan(high, low, spanId, parent, kind, name, timestamp, duration, local, remote, annotations, tags,
        debug, shared);
  }

  private static ZipkinSpan.Endpoint endpoint(JsonParser p, String path) throws IOException, ZipkinFormatException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw problem("expected an endpoint object, not " + describe(p), path);
    }
    String serviceName = "";
    String ipv4 = null;
    String ipv6 = null;
    int port = 0;
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      JsonToken value = p.nextToken();
      String at = path + "." + field;
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "serviceName" -> serviceName = string(p, at);
        case "ipv4" -> ipv4 = ip(string(p, at), at);
        case "ipv6" -> ipv6 = ip(string(p, at), at);
        case "port" -> {
          if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > 65535) {
            throw problem("port should be a number from 0 to 65535", at);
          }
          port = p.getIntValue();
        }
        default -> p.skipChildren();
      }
    }
    ZipkinSpan.Endpoint e = new ZipkinSpan.Endpoint(serviceName, ipv4, ipv6, port);
    return e.isEmpty() ? null : e;
  }

  private static String ip(String text, String path) throws ZipkinFormatException {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return IpAddresses.parse(text);
    } catch (ZipkinFormatException e) {
      throw problem(e.getMessage(), path);
    }
  }

  private static List<ZipkinSpan.Annotation> annotations(JsonParser p, String path)
      throws IOException, ZipkinFormatException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw problem("expected a list of annotations, not " + describe(p), path);
    }
    List<ZipkinSpan.Annotation> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String at = path + "[" + out.size() + "]";
      if (t != JsonToken.START_OBJECT) {
        throw problem("expected an annotation object, not " + describe(p), at);
      }
      long timestamp = 0;
      String value = "";
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_NULL) {
          continue;
        }
        switch (field) {
          case "timestamp" -> timestamp = micros(p, at + ".timestamp");
          case "value" -> value = string(p, at + ".value");
          default -> p.skipChildren();
        }
      }
      if (timestamp < 1) {
        throw problem("valid annotation timestamp required", at + ".timestamp");
      }
      out.add(new ZipkinSpan.Annotation(timestamp, value));
    }
    return out;
  }

  private static Map<String, String> tags(JsonParser p, String path) throws IOException, ZipkinFormatException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw problem("expected an object of tags, not " + describe(p), path);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      switch (v) {
        case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.put(key, p.getText());
        case VALUE_NULL -> { }
        default -> throw problem("tag values should be strings, not " + describe(p), path + "." + key);
      }
    }
    return out;
  }

  private static String string(JsonParser p, String path) throws IOException, ZipkinFormatException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw problem("expected a string, not " + describe(p), path);
    }
    return p.getText();
  }

  private static long micros(JsonParser p, String path) throws IOException, ZipkinFormatException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        || p.getLongValue() < 0) {
      throw problem("expected a whole, non-negative number of microseconds, not " + describe(p), path);
    }
    return p.getLongValue();
  }

  private static boolean bool(JsonParser p, String path) throws IOException, ZipkinFormatException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw problem("expected true or false, not " + describe(p), path);
    }
    return t == JsonToken.VALUE_TRUE;
  }

  /** Hex digits as an unsigned long; {@code maxDigits} only words the message (the caller splits trace ids). */
  private static long hex(String s, String field, int maxDigits, String path) throws ZipkinFormatException {
    if (s.isEmpty() || s.length() > 16) {
      throw problem(field + " should be a 1 to " + maxDigits + " character lower-hex string with no prefix",
          path + "." + field);
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        throw problem(field + " should be a 1 to " + maxDigits + " character lower-hex string with no prefix",
            path + "." + field);
      }
      v = v << 4 | d;
    }
    return v;
  }

  private static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
      case VALUE_TRUE, VALUE_FALSE -> p.getText();
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static ZipkinFormatException problem(String cause, String path) {
    return new ZipkinFormatException(cause + READING + " at " + path);
  }

  private static String at(JsonLocation l) {
    return "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }
}
