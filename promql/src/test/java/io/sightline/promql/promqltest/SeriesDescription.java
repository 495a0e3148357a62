package io.sightline.promql.promqltest;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import io.sightline.promql.functions.HistogramArithmetic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A series line of Prometheus' test scripts: {@code metric{label="value"} 1 2+3x4 _ stale {{schema:0 count:3}}},
 * labels first, then values in the expanding notation of {@code promtool} unit tests.
 */
record SeriesDescription(Labels labels, List<Value> values) {

  /** One point: omitted ({@code _}), a float (the stale marker included) or a histogram. */
  record Value(boolean omitted, double value, Histogram histogram, boolean resetHintSet) {
    static final Value OMITTED = new Value(true, 0, null, false);

    static Value of(double v) {
      return new Value(false, v, null, false);
    }
  }

  // No hexadecimal: in series descriptions "0x5" is "0 repeated 5 times", as Prometheus' lexer reads it.
  private static final String UNSIGNED = "(?:[iI][nN][fF]|[nN][aA][nN]|"
      + "(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)";
  private static final Pattern ITEM = Pattern.compile("([+-]?" + UNSIGNED + ")(?:([+-])(" + UNSIGNED
      + "))?(?:x(\\d+))?");

  static SeriesDescription parse(String line) {
    int at = 0;
    Labels.Builder labels = Labels.builder();
    int n = line.length();
    int nameEnd = 0;
    while (nameEnd < n && (Character.isLetterOrDigit(line.charAt(nameEnd)) || "_:".indexOf(line.charAt(nameEnd)) >= 0)) {
      nameEnd++;
    }
    if (nameEnd > 0) {
      labels.set(Labels.METRIC_NAME, line.substring(0, nameEnd));
    }
    at = nameEnd;
    if (at < n && line.charAt(at) == '{') {
      at = labelSet(line, at + 1, labels);
    }
    List<Value> values = values(line.substring(at).trim());
    return new SeriesDescription(labels.build(), values);
  }

  /** Reads {@code name="value", "quoted name"="v", "metric.name"} up to the closing brace; returns the next index. */
  private static int labelSet(String line, int at, Labels.Builder labels) {
    while (true) {
      at = skipSpace(line, at);
      char c = line.charAt(at);
      if (c == '}') {
        return at + 1;
      }
      if (c == ',') {
        at++;
        continue;
      }
      String name;
      if (c == '"' || c == '\'' || c == '`') {
        int[] end = new int[1];
        name = unquote(line, at, end);
        at = end[0];
      } else {
        int start = at;
        while (Character.isLetterOrDigit(line.charAt(at)) || line.charAt(at) == '_' || line.charAt(at) == ':') {
          at++;
        }
        name = line.substring(start, at);
      }
      at = skipSpace(line, at);
      if (line.charAt(at) != '=') {
        labels.set(Labels.METRIC_NAME, name); // {"metric.name", ...}
        continue;
      }
      at = skipSpace(line, at + 1);
      int[] end = new int[1];
      String value = unquote(line, at, end);
      at = end[0];
      labels.set(name, value);
    }
  }

  private static int skipSpace(String s, int at) {
    while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
      at++;
    }
    return at;
  }

  /** A Go-quoted string starting at {@code at}; {@code end[0]} is set past its closing quote. */
  static String unquote(String s, int at, int[] end) {
    char quote = s.charAt(at);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int i = at + 1;
    while (s.charAt(i) != quote) {
      char c = s.charAt(i);
      if (c == '\\' && quote != '`') {
        char e = s.charAt(i + 1);
        i += 2;
        switch (e) {
          case 'n' -> out.write('\n');
          case 't' -> out.write('\t');
          case 'r' -> out.write('\r');
          case '\\' -> out.write('\\');
          case '"', '\'' -> out.write(e);
          case 'x' -> {
            out.write(Integer.parseInt(s.substring(i, i + 2), 16));
            i += 2;
          }
          case 'u' -> {
            out.writeBytes(new String(Character.toChars(Integer.parseInt(s.substring(i, i + 4), 16)))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            i += 4;
          }
          default -> out.write(e);
        }
        continue;
      }
      int cp = s.codePointAt(i);
      out.writeBytes(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      i += Character.charCount(cp);
    }
    end[0] = i + 1;
    return java.nio.charset.StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
  }

  /** The value items, expanded. */
  static List<Value> values(String text) {
    List<Value> out = new ArrayList<>();
    int at = 0;
    while (true) {
      at = skipSpace(text, at);
      if (at >= text.length()) {
        return out;
      }
      if (text.startsWith("{{", at)) {
        at = histogramItem(text, at, out);
        continue;
      }
      int end = at;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      floatItem(text.substring(at, end), out);
      at = end;
    }
  }

  private static void floatItem(String item, List<Value> out) {
    if (item.equals("_")) {
      out.add(Value.OMITTED);
      return;
    }
    if (item.startsWith("_x")) {
      int times = Integer.parseInt(item.substring(2));
      for (int i = 0; i < times; i++) {
        out.add(Value.OMITTED);
      }
      return;
    }
    if (item.equals("stale")) {
      out.add(Value.of(StaleMarker.VALUE));
      return;
    }
    Matcher m = ITEM.matcher(item);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad series value: " + item);
    }
    double start = number(m.group(1));
    if (m.group(4) == null) {
      out.add(Value.of(start));
      return;
    }
    int times = Integer.parseInt(m.group(4));
    double step = m.group(2) == null ? 0 : number(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
    double v = start;
    for (int i = 0; i <= times; i++) {
      out.add(Value.of(v));
      v += step;
    }
  }

  static double number(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    boolean negative = l.startsWith("-");
    String body = l.startsWith("-") || l.startsWith("+") ? l.substring(1) : l;
    double v;
    if (body.equals("inf")) {
      v = Double.POSITIVE_INFINITY;
    } else if (body.equals("nan")) {
      v = Double.NaN;
    } else if (body.startsWith("0x")) {
      v = Long.parseLong(body.substring(2), 16);
    } else {
      v = Double.parseDouble(body);
    }
    return negative ? -v : v;
  }

  /** {@code {{...}}}, {@code {{...}}xN}, {@code {{...}}+{{...}}xN} or {@code {{...}}-{{...}}xN}. */
  private static int histogramItem(String text, int at, List<Value> out) {
    int close = text.indexOf("}}", at);
    Value first = histogram(text.substring(at + 2, close));
    at = close + 2;
    if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-') && text.startsWith("{{", at + 1)) {
      boolean add = text.charAt(at) == '+';
      int close2 = text.indexOf("}}", at + 1);
      Histogram increment = histogram(text.substring(at + 3, close2)).histogram();
      at = close2 + 2;
      int times = 0;
      if (at < text.length() && text.charAt(at) == 'x') {
        int end = at + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
          end++;
        }
        times = Integer.parseInt(text.substring(at + 1, end));
        at = end;
      }
      Histogram h = first.histogram();
      for (int i = 0; i <= times; i++) {
        out.add(new Value(false, 0, h, first.resetHintSet()));
        h = add ? HistogramArithmetic.add(h, increment) : HistogramArithmetic.subtract(h, increment);
      }
      return at;
    }
    int times = 0;
    if (at < text.length() && text.charAt(at) == 'x') {
      int end = at + 1;
      while (end < text.length() && Character.isDigit(text.charAt(end))) {
        end++;
      }
      times = Integer.parseInt(text.substring(at + 1, end));
      at = end;
    }
    for (int i = 0; i <= times; i++) {
      out.add(first);
    }
    return at;
  }

  /** The fields between {@code {{} and {@code }}}: {@code schema:1 sum:3 count:22 buckets:[5 10 7]} and so on. */
  static Value histogram(String body) {
    int schema = 0;
    double sum = 0;
    double count = 0;
    double zeroCount = 0;
    double zeroThreshold = 0;
    int offset = 0;
    int negativeOffset = 0;
    double[] buckets = new double[0];
    double[] negativeBuckets = new double[0];
    double[] custom = new double[0];
    Histogram.ResetHint hint = Histogram.ResetHint.UNKNOWN;
    boolean hintSet = false;
    Matcher m = Pattern.compile("(\\w+):\\s*(\\[[^\\]]*\\]|\\S+)").matcher(body);
    while (m.find()) {
      String key = m.group(1);
      String v = m.group(2);
      switch (key) {
        case "schema" -> schema = Integer.parseInt(v);
        case "sum" -> sum = number(v);
        case "count" -> count = number(v);
        case "z_bucket" -> zeroCount = number(v);
        case "z_bucket_w" -> zeroThreshold = number(v);
        case "offset" -> offset = Integer.parseInt(v);
        case "n_offset" -> negativeOffset = Integer.parseInt(v);
        case "buckets" -> buckets = list(v);
        case "n_buckets" -> negativeBuckets = list(v);
        case "custom_values" -> custom = list(v);
        case "counter_reset_hint" -> {
          hintSet = true;
          hint = switch (v) {
            case "gauge" -> Histogram.ResetHint.GAUGE;
            case "reset" -> Histogram.ResetHint.YES;
            case "not_reset" -> Histogram.ResetHint.NO;
            default -> Histogram.ResetHint.UNKNOWN;
          };
        }
        default -> throw new IllegalArgumentException("unknown histogram field " + key);
      }
    }
    List<Histogram.Span> spans = buckets.length == 0 ? List.of() : List.of(new Histogram.Span(offset, buckets.length));
    List<Histogram.Span> negativeSpans = negativeBuckets.length == 0 ? List.of()
        : List.of(new Histogram.Span(negativeOffset, negativeBuckets.length));
    Histogram h = new Histogram(hint, schema, zeroThreshold, zeroCount, count, sum, spans, buckets, negativeSpans,
        negativeBuckets, custom);
    return new Value(false, 0, h, hintSet);
  }

  private static double[] list(String bracketed) {
    String inner = bracketed.substring(1, bracketed.length() - 1).trim();
    if (inner.isEmpty()) {
      return new double[0];
    }
    String[] parts = inner.split("\\s+");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = number(parts[i]);
    }
    return out;
  }
}
