package io.sightline.collector.receiver.loki;

import io.sightline.core.model.GoFormat;
import java.util.Arrays;

/**
 * Parses a stream's label string as Loki does ({@code syntax.ParseLabels}, which is PromQL's {@code ParseMetric}):
 * {@code {app="shop", env="prod"}}, optionally led by a metric name ({@code up{job="x"}} is {@code __name__="up"}),
 * with double, single or back quotes, quoted UTF-8 names ({@code {"k8s.pod"="p"}}), a trailing comma, and comments.
 * Empty values are dropped; repeated names are kept for validation to refuse.
 *
 * <p>Errors are PromQL's, with its position (line and byte column, from 1): {@code 1:3: parse error: unexpected
 * character inside braces: '.'}, {@code 1:7: parse error: unexpected end of input inside braces},
 * {@code 1:6: parse error: unexpected identifier "b" in label set, expected "," or "}"}.
 */
final class LabelString {
  /** A label string that does not parse; the message is PromQL's, position included. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message, null, false, false);
    }
  }

  private enum Kind { EOF, ERROR, IDENTIFIER, STRING, NUMBER, EQL, COMMA, LEFT_BRACE, RIGHT_BRACE, OPERATOR }

  /** A lexed item; for a string, {@code text} is its source (quotes included) and {@code value} its content. */
  private record Token(Kind kind, String text, String value, int start) {}

  private final String input;
  private int pos;
  private boolean braceOpen;
  private String[] pairs = new String[16];
  private int count;

  private LabelString(String input) {
    this.input = input;
  }

  static StreamLabels parse(String input) throws ParseException {
    return new LabelString(input).metric();
  }

  private StreamLabels metric() throws ParseException {
    Token t = next();
    if (t.kind == Kind.IDENTIFIER) {
      add("__name__", t.text);
      t = next();
    }
    if (t.kind == Kind.LEFT_BRACE) {
      labelSet();
      t = next();
    }
    if (t.kind != Kind.EOF) {
      throw unexpected(t, null, null);
    }
    return StreamLabels.of(pairs, count);
  }

  /** After the opening brace, through the closing one. */
  private void labelSet() throws ParseException {
    Token t = next();
    if (t.kind == Kind.RIGHT_BRACE) {
      return;
    }
    while (true) {
      Token after;
      if (t.kind == Kind.IDENTIFIER) {
        expect(Kind.EQL, "\"=\"");
        Token value = expect(Kind.STRING, "string");
        add(t.text, value.value);
        after = next();
      } else if (t.kind == Kind.STRING) {
        after = next();
        if (after.kind == Kind.EQL) {
          Token value = expect(Kind.STRING, "string");
          add(t.value, value.value);
          after = next();
        } else {
          add("__name__", t.value); // a quoted metric name
        }
      } else {
        throw unexpected(t, "label set", "identifier or \"}\"");
      }
      if (after.kind == Kind.RIGHT_BRACE) {
        return;
      }
      if (after.kind != Kind.COMMA) {
        throw unexpected(after, "label set", "\",\" or \"}\"");
      }
      t = next();
      if (t.kind == Kind.RIGHT_BRACE) {
        return;
      }
    }
  }

  private Token expect(Kind kind, String expected) throws ParseException {
    Token t = next();
    if (t.kind != kind) {
      throw unexpected(t, "label set", expected);
    }
    return t;
  }

  private void add(String name, String value) {
    if (2 * count + 2 > pairs.length) {
      pairs = Arrays.copyOf(pairs, pairs.length * 2);
    }
    pairs[2 * count] = name;
    pairs[2 * count + 1] = value;
    count++;
  }

  private ParseException unexpected(Token t, String context, String expected) {
    if (t.kind == Kind.ERROR) {
      return error(t.start, t.text);
    }
    StringBuilder sb = new StringBuilder("unexpected ").append(describe(t));
    if (context != null) {
      sb.append(" in ").append(context);
    }
    if (expected != null) {
      sb.append(", expected ").append(expected);
    }
    return error(t.start, sb.toString());
  }

  /** PromQL's {@code Item.desc}. */
  private static String describe(Token t) {
    return switch (t.kind) {
      case EOF -> "end of input";
      case IDENTIFIER -> "identifier " + GoFormat.quote(t.text);
      case STRING -> "string " + truncatedQuote(t.text);
      case NUMBER -> "number " + truncatedQuote(t.text);
      case OPERATOR -> "<op:" + t.text + ">";
      default -> GoFormat.quote(t.text);
    };
  }

  /** Go's {@code %q}, or {@code %.10q...} past ten bytes. */
  private static String truncatedQuote(String s) {
    if (Utf8.length(s) <= 10) {
      return GoFormat.quote(s);
    }
    int end = s.offsetByCodePoints(0, Math.min(10, s.codePointCount(0, s.length())));
    return GoFormat.quote(s.substring(0, end)) + "...";
  }

  private ParseException error(int at, String message) {
    int lineStart = input.lastIndexOf('\n', at - 1) + 1;
    int line = 1;
    for (int i = 0; i < lineStart; i++) {
      if (input.charAt(i) == '\n') {
        line++;
      }
    }
    int column = Utf8.length(input.substring(lineStart, at)) + 1;
    return new ParseException(line + ":" + column + ": parse error: " + message);
  }

  // ---- the lexer: PromQL's states for statements and the inside of braces, for the items a metric can hold ----

  private Token next() {
    while (true) {
      skipSpaces();
      if (pos < input.length() && input.charAt(pos) == '#') {
        while (pos < input.length() && input.charAt(pos) != '\n') {
          pos++;
        }
        continue;
      }
      return braceOpen ? insideBraces() : statement();
    }
  }

  private void skipSpaces() {
    while (pos < input.length() && isSpace(input.charAt(pos))) {
      pos++;
    }
  }

  private Token insideBraces() {
    int start = pos;
    if (pos >= input.length()) {
      return error(start, "unexpected end of input inside braces", Kind.ERROR);
    }
    int c = input.codePointAt(pos);
    pos += Character.charCount(c);
    if (isAlpha(c)) {
      while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
        pos++;
      }
      return token(Kind.IDENTIFIER, start);
    }
    switch (c) {
      case ',':
        return token(Kind.COMMA, start);
      case '"', '\'', '`':
        return string(start, c);
      case '=':
        if (pos < input.length() && input.charAt(pos) == '~') {
          pos++;
          return token(Kind.OPERATOR, start);
        }
        return token(Kind.EQL, start);
      case '!':
        if (pos < input.length() && (input.charAt(pos) == '~' || input.charAt(pos) == '=')) {
          pos++;
          return token(Kind.OPERATOR, start);
        }
        return error(start, "unexpected character after '!' inside braces: " + quoteRune(pos < input.length()
            ? input.codePointAt(pos) : 0xFFFD), Kind.ERROR);
      case '{':
        return error(start, "unexpected left brace '{'", Kind.ERROR);
      case '}':
        braceOpen = false;
        return token(Kind.RIGHT_BRACE, start);
      default:
        return error(start, "unexpected character inside braces: " + quoteRune(c), Kind.ERROR);
    }
  }

  private Token statement() {
    int start = pos;
    if (pos >= input.length()) {
      return new Token(Kind.EOF, "", "", start);
    }
    int c = input.codePointAt(pos);
    pos += Character.charCount(c);
    if (isAlpha(c) || c == ':') {
      while (pos < input.length() && (isAlphaNumeric(input.charAt(pos)) || input.charAt(pos) == ':')) {
        pos++;
      }
      return token(Kind.IDENTIFIER, start);
    }
    if (c >= '0' && c <= '9') {
      while (pos < input.length() && (isAlphaNumeric(input.charAt(pos)) || input.charAt(pos) == '.')) {
        pos++;
      }
      return token(Kind.NUMBER, start);
    }
    switch (c) {
      case '{':
        braceOpen = true;
        return token(Kind.LEFT_BRACE, start);
      case ',':
        return token(Kind.COMMA, start);
      case '"', '\'', '`':
        return string(start, c);
      case '=':
        if (pos < input.length() && input.charAt(pos) == '~') {
          return error(start, "unexpected character after '=': '~'", Kind.ERROR);
        }
        if (pos < input.length() && input.charAt(pos) == '=') {
          pos++;
          return token(Kind.OPERATOR, start);
        }
        return token(Kind.EQL, start);
      default:
        return error(start, "unexpected character: " + quoteRune(c), Kind.ERROR);
    }
  }

  private Token token(Kind kind, int start) {
    String text = input.substring(start, pos);
    return new Token(kind, text, text, start);
  }

  private static Token error(int start, String message, Kind kind) {
    return new Token(kind, message, message, start);
  }

  /** A quoted string from its opening quote at {@code start}, checked and unescaped as PromQL's lexer does. */
  private Token string(int start, int quote) {
    StringBuilder value = new StringBuilder();
    if (quote == '`') {
      while (true) {
        if (pos >= input.length()) {
          return error(start, "unterminated raw string", Kind.ERROR);
        }
        char c = input.charAt(pos++);
        if (c == '`') {
          return new Token(Kind.STRING, input.substring(start, pos), value.toString(), start);
        }
        value.append(c);
      }
    }
    while (true) {
      if (pos >= input.length()) {
        return error(start, "unterminated quoted string", Kind.ERROR);
      }
      char c = input.charAt(pos++);
      if (c == '\n') {
        return error(start, "unterminated quoted string", Kind.ERROR);
      }
      if (c == quote) {
        return new Token(Kind.STRING, input.substring(start, pos), value.toString(), start);
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      String problem = escape(quote, value);
      if (problem != null) {
        return error(start, problem, Kind.ERROR);
      }
    }
  }

  /** The escape after a backslash, appended to {@code value}; or PromQL's complaint about it. */
  private String escape(int quote, StringBuilder value) {
    if (pos >= input.length()) {
      return "escape sequence not terminated";
    }
    int ch = input.codePointAt(pos);
    pos += Character.charCount(ch);
    int digits;
    int base;
    int max;
    switch (ch) {
      case 'a' -> value.append('\u0007');
      case 'b' -> value.append('\b');
      case 'f' -> value.append('\f');
      case 'n' -> value.append('\n');
      case 'r' -> value.append('\r');
      case 't' -> value.append('\t');
      case 'v' -> value.append('\u000b');
      case '\\' -> value.append('\\');
      default -> {
        if (ch == quote) {
          value.append((char) quote);
          return null;
        }
        if (ch >= '0' && ch <= '7') {
          digits = 3;
          base = 8;
          max = 255;
          pos--;
        } else if (ch == 'x' || ch == 'u' || ch == 'U') {
          digits = ch == 'x' ? 2 : ch == 'u' ? 4 : 8;
          base = 16;
          max = ch == 'x' ? 255 : Character.MAX_CODE_POINT;
        } else {
          return "unknown escape sequence " + unicodeName(ch);
        }
        int x = 0;
        for (int i = 0; i < digits; i++) {
          if (pos >= input.length()) {
            return "escape sequence not terminated";
          }
          int d = Character.digit(input.charAt(pos), base);
          if (d < 0) {
            return "illegal character " + unicodeName(input.codePointAt(pos)) + " in escape sequence";
          }
          x = x * base + d;
          pos++;
        }
        if (x > max || (x >= 0xD800 && x < 0xE000)) {
          return "escape sequence is an invalid Unicode code point";
        }
        if (base == 8 || ch == 'x') {
          value.append((char) x); // a byte; Go would keep it raw, which only valid UTF-8 sequences survive anyway
        } else {
          value.appendCodePoint(x);
        }
      }
    }
    return null;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean isAlpha(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlphaNumeric(char c) {
    return isAlpha(c) || (c >= '0' && c <= '9');
  }

  /** Go's {@code %q} of a rune: {@code '.'}, {@code '\n'}, {@code '\x00'}. */
  static String quoteRune(int c) {
    return switch (c) {
      case '\'' -> "'\\''";
      case '\\' -> "'\\\\'";
      case '\n' -> "'\\n'";
      case '\t' -> "'\\t'";
      case '\r' -> "'\\r'";
      default -> c < 0x20 || c == 0x7f ? String.format("'\\x%02x'", c) : "'" + Character.toString(c) + "'";
    };
  }

  /** Go's {@code %#U}: {@code U+0027 '''}. */
  private static String unicodeName(int c) {
    return String.format("U+%04X '%s'", c, Character.toString(c));
  }
}
