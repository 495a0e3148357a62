package io.sightline.collector.receiver.prometheus.textparse;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the Prometheus text format 0.0.4 and OpenMetrics 1.0 text, line by line from the bytes, as Prometheus'
 * {@code promparse.go} and {@code openmetricsparse.go} read them: HELP, TYPE (and UNIT) lines, samples with labels,
 * values in Go's float syntax, optional timestamps (milliseconds in the classic format, seconds in OpenMetrics),
 * OpenMetrics exemplars and its closing {@code # EOF}. Prometheus 3's quoted UTF-8 names ({@code {"my.metric"}}) are
 * read too. The first error stops the parse; what came before it has been reported.
 */
public final class ExpositionParser {
  private static final Set<String> TEXT_TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Set<String> OPENMETRICS_TYPES = Set.of("counter", "gauge", "histogram", "gaugehistogram",
      "summary", "info", "stateset", "unknown");
  /** OpenMetrics' bound on an exemplar's label set, in characters of names and values together. */
  static final int MAX_EXEMPLAR_LABEL_CHARS = 128;

  private final byte[] b;
  private final boolean openMetrics;
  private final ExpositionHandler handler;
  private final List<String> pairs = new ArrayList<>(16);
  private int lineNo;
  private int end;
  private int i;

  private ExpositionParser(byte[] body, boolean openMetrics, ExpositionHandler handler) {
    this.b = body;
    this.openMetrics = openMetrics;
    this.handler = handler;
  }

  /**
   * Parses the whole body, calling the handler in order.
   *
   * @throws ExpositionParseException on the first error; samples before it have been reported
   */
  public static void parse(byte[] body, ExpositionFormat format, ExpositionHandler handler)
      throws ExpositionParseException {
    new ExpositionParser(body, format == ExpositionFormat.OPENMETRICS, handler).run();
  }

  private void run() throws ExpositionParseException {
    int pos = 0;
    boolean eof = false;
    while (pos < b.length) {
      lineNo++;
      if (eof) {
        throw error("unexpected data after # EOF");
      }
      int newline = pos;
      while (newline < b.length && b[newline] != '\n') {
        newline++;
      }
      end = newline;
      if (!openMetrics && end > pos && b[end - 1] == '\r') {
        end--; // a CRLF file: tolerated in the classic format
      }
      i = pos;
      eof = line();
      pos = newline + 1;
    }
    if (openMetrics && !eof) {
      throw new ExpositionParseException(Math.max(lineNo, 1), "data does not end with # EOF");
    }
  }

  /** One line in {@code [i, end)}; true for OpenMetrics' {@code # EOF}. */
  private boolean line() throws ExpositionParseException {
    if (!openMetrics) {
      skipBlanks();
      if (i == end) {
        return false; // blank lines are allowed in the classic format
      }
    } else if (i == end) {
      throw error("unexpected empty line");
    }
    if (b[i] == '#') {
      return comment();
    }
    sample();
    return false;
  }

  private boolean comment() throws ExpositionParseException {
    i++;
    if (openMetrics) {
      if (i == end || b[i] != ' ') {
        throw error("expected a space after '#'");
      }
      i++;
      String keyword = word();
      if (keyword.equals("EOF") && i == end) {
        return true;
      }
      if (!keyword.equals("HELP") && !keyword.equals("TYPE") && !keyword.equals("UNIT")) {
        throw error("invalid metadata line, expected HELP, TYPE, UNIT or EOF, got \"" + keyword + "\"");
      }
      expect(' ');
      metadata(keyword);
      return false;
    }
    skipBlanks();
    String keyword = word();
    if ((!keyword.equals("HELP") && !keyword.equals("TYPE")) || i == end || !isBlank(b[i])) {
      return false; // any other comment is ignored
    }
    skipBlanks();
    metadata(keyword);
    return false;
  }

  private void metadata(String keyword) throws ExpositionParseException {
    String name = metricName();
    if (i < end && !isBlank(b[i])) {
      throw error("expected a blank after the metric name in " + keyword + ", got \"" + rest() + "\"");
    }
    if (keyword.equals("HELP")) {
      if (i < end) {
        i++; // the one separating blank; the rest, blanks included, is the text
      }
      handler.help(name, unescapeHelp(i, end));
    } else if (keyword.equals("TYPE")) {
      skipBlanks();
      String type = new String(b, i, end - i, StandardCharsets.UTF_8);
      if (!openMetrics) {
        type = type.strip();
      }
      if (!(openMetrics ? OPENMETRICS_TYPES : TEXT_TYPES).contains(type)) {
        throw error("invalid metric type \"" + type + "\"");
      }
      handler.type(name, type);
    } else {
      if (i < end) {
        i++;
      }
      handler.unit(name, new String(b, i, end - i, StandardCharsets.UTF_8));
    }
  }

  private void sample() throws ExpositionParseException {
    pairs.clear();
    String name = null;
    if (b[i] != '{') {
      name = metricName();
    }
    if (i < end && b[i] == '{') {
      name = labelSet(name, pairs);
    }
    if (name == null || name.isEmpty()) {
      throw error("expected a metric name, got \"" + rest() + "\"");
    }
    pairs.add("__name__");
    pairs.add(name);
    requireSeparator("value");
    double value = parseValue(token());
    long timestamp = Long.MIN_VALUE;
    if (openMetrics) {
      if (i < end && b[i] == ' ' && !(i + 1 < end && b[i + 1] == '#')) {
        i++;
        timestamp = openMetricsTimestamp(token());
      }
    } else {
      skipBlanks();
      if (i < end) {
        String ts = token();
        try {
          timestamp = Long.parseLong(ts);
        } catch (NumberFormatException e) {
          throw error("invalid timestamp \"" + ts + "\"");
        }
        skipBlanks();
        if (i < end) {
          throw error("unexpected \"" + rest() + "\" after the timestamp");
        }
      }
    }
    handler.sample(labels(pairs), value, timestamp);
    if (openMetrics && i < end) {
      exemplar();
    }
  }

  /** OpenMetrics: {@code  # {trace_id="…"} 0.5 [1700000000.5]} after a sample. */
  private void exemplar() throws ExpositionParseException {
    if (end - i < 4 || b[i] != ' ' || b[i + 1] != '#' || b[i + 2] != ' ' || b[i + 3] != '{') {
      throw error("unexpected \"" + rest() + "\" after the sample");
    }
    i += 3;
    List<String> kv = new ArrayList<>(4);
    labelSet("", kv);
    int chars = 0;
    for (String s : kv) {
      chars += s.codePointCount(0, s.length());
    }
    if (chars > MAX_EXEMPLAR_LABEL_CHARS) {
      throw error("exemplar labels have " + chars + " characters, more than the " + MAX_EXEMPLAR_LABEL_CHARS
          + " OpenMetrics allows");
    }
    expect(' ');
    double value = parseValue(token());
    long timestamp = Long.MIN_VALUE;
    if (i < end) {
      expect(' ');
      timestamp = openMetricsTimestamp(token());
    }
    if (i < end) {
      throw error("unexpected \"" + rest() + "\" after the exemplar");
    }
    handler.exemplar(labels(kv), value, timestamp);
  }

  /**
   * {@code {name="value", ...}} from {@code i} (on the brace) into {@code out}; a quoted string with no {@code =}
   * after it is the metric name (Prometheus 3's UTF-8 form). Returns the metric name, the given one if none inside.
   */
  private String labelSet(String name, List<String> out) throws ExpositionParseException {
    i++;
    while (true) {
      skipBlanks();
      if (i == end) {
        throw error("unexpected end of line inside the label set");
      }
      if (b[i] == '}') {
        i++;
        return name;
      }
      String label;
      if (b[i] == '"') {
        label = quoted();
        skipBlanks();
        if (i < end && (b[i] == ',' || b[i] == '}') && (name == null || name.isEmpty()) && out != null
            && out.isEmpty()) {
          name = label; // {"my.metric", ...}
          if (b[i] == ',') {
            i++;
          }
          continue;
        }
      } else {
        label = labelName();
        skipBlanks();
      }
      if (i == end || b[i] != '=') {
        throw error("expected '=' after label name \"" + label + "\", got \"" + rest() + "\"");
      }
      i++;
      skipBlanks();
      if (i == end || b[i] != '"') {
        throw error("expected a quoted label value for \"" + label + "\", got \"" + rest() + "\"");
      }
      String value = quoted();
      for (int j = 0; j < out.size(); j += 2) {
        if (out.get(j).equals(label)) {
          throw error("duplicate label name \"" + label + "\"");
        }
      }
      out.add(label);
      out.add(value);
      skipBlanks();
      if (i < end && b[i] == ',') {
        i++;
      } else if (i == end || b[i] != '}') {
        throw error("expected ',' or '}' after label \"" + label + "\", got \"" + rest() + "\"");
      }
    }
  }

  private String metricName() throws ExpositionParseException {
    if (i < end && b[i] == '"') {
      return quoted();
    }
    int start = i;
    while (i < end && (isNameChar(b[i], i == start) || b[i] == ':')) {
      i++;
    }
    if (i == start) {
      throw error("expected a valid start token, got \"" + rest() + "\"");
    }
    return new String(b, start, i - start, StandardCharsets.US_ASCII);
  }

  private String labelName() throws ExpositionParseException {
    int start = i;
    while (i < end && isNameChar(b[i], i == start)) {
      i++;
    }
    if (i == start) {
      throw error("expected label name, got \"" + rest() + "\"");
    }
    return new String(b, start, i - start, StandardCharsets.US_ASCII);
  }

  private static boolean isNameChar(byte c, boolean first) {
    return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9';
  }

  /** A double-quoted string from {@code i}, with {@code \\}, {@code \"} and {@code \n} escapes. */
  private String quoted() throws ExpositionParseException {
    i++;
    StringBuilder sb = null;
    int start = i;
    while (i < end) {
      byte c = b[i];
      if (c == '"') {
        String s = sb == null ? new String(b, start, i - start, StandardCharsets.UTF_8)
            : sb.append(new String(b, start, i - start, StandardCharsets.UTF_8)).toString();
        i++;
        return s;
      }
      if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(new String(b, start, i - start, StandardCharsets.UTF_8));
        if (i + 1 == end) {
          break;
        }
        byte e = b[i + 1];
        switch (e) {
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          case 'n' -> sb.append('\n');
          default -> throw error("invalid escape sequence \"\\" + (char) e + "\"");
        }
        i += 2;
        start = i;
        continue;
      }
      i++;
    }
    throw error("unterminated quoted string");
  }

  private String unescapeHelp(int from, int to) throws ExpositionParseException {
    StringBuilder sb = new StringBuilder();
    int start = from;
    for (int k = from; k < to; k++) {
      if (b[k] == '\\' && k + 1 < to && (b[k + 1] == '\\' || b[k + 1] == 'n' || openMetrics && b[k + 1] == '"')) {
        sb.append(new String(b, start, k - start, StandardCharsets.UTF_8));
        sb.append(b[k + 1] == 'n' ? '\n' : (char) b[k + 1]);
        k++;
        start = k + 1;
      }
    }
    return sb.append(new String(b, start, to - start, StandardCharsets.UTF_8)).toString();
  }

  /** Go's {@code strconv.ParseFloat}, which takes NaN and Inf in any case and no Java suffixes. */
  private double parseValue(String s) throws ExpositionParseException {
    String lower = s.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "nan", "+nan", "-nan" -> {
        return Double.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> { }
    }
    char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
    boolean hex = lower.startsWith("0x") || lower.startsWith("+0x") || lower.startsWith("-0x");
    if (s.isEmpty() || !hex && (last == 'f' || last == 'F' || last == 'd' || last == 'D')
        || lower.contains("infinity") || lower.contains("nan")) {
      throw error("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
    }
    try {
      return Double.parseDouble(hex && !lower.contains("p") ? "invalid" : s);
    } catch (NumberFormatException e) {
      throw error("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
    }
  }

  private long openMetricsTimestamp(String s) throws ExpositionParseException {
    double seconds = parseValue(s);
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      throw error("invalid timestamp " + s);
    }
    return (long) (seconds * 1000);
  }

  private void requireSeparator(String what) throws ExpositionParseException {
    if (i == end || !isBlank(b[i])) {
      throw error("expected a blank before the " + what + ", got \"" + rest() + "\"");
    }
    if (openMetrics) {
      i++;
      if (i < end && isBlank(b[i])) {
        throw error("expected exactly one space before the " + what);
      }
    } else {
      skipBlanks();
    }
    if (i == end) {
      throw error("expected a " + what + ", got the end of the line");
    }
  }

  /** The run of non-blank bytes from {@code i}. */
  private String token() {
    int start = i;
    while (i < end && !isBlank(b[i])) {
      i++;
    }
    return new String(b, start, i - start, StandardCharsets.UTF_8);
  }

  private String word() {
    int start = i;
    while (i < end && !isBlank(b[i])) {
      i++;
    }
    return new String(b, start, i - start, StandardCharsets.UTF_8);
  }

  private void expect(char c) throws ExpositionParseException {
    if (i == end || b[i] != c) {
      throw error("expected '" + c + "', got \"" + rest() + "\"");
    }
    i++;
  }

  private void skipBlanks() {
    while (i < end && isBlank(b[i])) {
      i++;
    }
  }

  private boolean isBlank(byte c) {
    return c == ' ' || !openMetrics && c == '\t';
  }

  private String rest() {
    int to = Math.min(end, i + 40);
    return new String(b, i, to - i, StandardCharsets.UTF_8) + (to < end ? "…" : "");
  }

  private ExpositionParseException error(String problem) {
    return new ExpositionParseException(lineNo, problem);
  }

  private static Labels labels(List<String> kv) {
    return Labels.of(kv.toArray(String[]::new));
  }
}
