package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JSON push body in one pass of a streaming parser:
 *
 * <pre>
 * {"streams": [{"stream": {"app": "shop"},
 *               "values": [["1700000000000000000", "paid", {"trace_id": "4bf9…"}], …]}, …]}
 * </pre>
 *
 * as Loki reads it: timestamps are strings of Unix nanoseconds, the third element of an entry (structured metadata)
 * is optional and flat, further elements are ignored, null entries are skipped, unknown keys are ignored. A stream's
 * labels become the label string Loki makes of them ({@code {app="shop"}}, names sorted) and are parsed as such, so
 * that a name that is no label name fails as in Loki ({@code couldn't parse labels: 1:5: parse error: unexpected
 * character inside braces: '.'}).
 *
 * <p>A value of the wrong type fails with the message of Loki's JSON library ({@code Value is string, but can't find
 * closing '"' symbol}) behind the path jsoniter puts in front of it; syntax errors carry the parser's description.
 */
final class PushJsonDecoder {
  static final String MALFORMED_STRING = "Value is string, but can't find closing '\"' symbol";
  static final String MALFORMED_ARRAY = "Value is array, but can't find closing ']' symbol";
  static final String MALFORMED_OBJECT = "Value looks like object, but can't find closing '}' symbol";
  static final String MALFORMED_VALUE = "Value looks like Number/Boolean/None, but can't find its end: ',' or '}'"
      + " symbol";
  static final String OVERFLOW_INTEGER = "Value is number, but overflowed while parsing";
  /** What jsoniter puts before an error raised while decoding one element of {@code streams}. */
  static final String STREAM_ERROR = "loghttp.PushRequest.Streams: []loghttp.LogProtoStream: unmarshalerDecoder: ";

  /** Deep documents are refused before they cost stack: a push body is four levels deep. */
  private static final int MAX_NESTING = 200;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
          .maxStringLength(Integer.MAX_VALUE).build())
      .build();

  /** A body that is not a push request. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private PushJsonDecoder() {}

  /**
   * @param labels receives each stream's label string, in order
   * @param entries receives each stream's entries, in the same order
   */
  static void decode(byte[] body, List<String> labels, List<List<LogEntry>> entries) throws MalformedException {
    if (isBlank(body)) {
      throw new MalformedException("EOF");
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        return;
      }
      if (t != JsonToken.START_OBJECT) {
        throw new MalformedException("loghttp.PushRequest.ReadObjectCB: expect { or n, but found " + first(p));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (!key.equals("streams")) {
          p.skipChildren();
          continue;
        }
        if (v == JsonToken.VALUE_NULL) {
          continue;
        }
        if (v != JsonToken.START_ARRAY) {
          throw new MalformedException("loghttp.PushRequest.Streams: []loghttp.LogProtoStream: decode slice: expect"
              + " [ or n, but found " + first(p));
        }
        // A repeated "streams" key replaces what an earlier one held, as for any struct field.
        labels.clear();
        entries.clear();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          stream(p, body, labels, entries);
        }
      }
    } catch (JsonParseException | StreamConstraintsException e) {
      throw new MalformedException("loghttp.PushRequest: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedException("loghttp.PushRequest: " + e.getMessage());
    }
  }

  /** One element of {@code streams}, the parser on its first token. */
  private static void stream(JsonParser p, byte[] body, List<String> labels, List<List<LogEntry>> entries)
      throws IOException, MalformedException {
    if (p.currentToken() != JsonToken.START_OBJECT) { // null too: jsoniter hands it to the object walk, which fails
      throw new MalformedException(STREAM_ERROR + MALFORMED_OBJECT);
    }
    String labelString = "";
    List<LogEntry> values = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      switch (key) {
        case "stream" -> labelString = labelSet(p, v, body);
        case "values" -> {
          values = new ArrayList<>();
          if (v == JsonToken.VALUE_NULL) {
            continue;
          }
          if (v != JsonToken.START_ARRAY) {
            throw new MalformedException(STREAM_ERROR + MALFORMED_ARRAY);
          }
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
              continue;
            }
            values.add(entry(p));
          }
        }
        default -> p.skipChildren();
      }
    }
    labels.add(labelString);
    entries.add(values);
  }

  /** The labels object as Loki's {@code LabelSet.String()} writes it: names sorted, values Go-quoted. */
  private static String labelSet(JsonParser p, JsonToken t, byte[] body) throws IOException, MalformedException {
    if (t != JsonToken.START_OBJECT) {
      throw new MalformedException(STREAM_ERROR + MALFORMED_OBJECT);
    }
    Map<String, String> set = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      set.put(name, text(p, p.nextToken(), body));
    }
    StringBuilder sb = new StringBuilder().append('{');
    for (Map.Entry<String, String> e : set.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append('=').append(GoFormat.quote(e.getValue()));
    }
    return sb.append('}').toString();
  }

  /** A label value: Loki takes any value's text (a number's digits, {@code true}, an object's JSON as sent). */
  private static String text(JsonParser p, JsonToken t, byte[] body) throws IOException {
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      long from = p.currentTokenLocation().getByteOffset();
      p.skipChildren();
      long to = p.currentLocation().getByteOffset();
      return new String(body, (int) from, (int) (to - from), StandardCharsets.UTF_8);
    }
    return p.getText();
  }

  /** {@code ["<ns>", "<line>", {metadata}?, …]}, the parser on its first token. */
  private static LogEntry entry(JsonParser p) throws IOException, MalformedException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      throw new MalformedException(STREAM_ERROR + MALFORMED_ARRAY);
    }
    long ts = 0;
    String line = "";
    Labels metadata = Labels.EMPTY;
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
      switch (i) {
        case 0 -> {
          if (t != JsonToken.VALUE_STRING) {
            throw new MalformedException(STREAM_ERROR + MALFORMED_STRING);
          }
          ts = parseInt(p.getText());
        }
        case 1 -> {
          if (t != JsonToken.VALUE_STRING) {
            throw new MalformedException(STREAM_ERROR + MALFORMED_STRING);
          }
          line = p.getText();
        }
        case 2 -> {
          if (t != JsonToken.START_OBJECT) {
            throw new MalformedException(STREAM_ERROR + MALFORMED_OBJECT);
          }
          List<String> pairs = new ArrayList<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
              throw new MalformedException(STREAM_ERROR + MALFORMED_STRING);
            }
            pairs.add(name);
            pairs.add(p.getText());
          }
          metadata = Labels.of(pairs.toArray(String[]::new));
        }
        default -> p.skipChildren();
      }
    }
    return new LogEntry(ts, line, metadata);
  }

  /** {@code jsonparser.ParseInt}: an optional minus and decimal digits, within int64. */
  static long parseInt(String s) throws MalformedException {
    int i = s.startsWith("-") ? 1 : 0;
    if (i == s.length()) {
      throw new MalformedException(STREAM_ERROR + MALFORMED_VALUE);
    }
    long v = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new MalformedException(STREAM_ERROR + MALFORMED_VALUE);
      }
      long next = v * 10 - (c - '0'); // accumulated negatively, so that Long.MIN_VALUE fits
      if (v < Long.MIN_VALUE / 10 || next > v) {
        throw new MalformedException(STREAM_ERROR + OVERFLOW_INTEGER);
      }
      v = next;
    }
    if (s.startsWith("-")) {
      return v;
    }
    if (v == Long.MIN_VALUE) {
      throw new MalformedException(STREAM_ERROR + OVERFLOW_INTEGER);
    }
    return -v;
  }

  private static String first(JsonParser p) throws IOException {
    String text = p.getText();
    return text == null || text.isEmpty() ? "?" : text.substring(0, 1);
  }

  private static boolean isBlank(byte[] body) {
    for (byte c : body) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }
}
