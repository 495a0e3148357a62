package io.sightline.collector.receiver.prometheus.textparse;

/**
 * The classic text format 0.0.4, read as Prometheus' {@code promlex.l} and {@code promparse.go} read it.
 *
 * <pre>
 *   [blanks] # HELP name text          [blanks] # TYPE name counter|gauge|histogram|summary|untyped
 *   [blanks] # anything else           (a comment)      blank lines
 *   [blanks] name [{l="v", ...}] value [ms]             [blanks] {"utf8.name", l="v"} value [ms]
 * </pre>
 *
 * Blanks are spaces and tabs, allowed between any two tokens, and after the value or timestamp. A carriage return is
 * no blank: CRLF bodies fail as they fail in Prometheus (the value or type then ends in {@code \r}). The timestamp is
 * decimal digits only, milliseconds. A NUL byte where a line's first token belongs ends the body, as Prometheus'
 * lexer takes it for the end of input.
 */
final class PrometheusTextReader extends BodyReader {
  private static final String[] TYPES = {"counter", "gauge", "histogram", "summary", "untyped"};

  PrometheusTextReader(byte[] body, ExpositionHandler handler) {
    super(body, true, handler);
  }

  @Override
  void parse() throws ExpositionParseException {
    while (pos < n) {
      entryStart = pos;
      skipBlanks();
      if (pos == n || b[pos] == 0) {
        return;
      }
      byte c = b[pos];
      if (c == '\n') {
        pos++;
      } else if (c == '#') {
        comment();
      } else if (isMetricNameStart(c) || c == '{') {
        sample();
      } else {
        throw tokenError("expected a valid start token", pos);
      }
    }
  }

  /** {@code #} at {@link #pos}: HELP or TYPE when a blank follows the {@code #} and the keyword, else a comment. */
  private void comment() throws ExpositionParseException {
    pos++;
    if (pos < n && (b[pos] == ' ' || b[pos] == '\t')) {
      skipBlanks();
      boolean help = startsWith(pos, "HELP");
      if ((help || startsWith(pos, "TYPE")) && pos + 4 < n && (b[pos + 4] == ' ' || b[pos + 4] == '\t')) {
        pos += 4;
        skipBlanks();
        metadata(help ? "HELP" : "TYPE");
        return;
      }
    }
    pos = Math.min(lineEnd(pos) + 1, n);
  }

  /**
   * The name, then the rest of the line less its first character (the separating blank); a rest of blanks alone is
   * no text at all. So a second blank belongs to the text, and a TYPE with one is invalid, as in Prometheus.
   */
  private void metadata(String keyword) throws ExpositionParseException {
    String name = metadataName(keyword);
    int eol = lineEnd(pos);
    int textStart = eol;
    for (int i = pos; i < eol; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        textStart = pos + 1;
        break;
      }
    }
    pos = Math.min(eol + 1, n);
    if (keyword.equals("TYPE")) {
      String type = oneOf(textStart, eol, TYPES);
      if (type == null) {
        throw error(textStart, "invalid metric type " + GoQuote.quote(b, textStart, eol));
      }
      typeSeen(type);
      handler.type(name, type);
    } else {
      if (!Utf8.isValid(b, textStart, eol)) {
        throw error(textStart, "help text " + GoQuote.quote(b, textStart, eol) + " is not a valid utf8 string");
      }
      handler.help(name, helpText(textStart, eol, false));
    }
  }

  private void sample() throws ExpositionParseException {
    labels.clear();
    String name = null;
    if (b[pos] != '{') {
      int end = metricNameEnd(pos);
      name = strings.ascii(b, pos, end);
      pos = end;
      skipBlanks();
    }
    if (pos < n && b[pos] == '{') {
      name = readLabelSet(name, labels, false);
      skipBlanks();
    }
    checkMetricName(name);
    int valueEnd = pos;
    while (valueEnd < n && !endsValue(b[valueEnd])) {
      valueEnd++;
    }
    if (valueEnd == pos) {
      throw tokenError("expected value after metric", pos);
    }
    double value = parseFloat(pos, valueEnd);
    pos = valueEnd;
    skipBlanks();
    long timestamp = Long.MIN_VALUE;
    if (pos < n && b[pos] != '\n') {
      if (b[pos] < '0' || b[pos] > '9') {
        throw tokenError("expected timestamp or new record", pos);
      }
      int end = pos;
      while (end < n && b[end] >= '0' && b[end] <= '9') {
        end++;
      }
      timestamp = milliseconds(pos, end);
      pos = end;
      skipBlanks();
      if (pos < n && b[pos] != '\n') {
        throw tokenError("expected next entry after timestamp", pos);
      }
    }
    pos = Math.min(pos + 1, n);
    handler.sample(labels.toLabels(name), value, timestamp);
  }

  /** The lexer's value token is {@code [^{ \t\n]+}; its NUL handling ends it at a NUL too. */
  private static boolean endsValue(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '{' || c == 0;
  }

  /** Decimal digits as Go's {@code strconv.ParseInt(s, 10, 64)} reads them. */
  private long milliseconds(int from, int to) throws ExpositionParseException {
    long ms = 0;
    for (int i = from; i < to; i++) {
      int digit = b[i] - '0';
      if (ms > (Long.MAX_VALUE - digit) / 10) {
        throw error(from, "strconv.ParseInt: parsing " + GoQuote.quote(b, from, to) + ": value out of range"
            + " while parsing: " + context(to));
      }
      ms = ms * 10 + digit;
    }
    return ms;
  }
}
