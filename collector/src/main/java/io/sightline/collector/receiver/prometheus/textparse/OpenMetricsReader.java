package io.sightline.collector.receiver.prometheus.textparse;

import java.nio.charset.StandardCharsets;

/**
 * OpenMetrics 1.0 text, read as Prometheus' {@code openmetricslex.l} and {@code openmetricsparse.go} read it.
 *
 * <pre>
 *   # HELP name text            # TYPE name counter|gauge|histogram|gaugehistogram|summary|info|stateset|unknown
 *   # UNIT name unit            # EOF          (last, then at most one newline)
 *   name[{l="v",...}] value[ timestamp][ # {l="v",...} value[ timestamp]]
 * </pre>
 *
 * Exactly one space separates tokens; there are no blank lines, no other comments, and no blanks inside label sets.
 * Timestamps are seconds, possibly fractional, and become milliseconds as Prometheus makes them: {@code (long)
 * (seconds * 1000)}, truncated. {@code _created}, {@code _total} and the other suffixed series are samples like any
 * other; like Prometheus, the parser does not check that a sample belongs to the family its TYPE line named.
 *
 * <p>An exemplar whose label names and values together exceed 128 characters is dropped and the sample kept: that is
 * what a Prometheus scrape ends with (its exemplar storage refuses the exemplar; the scrape goes on).
 */
final class OpenMetricsReader extends BodyReader {
  /** OpenMetrics' bound on an exemplar's label set: names and values, in UTF-8 characters. */
  static final int MAX_EXEMPLAR_LABEL_SET_LENGTH = 128;
  private static final String[] TYPES = {
      "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"};
  private static final String[] METADATA_KEYWORDS = {"HELP", "TYPE", "UNIT"};

  private final LabelPairs exemplarLabels = new LabelPairs();
  private boolean hasExemplar;
  private double exemplarValue;
  private long exemplarTimestamp;

  OpenMetricsReader(byte[] body, ExpositionHandler handler) {
    super(body, false, handler);
  }

  @Override
  void parse() throws ExpositionParseException {
    while (true) {
      entryStart = pos;
      if (pos >= n) {
        throw error(n, "data does not end with # EOF");
      }
      byte c = b[pos];
      if (c == '#') {
        if (comment()) {
          if (pos < n) {
            throw error(pos, "unexpected data after # EOF");
          }
          return;
        }
      } else if (isMetricNameStart(c) || c == '{') {
        sample();
      } else {
        throw tokenError("expected a valid start token", pos);
      }
    }
  }

  /** A {@code #} line; true for {@code # EOF}. */
  private boolean comment() throws ExpositionParseException {
    if (startsWith(pos, "# EOF")) {
      pos += 5;
      if (pos < n && b[pos] == '\n') {
        pos++;
      }
      return true;
    }
    for (String keyword : METADATA_KEYWORDS) {
      if (startsWith(pos, "# ") && startsWith(pos + 2, keyword) && startsWith(pos + 6, " ")) {
        pos += 7;
        metadata(keyword);
        return false;
      }
    }
    throw tokenError("expected a valid start token", pos);
  }

  /** The name, one space, and the text up to a newline, which must be there. */
  private void metadata(String keyword) throws ExpositionParseException {
    String name = metadataName(keyword);
    int eol = lineEnd(pos);
    if (pos >= n || b[pos] != ' ' || eol == n) {
      throw error(pos, "expected text in " + keyword);
    }
    int textStart = pos + 1;
    pos = eol + 1;
    switch (keyword) {
      case "TYPE" -> {
        String type = oneOf(textStart, eol, TYPES);
        if (type == null) {
          throw error(textStart, "invalid metric type " + GoQuote.quote(b, textStart, eol));
        }
        typeSeen(type);
        handler.type(name, type);
      }
      case "HELP" -> {
        if (!Utf8.isValid(b, textStart, eol)) {
          throw error(textStart, "help text " + GoQuote.quote(b, textStart, eol) + " is not a valid utf8 string");
        }
        handler.help(name, helpText(textStart, eol, true));
      }
      default -> {
        String unit = new String(b, textStart, eol - textStart, StandardCharsets.UTF_8);
        if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
          throw error(textStart, "unit " + GoQuote.quote(unit) + " not a suffix of metric " + GoQuote.quote(name));
        }
        handler.unit(name, unit);
      }
    }
  }

  /** The whole line is read before the sample is reported: an error anywhere on it reports nothing of it. */
  private void sample() throws ExpositionParseException {
    labels.clear();
    hasExemplar = false;
    String name = null;
    if (b[pos] != '{') {
      int end = metricNameEnd(pos);
      name = strings.ascii(b, pos, end);
      pos = end;
    }
    if (pos < n && b[pos] == '{') {
      name = readLabelSet(name, labels, false);
    }
    checkMetricName(name);
    int valueEnd = spaceToken(pos);
    if (valueEnd < 0) {
      throw tokenError("expected value after metric", pos);
    }
    double value = parseFloat(pos + 1, valueEnd);
    pos = valueEnd;
    long timestamp = Long.MIN_VALUE;
    requireMore();
    if (b[pos] != '\n' && !atExemplar()) {
      int end = spaceToken(pos);
      if (end < 0) {
        throw tokenError("expected timestamp or exemplar", pos);
      }
      timestamp = milliseconds(pos + 1, end, "invalid timestamp ");
      pos = end;
      requireMore();
      if (b[pos] != '\n' && !atExemplar()) {
        throw tokenError("expected next entry after timestamp", pos);
      }
    }
    if (atExemplar()) {
      pos += 3;
      exemplar();
    } else {
      pos++;
    }
    handler.sample(labels.toLabels(name), value, timestamp);
    if (hasExemplar && exemplarLabels.codePointLength() <= MAX_EXEMPLAR_LABEL_SET_LENGTH) {
      handler.exemplar(exemplarLabels.toLabels(null), exemplarValue, exemplarTimestamp);
    }
  }

  /** {@code {labels} value[ timestamp]} from the brace at {@link #pos} to the end of the line. */
  private void exemplar() throws ExpositionParseException {
    exemplarLabels.clear();
    readLabelSet(null, exemplarLabels, true);
    int valueEnd = spaceToken(pos);
    if (valueEnd < 0) {
      throw tokenError("expected value after exemplar labels", pos);
    }
    exemplarValue = parseFloat(pos + 1, valueEnd);
    pos = valueEnd;
    exemplarTimestamp = Long.MIN_VALUE;
    requireMore();
    if (b[pos] != '\n') {
      int end = spaceToken(pos);
      if (end < 0) {
        throw tokenError("expected timestamp or comment", pos);
      }
      exemplarTimestamp = milliseconds(pos + 1, end, "invalid exemplar timestamp ");
      pos = end;
      requireMore();
      if (b[pos] != '\n') {
        throw tokenError("expected next entry after exemplar timestamp", pos);
      }
    }
    pos++;
    hasExemplar = true;
  }

  /** A sample's line cannot be the last one: {@code # EOF} must follow. */
  private void requireMore() throws ExpositionParseException {
    if (pos >= n) {
      throw error(n, "data does not end with # EOF");
    }
  }

  private boolean atExemplar() {
    return startsWith(pos, " # {");
  }

  /** For {@code {S}[^ \n]+}: the end of the token after the one space at {@code from}, or -1 if there is none. */
  private int spaceToken(int from) {
    if (from + 1 >= n || b[from] != ' ' || b[from + 1] == ' ' || b[from + 1] == '\n') {
      return -1;
    }
    int end = from + 1;
    while (end < n && b[end] != ' ' && b[end] != '\n') {
      end++;
    }
    return end;
  }

  private long milliseconds(int from, int to, String problem) throws ExpositionParseException {
    double seconds = parseFloat(from, to);
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      throw error(from, problem + (Double.isNaN(seconds) ? "NaN" : seconds > 0 ? "+Inf" : "-Inf"));
    }
    return (long) (seconds * 1000.0);
  }
}
