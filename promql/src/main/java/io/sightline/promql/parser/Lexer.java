package io.sightline.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits PromQL into tokens as Prometheus' lexer does ({@code promql/parser/lex.go}): identifiers (with ':' for
 * metric names), single-, double- and back-quoted strings with Go escapes, numbers (decimal, hex, Inf, NaN),
 * durations, operators and punctuation. Comments ({@code #} to end of line) are skipped.
 */
final class Lexer {
  private final String input;
  private int pos;

  Lexer(String input) {
    this.input = input;
  }

  static List<Token> tokenize(String input) throws ParseException {
    Lexer lexer = new Lexer(input);
    List<Token> tokens = new ArrayList<>();
    Token t;
    do {
      t = lexer.next();
      tokens.add(t);
    } while (t.kind() != Token.Kind.EOF);
    return tokens;
  }

  private Token next() throws ParseException {
    skipSpaceAndComments();
    if (pos >= input.length()) {
      return new Token(Token.Kind.EOF, "", "", pos);
    }
    int start = pos;
    char c = input.charAt(pos);
    switch (c) {
      case '{' -> { pos++; return tok(Token.Kind.LEFT_BRACE, start); }
      case '}' -> { pos++; return tok(Token.Kind.RIGHT_BRACE, start); }
      case '(' -> { pos++; return tok(Token.Kind.LEFT_PAREN, start); }
      case ')' -> { pos++; return tok(Token.Kind.RIGHT_PAREN, start); }
      case '[' -> { pos++; return tok(Token.Kind.LEFT_BRACKET, start); }
      case ']' -> { pos++; return tok(Token.Kind.RIGHT_BRACKET, start); }
      case ',' -> { pos++; return tok(Token.Kind.COMMA, start); }
      case ':' -> { pos++; return tok(Token.Kind.COLON, start); }
      case '@' -> { pos++; return tok(Token.Kind.AT, start); }
      case '+' -> { pos++; return tok(Token.Kind.ADD, start); }
      case '-' -> { pos++; return tok(Token.Kind.SUB, start); }
      case '*' -> { pos++; return tok(Token.Kind.MUL, start); }
      case '/' -> { pos++; return tok(Token.Kind.DIV, start); }
      case '%' -> { pos++; return tok(Token.Kind.MOD, start); }
      case '^' -> { pos++; return tok(Token.Kind.POW, start); }
      case '=' -> {
        pos++;
        if (peek('=')) { pos++; return tok(Token.Kind.EQL, start); }
        if (peek('~')) { pos++; return tok(Token.Kind.EQL_REGEX, start); }
        return tok(Token.Kind.ASSIGN, start);
      }
      case '!' -> {
        pos++;
        if (peek('=')) { pos++; return tok(Token.Kind.NEQ, start); }
        if (peek('~')) { pos++; return tok(Token.Kind.NEQ_REGEX, start); }
        throw new ParseException(input, start, "unexpected character after '!': " + describe(pos));
      }
      case '<' -> {
        pos++;
        if (peek('=')) { pos++; return tok(Token.Kind.LTE, start); }
        return tok(Token.Kind.LSS, start);
      }
      case '>' -> {
        pos++;
        if (peek('=')) { pos++; return tok(Token.Kind.GTE, start); }
        return tok(Token.Kind.GTR, start);
      }
      case '"', '\'', '`' -> {
        return string(c);
      }
      default -> { }
    }
    if (Character.isDigit(c) || c == '.' && pos + 1 < input.length() && Character.isDigit(input.charAt(pos + 1))) {
      return numberOrDuration();
    }
    if (isIdentifierStart(c)) {
      while (pos < input.length() && (isIdentifierPart(input.charAt(pos)) || input.charAt(pos) == ':')) {
        pos++;
      }
      String text = input.substring(start, pos);
      return new Token(text.indexOf(':') >= 0 ? Token.Kind.METRIC_IDENTIFIER : Token.Kind.IDENTIFIER, text, text,
          start);
    }
    throw new ParseException(input, start, "unexpected character: " + describe(start));
  }

  private Token numberOrDuration() throws ParseException {
    int start = pos;
    if (input.startsWith("0x", pos) || input.startsWith("0X", pos)) {
      pos += 2;
      while (pos < input.length() && Character.digit(input.charAt(pos), 16) >= 0) {
        pos++;
      }
      return new Token(Token.Kind.NUMBER, input.substring(start, pos), input.substring(start, pos), start);
    }
    while (pos < input.length() && (Character.isDigit(input.charAt(pos)) || input.charAt(pos) == '.')) {
      pos++;
    }
    if (pos < input.length() && (input.charAt(pos) == 'e' || input.charAt(pos) == 'E')
        && pos + 1 < input.length() && (Character.isDigit(input.charAt(pos + 1)) || "+-".indexOf(input.charAt(pos + 1)) >= 0)) {
      pos += 2;
      while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
        pos++;
      }
    }
    // A duration is digits followed by units (and more digit-unit pairs): 5m, 1h30m, 250ms.
    if (pos < input.length() && "smhdwy".indexOf(input.charAt(pos)) >= 0 && input.substring(start, pos).matches("\\d+")) {
      while (pos < input.length() && (Character.isLetterOrDigit(input.charAt(pos)))) {
        pos++;
      }
      String text = input.substring(start, pos);
      if (!text.matches("(\\d+(ms|s|m|h|d|w|y))+")) {
        throw new ParseException(input, start, "bad duration syntax: \"" + text + "\"");
      }
      return new Token(Token.Kind.DURATION, text, text, start);
    }
    String text = input.substring(start, pos);
    return new Token(Token.Kind.NUMBER, text, text, start);
  }

  private Token string(char quote) throws ParseException {
    int start = pos++;
    // Go strings are bytes: \xNN and octal escapes may write bytes that are not UTF-8 on their own
    java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream();
    while (true) {
      if (pos >= input.length()) {
        throw new ParseException(input, start, "unterminated quoted string");
      }
      int cp = input.codePointAt(pos);
      pos += Character.charCount(cp);
      if (cp == quote) {
        break;
      }
      if (quote == '`' || cp != '\\') {
        if (cp == '\n' && quote != '`') {
          throw new ParseException(input, start, "unterminated quoted string");
        }
        utf8(value, cp);
        continue;
      }
      if (pos >= input.length()) {
        throw new ParseException(input, start, "unterminated quoted string");
      }
      char e = input.charAt(pos++);
      switch (e) {
        case 'a' -> value.write(7);
        case 'b' -> value.write('\b');
        case 'f' -> value.write('\f');
        case 'n' -> value.write('\n');
        case 'r' -> value.write('\r');
        case 't' -> value.write('\t');
        case 'v' -> value.write(11);
        case '\\' -> value.write('\\');
        case '"', '\'' -> value.write(e);
        case 'x' -> value.write(hex(start, 2));
        case 'u' -> utf8(value, hex(start, 4));
        case 'U' -> utf8(value, hex(start, 8));
        default -> {
          if (e >= '0' && e <= '7' && pos + 1 < input.length()) {
            value.write(Integer.parseInt(input.substring(pos - 1, pos + 2), 8));
            pos += 2;
          } else {
            throw new ParseException(input, pos - 2, "unknown escape sequence '\\" + e + "'");
          }
        }
      }
    }
    String decoded = java.nio.charset.StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(value.toByteArray()))
        .toString();
    return new Token(Token.Kind.STRING, input.substring(start, pos), decoded, start);
  }

  private static void utf8(java.io.ByteArrayOutputStream out, int codePoint) {
    out.writeBytes(new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private int hex(int start, int digits) throws ParseException {
    if (pos + digits > input.length()) {
      throw new ParseException(input, start, "unterminated escape sequence");
    }
    try {
      int v = Integer.parseInt(input.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    } catch (NumberFormatException e) {
      throw new ParseException(input, pos, "invalid escape sequence");
    }
  }

  private void skipSpaceAndComments() {
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < input.length() && input.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private boolean peek(char c) {
    return pos < input.length() && input.charAt(pos) == c;
  }

  private Token tok(Token.Kind kind, int start) {
    String text = input.substring(start, pos);
    return new Token(kind, text, text, start);
  }

  private String describe(int at) {
    return at >= input.length() ? "end of input" : "'" + input.charAt(at) + "'";
  }

  static boolean isIdentifierStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || c >= '0' && c <= '9';
  }
}
