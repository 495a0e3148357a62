package io.sightline.logql.syntax;

import static io.sightline.logql.syntax.LogqlGrammar.T;

import io.sightline.core.model.GoDuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loki's LogQL lexer ({@code pkg/logql/syntax/lex.go}) over a {@link GoScanner}: keywords are case-insensitive;
 * function names are keywords only when a {@code (} or a {@code by}/{@code without} grouping follows, so that
 * {@code {rate="x"}} is a selector; a number directly followed by a unit is a duration or a byte size; {@code [..]}
 * is one range token. Errors are collected as Loki's are, with the scanner's position at the time.
 */
final class Lexer {
  record Token(int type, Object value, int line, int column) {}

  private static final Map<String, String> TOKENS = Map.ofEntries(
      Map.entry(",", "COMMA"), Map.entry(".", "DOT"), Map.entry("{", "OPEN_BRACE"), Map.entry("}", "CLOSE_BRACE"),
      Map.entry("=", "EQ"), Map.entry("!=", "NEQ"), Map.entry("=~", "RE"), Map.entry("!~", "NRE"),
      Map.entry("!>", "NPA"), Map.entry("|=", "PIPE_EXACT"), Map.entry("|~", "PIPE_MATCH"),
      Map.entry("|>", "PIPE_PATTERN"), Map.entry("|", "PIPE"), Map.entry("unwrap", "UNWRAP"),
      Map.entry("(", "OPEN_PARENTHESIS"), Map.entry(")", "CLOSE_PARENTHESIS"), Map.entry("by", "BY"),
      Map.entry("without", "WITHOUT"), Map.entry("bool", "BOOL"), Map.entry("[", "OPEN_BRACKET"),
      Map.entry("]", "CLOSE_BRACKET"), Map.entry("label_replace", "LABEL_REPLACE"), Map.entry("offset", "OFFSET"),
      Map.entry("on", "ON"), Map.entry("ignoring", "IGNORING"), Map.entry("group_left", "GROUP_LEFT"),
      Map.entry("group_right", "GROUP_RIGHT"), Map.entry("or", "OR"), Map.entry("and", "AND"),
      Map.entry("unless", "UNLESS"), Map.entry("+", "ADD"), Map.entry("-", "SUB"), Map.entry("*", "MUL"),
      Map.entry("/", "DIV"), Map.entry("%", "MOD"), Map.entry("^", "POW"), Map.entry("==", "CMP_EQ"),
      Map.entry(">", "GT"), Map.entry(">=", "GTE"), Map.entry("<", "LT"), Map.entry("<=", "LTE"),
      Map.entry("json", "JSON"), Map.entry("regexp", "REGEXP"), Map.entry("logfmt", "LOGFMT"),
      Map.entry("unpack", "UNPACK"), Map.entry("pattern", "PATTERN"), Map.entry("label_format", "LABEL_FMT"),
      Map.entry("line_format", "LINE_FMT"), Map.entry("ip", "IP"), Map.entry("decolorize", "DECOLORIZE"),
      Map.entry("drop", "DROP"), Map.entry("keep", "KEEP"));

  /** Words that are keywords only as functions (followed by "(" or a grouping). */
  private static final Map<String, String> FUNCTION_TOKENS = Map.ofEntries(
      Map.entry("rate", "RATE"), Map.entry("rate_counter", "RATE_COUNTER"),
      Map.entry("count_over_time", "COUNT_OVER_TIME"), Map.entry("bytes_rate", "BYTES_RATE"),
      Map.entry("bytes_over_time", "BYTES_OVER_TIME"), Map.entry("avg_over_time", "AVG_OVER_TIME"),
      Map.entry("sum_over_time", "SUM_OVER_TIME"), Map.entry("min_over_time", "MIN_OVER_TIME"),
      Map.entry("max_over_time", "MAX_OVER_TIME"), Map.entry("stdvar_over_time", "STDVAR_OVER_TIME"),
      Map.entry("stddev_over_time", "STDDEV_OVER_TIME"), Map.entry("quantile_over_time", "QUANTILE_OVER_TIME"),
      Map.entry("first_over_time", "FIRST_OVER_TIME"), Map.entry("last_over_time", "LAST_OVER_TIME"),
      Map.entry("absent_over_time", "ABSENT_OVER_TIME"), Map.entry("vector", "VECTOR"), Map.entry("sum", "SUM"),
      Map.entry("avg", "AVG"), Map.entry("max", "MAX"), Map.entry("min", "MIN"), Map.entry("count", "COUNT"),
      Map.entry("stddev", "STDDEV"), Map.entry("stdvar", "STDVAR"), Map.entry("bottomk", "BOTTOMK"),
      Map.entry("topk", "TOPK"), Map.entry("sort", "SORT"), Map.entry("sort_desc", "SORT_DESC"),
      Map.entry("label_replace", "LABEL_REPLACE"), Map.entry("approx_topk", "APPROX_TOPK"),
      Map.entry("bytes", "BYTES_CONV"), Map.entry("duration", "DURATION_CONV"),
      Map.entry("duration_seconds", "DURATION_SECONDS_CONV"), Map.entry("ip", "IP"));

  private static final Set<String> PARSER_FLAGS = Set.of("--strict", "--keep-empty");

  private final GoScanner sc;
  final List<ParseException> errors = new ArrayList<>();
  private Object value;

  Lexer(String input) {
    sc = new GoScanner(input);
    sc.errors = (s, msg) -> error(msg);
  }

  void error(String msg) {
    errors.add(new ParseException(msg, sc.line, sc.column));
  }

  Token next() {
    value = null;
    int t = lex();
    return new Token(t, value, sc.line, sc.column);
  }

  private int lex() {
    int r = sc.scan();
    switch (r) {
      case '#' -> {
        for (int next = sc.peek(); next != '\n' && next != GoScanner.EOF; next = sc.next()) {
          // to the end of the line
        }
        return lex();
      }
      case GoScanner.EOF -> {
        return Grammar.END;
      }
      case GoScanner.INT, GoScanner.FLOAT -> {
        String number = sc.tokenText();
        Long d = tryScanDuration(number, sc);
        if (d != null) {
          value = d;
          return T.DURATION;
        }
        Long b = tryScanBytes(number, sc);
        if (b != null) {
          value = b;
          return T.BYTES;
        }
        value = number;
        return T.NUMBER;
      }
      case '-' -> {
        if (sc.peek() == '-') {
          String flag = tryScanFlag(sc);
          if (flag != null) {
            value = flag;
            return T.FUNCTION_FLAG;
          }
        }
        Long d = tryScanDuration(sc.tokenText(), sc);
        if (d != null) {
          value = d;
          return T.DURATION;
        }
      }
      case GoScanner.STRING, GoScanner.RAW_STRING -> {
        String text = sc.tokenText();
        if (!sc.tokenIsValidUtf8()) {
          error("invalid UTF-8 rune");
          return Grammar.END;
        }
        String s = GoStrconv.unquote(text);
        if (s == null) {
          error("invalid syntax");
          return Grammar.END;
        }
        value = s;
        return T.STRING;
      }
      default -> { }
    }
    if (r == '[') {
      StringBuilder b = new StringBuilder();
      for (int c = sc.next(); c != GoScanner.EOF; c = sc.next()) {
        if (c == ']') {
          try {
            value = modelDuration(b.toString());
          } catch (IllegalArgumentException e) {
            error(e.getMessage());
            return Grammar.END;
          }
          return T.RANGE;
        }
        b.appendCodePoint(c);
      }
      error("missing closing ']' in duration");
      return Grammar.END;
    }
    String text = sc.tokenText();
    String lower = text.toLowerCase(Locale.ROOT);
    String withNext = (text + runeString(sc.peek())).toLowerCase(Locale.ROOT);
    String fn = FUNCTION_TOKENS.get(withNext);
    if (fn != null) {
      GoScanner ahead = sc.copy();
      ahead.next();
      if (isFunction(ahead)) {
        sc.next();
        return T.id(fn);
      }
    }
    fn = FUNCTION_TOKENS.get(lower);
    if (fn != null) {
      if (!isFunction(sc.copy())) {
        value = text;
        return T.IDENTIFIER;
      }
      return T.id(fn);
    }
    String tok = TOKENS.get(withNext);
    if (tok != null) {
      sc.next();
      return T.id(tok);
    }
    tok = TOKENS.get(lower);
    if (tok != null) {
      return T.id(tok);
    }
    value = text;
    return T.IDENTIFIER;
  }

  private static String runeString(int r) {
    return r < 0 ? "\uFFFD" : new String(Character.toChars(r));
  }

  /** Whether "(" or "by (" / "without (" comes next: a function call rather than a name. */
  private static boolean isFunction(GoScanner s) {
    trimSpace(s);
    StringBuilder b = new StringBuilder();
    for (int r = s.next(); r != GoScanner.EOF && b.length() < 8; r = s.next()) {
      b.appendCodePoint(r);
      String l = b.toString().toLowerCase(Locale.ROOT);
      if (l.equals("(")) {
        return true;
      }
      if (l.equals("by") || l.equals("without")) {
        trimSpace(s);
        return s.next() == '(';
      }
    }
    return false;
  }

  private static void trimSpace(GoScanner s) {
    for (int n = s.peek(); n != GoScanner.EOF; n = s.peek()) {
      if (!isSpace(n)) {
        return;
      }
      s.next();
    }
  }

  /** Go's {@code unicode.IsSpace}. */
  static boolean isSpace(int r) {
    if (r <= 0xFF) {
      return r == ' ' || r >= '\t' && r <= '\r' || r == 0x85 || r == 0xA0;
    }
    return Character.isSpaceChar(r);
  }

  private static boolean isNumber(int r) {
    int t = Character.getType(r);
    return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
  }

  private static String tryScanFlag(GoScanner l) {
    StringBuilder b = new StringBuilder(l.tokenText());
    GoScanner s = l.copy();
    int consumed = 0;
    for (int r = s.peek(); r >= 0 && Character.isLetter(r) || r == '-'; r = s.peek()) {
      b.appendCodePoint(r);
      s.next();
      consumed++;
    }
    String flag = b.toString();
    if (!PARSER_FLAGS.contains(flag)) {
      return null;
    }
    for (int i = 0; i < consumed; i++) {
      l.next();
    }
    return flag;
  }

  /**
   * Loki's {@code tryScanDuration}/{@code tryScanBytes}: the number and the unit characters after it (up to a space),
   * consumed only when {@code parse} accepts them.
   */
  private static Long tryScan(String number, GoScanner l, java.util.function.IntPredicate unit,
                              java.util.function.ToLongFunction<String> parse) {
    StringBuilder b = new StringBuilder(number);
    GoScanner s = l.copy();
    int consumed = 0;
    for (int r = s.peek(); r != GoScanner.EOF && !isSpace(r); r = s.peek()) {
      if (!isNumber(r) && !unit.test(r) && r != '.') {
        break;
      }
      b.appendCodePoint(r);
      s.next();
      consumed++;
    }
    if (consumed == 0) {
      return null;
    }
    long v;
    try {
      v = parse.applyAsLong(b.toString());
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (int i = 0; i < consumed; i++) {
      l.next();
    }
    return v;
  }

  private static Long tryScanDuration(String number, GoScanner l) {
    return tryScan(number, l, Lexer::isDurationRune, Lexer::parseDuration);
  }

  private static Long tryScanBytes(String number, GoScanner l) {
    return tryScan(number, l, Lexer::isBytesSizeRune, Humanize::parseBytes);
  }

  /** Loki's {@code parseDuration}: Prometheus' notation first ({@code 1d}, {@code 2w}), then Go's ({@code 1.5h}). */
  static long parseDuration(String d) {
    try {
      return modelDuration(d);
    } catch (IllegalArgumentException e) {
      return GoDuration.parseNanos(d);
    }
  }

  private static boolean isDurationRune(int r) {
    return switch (r) {
      case 'n', 'u', 'µ', 'm', 's', 'h', 'd', 'w', 'y' -> true;
      default -> false;
    };
  }

  private static boolean isBytesSizeRune(int r) {
    return switch (r) {
      case 'B', 'i', 'k', 'K', 'M', 'G', 'T', 'P' -> true;
      default -> false;
    };
  }

  /**
   * Prometheus' {@code model.ParseDuration}: integers with units {@code y w d h m s ms} from the largest down, in
   * nanoseconds; its messages.
   */
  static long modelDuration(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    String orig = s;
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    long[] mult = {365 * 86_400_000_000_000L, 7 * 86_400_000_000_000L, 86_400_000_000_000L, 3_600_000_000_000L,
        60_000_000_000L, 1_000_000_000L, 1_000_000L};
    long dur = 0;
    int lastUnit = -1;
    int i = 0;
    while (i < s.length()) {
      if (!isAsciiDigit(s.charAt(i))) {
        throw invalidModelDuration(orig);
      }
      int start = i;
      while (i < s.length() && isAsciiDigit(s.charAt(i))) {
        i++;
      }
      long v;
      try {
        v = Long.parseUnsignedLong(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw invalidModelDuration(orig);
      }
      int unitStart = i;
      while (i < s.length() && !isAsciiDigit(s.charAt(i))) {
        i++;
      }
      if (unitStart == i) {
        throw invalidModelDuration(orig);
      }
      String u = s.substring(unitStart, i);
      int unit = List.of(units).indexOf(u);
      if (unit < 0) {
        throw new IllegalArgumentException("unknown unit " + Printer.quote(u) + " in duration " + Printer.quote(orig));
      }
      if (unit <= lastUnit) {
        throw invalidModelDuration(orig);
      }
      lastUnit = unit;
      if (Long.compareUnsigned(v, Long.divideUnsigned(1L << 63, mult[unit])) > 0) {
        throw new IllegalArgumentException("duration out of range");
      }
      dur += v * mult[unit];
      if (dur < 0) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    return dur;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalidModelDuration(String s) {
    return new IllegalArgumentException("not a valid duration string: " + Printer.quote(s));
  }
}
