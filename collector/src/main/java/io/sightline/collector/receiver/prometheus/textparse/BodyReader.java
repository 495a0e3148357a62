package io.sightline.collector.receiver.prometheus.textparse;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What the two formats share: a cursor over the body's bytes, names, quoted strings, label sets, floats and the error
 * messages. The subclasses hold the line grammar, which is where the formats differ (blanks, comments, timestamps,
 * exemplars, {@code # EOF}).
 *
 * <p>Nothing is split into lines first: the grammar reads tokens from {@link #pos} up to each newline, and a line
 * number is worked out only when an error needs one.
 */
abstract sealed class BodyReader permits PrometheusTextReader, OpenMetricsReader {
  /** Longest piece of a line quoted in an error message; a line can be megabytes long. */
  private static final int MAX_CONTEXT = 120;
  private static final int MAX_TOKEN = 40;

  final byte[] b;
  final int n;
  final ExpositionHandler handler;
  final StringTable strings = new StringTable();
  final LabelPairs labels = new LabelPairs();
  /** Where the current entry began, for the "while parsing" part of messages. */
  int entryStart;
  int pos;

  /**
   * The classic format's laxer label sets: blanks between tokens, commas optional, raw newlines in quoted values.
   */
  private final boolean classic;
  /**
   * The type named by the last TYPE line, whichever family it named: Prometheus normalizes {@code le} and
   * {@code quantile} by it and says itself that this goes wrong when a family has no TYPE line; we do as it does.
   */
  private boolean histogramType;
  private boolean summaryType;
  private final Map<String, String> normalizedBounds = new HashMap<>();
  /** What the last {@link #quotedEnd} saw, read right after it by {@link #quotedString}. */
  private boolean quotedEscapes;
  private boolean quotedNonAscii;
  private byte[] scratch = new byte[64];

  BodyReader(byte[] body, boolean classic, ExpositionHandler handler) {
    this.b = body;
    this.n = body.length;
    this.classic = classic;
    this.handler = handler;
  }

  abstract void parse() throws ExpositionParseException;

  void typeSeen(String type) {
    histogramType = type.equals("histogram");
    summaryType = type.equals("summary");
  }

  // ---- names

  static boolean isMetricNameStart(byte c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
  }

  static boolean isMetricNameChar(byte c) {
    return isMetricNameStart(c) || c >= '0' && c <= '9';
  }

  static boolean isLabelNameStart(byte c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  static boolean isLabelNameChar(byte c) {
    return isLabelNameStart(c) || c >= '0' && c <= '9';
  }

  int metricNameEnd(int from) {
    int i = from;
    while (i < n && isMetricNameChar(b[i])) {
      i++;
    }
    return i;
  }

  private int labelNameEnd(int from) {
    int i = from;
    while (i < n && isLabelNameChar(b[i])) {
      i++;
    }
    return i;
  }

  /**
   * The metric name a HELP, TYPE or UNIT line names, plain or quoted, read from {@link #pos}.
   */
  String metadataName(String keyword) throws ExpositionParseException {
    if (pos < n && isMetricNameStart(b[pos])) {
      int end = metricNameEnd(pos);
      String name = strings.ascii(b, pos, end);
      pos = end;
      return name;
    }
    int end;
    if (pos < n && b[pos] == '"' && (end = quotedEnd(pos, true)) > 0) {
      String name = quotedString(pos, end);
      if (name == null) {
        throw error(pos, "invalid UTF-8 metric name: " + GoQuote.quote(b, pos, end));
      }
      pos = end;
      return name;
    }
    throw tokenError("expected metric name after " + keyword, pos);
  }

  // ---- quoted strings

  /**
   * The index just past the string that opens with the quote at {@code from}, or -1 if it does not close. A backslash
   * takes the next character with it, whatever it is, as Prometheus' lexers read {@code \"(\\.|[^\\"])*\"}.
   */
  int quotedEnd(int from, boolean rawNewlines) {
    quotedEscapes = false;
    quotedNonAscii = false;
    int i = from + 1;
    while (i < n) {
      byte c = b[i];
      if (c == '"') {
        return i + 1;
      } else if (c == '\\') {
        if (i + 1 == n || b[i + 1] == '\n') {
          return -1;
        }
        quotedEscapes = true;
        i++;
        c = b[i];
      } else if (c == '\n' && !rawNewlines) {
        return -1;
      }
      if (c < 0) {
        quotedNonAscii = true;
      }
      i++;
    }
    return -1;
  }

  /**
   * The unescaped content of the string {@link #quotedEnd} just found in {@code [from, end)}, or null if it is no
   * UTF-8. {@code \\}, {@code \"} and {@code \n} are escapes; any other backslash stays, as in Prometheus.
   */
  String quotedString(int from, int end) {
    int s = from + 1;
    int e = end - 1;
    if (quotedNonAscii && !Utf8.isValid(b, s, e)) {
      return null;
    }
    if (!quotedEscapes) {
      return quotedNonAscii ? new String(b, s, e - s, StandardCharsets.UTF_8) : strings.ascii(b, s, e);
    }
    int length = unescape(s, e, true);
    return quotedNonAscii ? new String(scratch, 0, length, StandardCharsets.UTF_8) : strings.ascii(scratch, 0, length);
  }

  /** HELP text in {@code [from, to)}, already checked to be UTF-8; {@code \"} is an escape in OpenMetrics only. */
  String helpText(int from, int to, boolean quoteIsEscape) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\\') {
        return new String(scratch, 0, unescape(from, to, quoteIsEscape), StandardCharsets.UTF_8);
      }
    }
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  /** Unescapes {@code [from, to)} into {@link #scratch}; returns the length. */
  private int unescape(int from, int to, boolean quoteIsEscape) {
    if (scratch.length < to - from) {
      scratch = Arrays.copyOf(scratch, Math.max(to - from, scratch.length * 2));
    }
    int length = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\\' && i + 1 < to) {
        byte next = b[i + 1];
        if (next == '\\' || next == 'n' || next == '"' && quoteIsEscape) {
          scratch[length++] = next == 'n' ? (byte) '\n' : next;
          i++;
          continue;
        }
      }
      scratch[length++] = c;
    }
    return length;
  }

  // ---- label sets

  /**
   * Reads the label set whose brace is at {@link #pos} into {@code out}. A quoted string followed by a comma or the
   * closing brace is the metric name (Prometheus 3's {@code {"my.metric", a="b"}}); returns the metric name, the one
   * passed in when the set names none.
   */
  String readLabelSet(String metricName, LabelPairs out, boolean exemplar) throws ExpositionParseException {
    pos++;
    while (true) {
      skipBlanks();
      if (pos < n && b[pos] == '}') {
        pos++;
        return metricName;
      }
      int start = pos;
      int end;
      boolean quoted = false;
      if (pos < n && isLabelNameStart(b[pos])) {
        end = labelNameEnd(pos);
      } else if (pos < n && b[pos] == '"' && (end = quotedEnd(pos, true)) > 0) {
        quoted = true;
      } else {
        throw tokenError("expected label name", pos);
      }
      String name = quoted ? quotedString(start, end) : strings.ascii(b, start, end);
      if (name == null) {
        throw error(start, "invalid UTF-8 label name: " + GoQuote.quote(b, start, end));
      }
      pos = end;
      skipBlanks();
      if (quoted && pos < n && (b[pos] == ',' || b[pos] == '}')) {
        if (exemplar) {
          throw tokenError("expected label name", pos);
        }
        if (metricName != null) {
          throw error(start, "metric name already set while parsing: " + context(pos + 1));
        }
        metricName = name;
        if (b[pos] == ',') {
          pos++;
        }
        continue;
      }
      if (pos >= n || b[pos] != '=') {
        throw tokenError("expected equal", pos);
      }
      pos++;
      skipBlanks();
      int valueEnd;
      if (pos >= n || b[pos] != '"' || (valueEnd = quotedEnd(pos, classic)) < 0
          || exemplar && containsNul(pos, valueEnd)) {
        throw tokenError("expected label value", pos);
      }
      String value = quotedString(pos, valueEnd);
      if (value == null) {
        throw error(pos, "invalid UTF-8 label value: " + GoQuote.quote(b, pos, valueEnd));
      }
      pos = valueEnd;
      if (!out.add(name, exemplar ? value : normalizeBound(name, value))) {
        throw error(start, "duplicate label name " + GoQuote.quote(name) + " while parsing: " + context(pos));
      }
      skipBlanks();
      if (pos < n && b[pos] == ',') {
        pos++;
      } else if (!classic && (pos >= n || b[pos] != '}')) {
        throw tokenError("expected comma or brace close", pos);
      }
    }
  }

  /** Prometheus' lexer lets NUL bytes into series label values but not into an exemplar's. */
  private boolean containsNul(int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Prometheus writes a histogram's {@code le} and a summary's {@code quantile} the way OpenMetrics does
   * ({@code le="1"} becomes {@code le="1.0"}), so that the same bucket is one series whichever format it came in.
   */
  private String normalizeBound(String name, String value) {
    if (histogramType && name.equals("le") || summaryType && name.equals("quantile")) {
      String normalized = normalizedBounds.get(value);
      if (normalized == null) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
          normalized = GoFloat.formatOpenMetrics(GoFloat.parse(bytes, 0, bytes.length));
        } catch (GoFloat.InvalidFloat notAFloat) {
          normalized = value; // left as written, as Prometheus leaves it
        }
        normalizedBounds.put(value, normalized);
      }
      return normalized;
    }
    return value;
  }

  /** After the label set: the name must be there, once. */
  void checkMetricName(String metricName) throws ExpositionParseException {
    if (metricName == null) {
      throw error(pos, "metric name not set while parsing: " + context(pos));
    }
    if (labels.contains(Labels.METRIC_NAME)) {
      throw error(pos, "duplicate label name \"__name__\" while parsing: " + context(pos));
    }
  }

  // ---- values and blanks

  double parseFloat(int from, int to) throws ExpositionParseException {
    try {
      return GoFloat.parse(b, from, to);
    } catch (GoFloat.InvalidFloat e) {
      throw error(from, e.getMessage() + " while parsing: " + context(to));
    }
  }

  void skipBlanks() {
    if (classic) {
      while (pos < n && (b[pos] == ' ' || b[pos] == '\t')) {
        pos++;
      }
    }
  }

  boolean startsWith(int at, String ascii) {
    if (at + ascii.length() > n) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The one of {@code candidates} that {@code [from, to)} spells exactly, or null. */
  String oneOf(int from, int to, String[] candidates) {
    for (String candidate : candidates) {
      if (candidate.length() == to - from && startsWith(from, candidate)) {
        return candidate;
      }
    }
    return null;
  }

  int lineEnd(int from) {
    int i = from;
    while (i < n && b[i] != '\n') {
      i++;
    }
    return i;
  }

  // ---- errors

  ExpositionParseException error(int at, String problem) {
    return new ExpositionParseException(lineAt(at), problem);
  }

  /** Prometheus' parse error: what was expected, the token found instead, and the entry up to it. */
  ExpositionParseException tokenError(String expected, int at) {
    if (at >= n) {
      return error(at, expected + ", got EOF while parsing: " + context(n));
    }
    int end = messageTokenEnd(at);
    return error(at, expected + ", got " + GoQuote.quote(b, at, end) + " while parsing: " + context(end));
  }

  /** The entry being parsed, quoted, up to {@code to}; long lines lose their middle. */
  String context(int to) {
    int end = Math.min(to, n);
    if (end - entryStart <= MAX_CONTEXT) {
      return GoQuote.quote(b, entryStart, end);
    }
    return GoQuote.quote(b, entryStart, entryStart + MAX_CONTEXT / 2) + "…"
        + GoQuote.quote(b, end - MAX_CONTEXT / 2, end);
  }

  /** The extent of the token at {@code at}, for showing it: a name, a quoted string, a symbol or a run of others. */
  private int messageTokenEnd(int at) {
    byte c = b[at];
    int end;
    if (isMetricNameChar(c)) {
      end = metricNameEnd(at);
    } else if (c == '"') {
      int e = quotedEnd(at, false);
      end = e > 0 ? e : Math.max(lineEnd(at), at + 1);
    } else if (c == '{' || c == '}' || c == '=' || c == ',' || c == '\n' || c == ' ' || c == '\t') {
      end = at + 1;
    } else {
      end = at + 1;
      while (end < n && " \t\n{}=,\"".indexOf(b[end]) < 0) {
        end++;
      }
    }
    return Math.min(end, at + MAX_TOKEN);
  }

  /** 1-based; counted only when an error needs it. */
  private int lineAt(int at) {
    int line = 1;
    int end = Math.min(at, n);
    for (int i = 0; i < end; i++) {
      if (b[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
