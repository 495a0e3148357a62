package io.sightline.traceql.syntax;

import java.util.Set;

/**
 * Splits a query into tokens on demand, as Tempo's lexer drives {@code text/scanner}: so that an error that comes
 * first in the query is the one reported. Attribute names are read whole after {@code .} or a scope, up to a space or
 * one of {@code {}()=~!<>&|^,}, so {@code .http.url} and even {@code .a-b} are one name; quoted parts may hold
 * anything.
 */
final class Lexer {
  /** The words goyacc names by their spelling in error messages: Tempo's token map. */
  static final Set<String> KEYWORDS = Set.of("true", "false", "nil", "ok", "error", "unset", "unspecified",
      "internal", "server", "client", "producer", "consumer", "duration", "childCount", "name", "status",
      "statusMessage", "kind", "rootName", "rootServiceName", "rootService", "traceDuration", "nestedSetLeft",
      "nestedSetRight", "nestedSetParent", "id", "traceID", "spanID", "parentID", "timeSinceStart", "version",
      "parent", "count", "avg", "max", "min", "sum", "by", "coalesce", "select", "rate", "count_over_time",
      "min_over_time", "max_over_time", "avg_over_time", "sum_over_time", "quantile_over_time",
      "histogram_over_time", "compare", "topk", "bottomk", "with");

  private static final Set<String> SYMBOLS = Set.of(",", ".", "{", "}", "(", ")", "=", "!=", "=~", "!~", ">", ">=",
      "<", "<=", "+", "-", "/", "%", "*", "^", "&&", "||", "!", "|", ">>", "<<", "~", "!>", "!<", "!>>", "!<<", "&~",
      "&>", "&<", "&>>", "&<<");

  private static final Set<String> DOT_SCOPES = Set.of("span", "resource", "event", "link", "instrumentation",
      "parent");
  private static final Set<String> COLON_SCOPES = Set.of("span", "trace", "event", "link", "instrumentation");

  private final String src;
  private int pos;
  private int line = 1;
  private int lineStart;

  Lexer(String src) {
    this.src = src;
  }

  Token next() {
    skipSpace();
    int start = pos;
    int col = pos - lineStart + 1;
    if (pos >= src.length()) {
      return src.isEmpty() ? new Token(Token.Kind.EOF, "", null, 0, 0) : token(Token.Kind.EOF, "", null, col);
    }
    char c = src.charAt(pos);
    if (c == '"' || c == '`') {
      return token(Token.Kind.STRING, null, readString(c, col), col, start);
    }
    if (isDigit(c) || c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
      return number(col);
    }
    if (Character.isLetter(c) || c == '_') {
      while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
        pos++;
      }
      String word = src.substring(start, pos);
      if (pos < src.length() && src.charAt(pos) == '.' && DOT_SCOPES.contains(word)) {
        pos++;
        return scopedAttribute(word, col);
      }
      if (pos < src.length() && src.charAt(pos) == ':' && COLON_SCOPES.contains(word)) {
        pos++;
        return token(Token.Kind.SCOPE_COLON, word + ":", word, col);
      }
      return token(Token.Kind.WORD, word, null, col);
    }
    if (c == '.') {
      pos++;
      String name = attributeName(".", col);
      return token(Token.Kind.ATTRIBUTE, ".", Attribute.of(Scope.NONE, false, name), col);
    }
    // The longest operator that starts here; a lone character that is none is an identifier to goyacc.
    String sym = String.valueOf(c);
    pos++;
    while (pos < src.length() && SYMBOLS.contains(sym + src.charAt(pos))) {
      sym += src.charAt(pos);
      pos++;
    }
    if (!SYMBOLS.contains(sym)) {
      return token(Token.Kind.WORD, sym, null, col);
    }
    return token(Token.Kind.SYMBOL, sym, null, col);
  }

  private Token token(Token.Kind kind, String text, Object value, int col) {
    return new Token(kind, text, value, line, col);
  }

  private Token token(Token.Kind kind, String text, Object value, int col, int start) {
    return new Token(kind, text == null ? src.substring(start, pos) : text, value, line, col);
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      if (src.charAt(pos) == '\n') {
        line++;
        lineStart = pos + 1;
      }
      pos++;
    }
  }

  private Token scopedAttribute(String scope, int col) {
    boolean parent = scope.equals("parent");
    Scope s = parent ? Scope.NONE : Scope.valueOf(scope.toUpperCase(java.util.Locale.ROOT));
    String text = scope + ".";
    if (parent) {
      // parent.span.x and parent.resource.x: the inner scope is read like the outer one.
      for (String inner : new String[] {"span.", "resource."}) {
        if (src.startsWith(inner, pos)) {
          pos += inner.length();
          s = inner.equals("span.") ? Scope.SPAN : Scope.RESOURCE;
          break;
        }
      }
    }
    String name = attributeName(text, col);
    Attribute attribute = parent ? new Attribute(s, true, name, null) : new Attribute(s, false, name, null);
    return token(Token.Kind.ATTRIBUTE, text, attribute, col);
  }

  private String attributeName(String scopeText, int col) {
    StringBuilder b = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '"') {
        pos++;
        boolean closed = false;
        while (pos < src.length()) {
          char q = src.charAt(pos++);
          if (q == '"') {
            closed = true;
            break;
          }
          if (q == '\\') {
            if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\\')) {
              b.append(src.charAt(pos++));
            } else {
              throw new ParseFailure(new ParseException(0, col, "invalid escape sequence"));
            }
          } else {
            b.append(q);
          }
        }
        if (!closed) {
          throw new ParseFailure(new ParseException(0, col, "unexpected EOF, expecting \""));
        }
      } else if (isAttributeChar(c)) {
        b.append(c);
        pos++;
      } else {
        break;
      }
    }
    if (b.isEmpty()) {
      String expecting = scopeText.equals("parent.") ? "IDENTIFIER or resource. or span." : "IDENTIFIER";
      throw new ParseFailure(new ParseException(line, col,
          "syntax error: unexpected END_ATTRIBUTE, expecting " + expecting));
    }
    return b.toString();
  }

  static boolean isAttributeChar(char c) {
    if (Character.isWhitespace(c)) {
      return false;
    }
    return switch (c) {
      case '{', '}', '(', ')', '=', '~', '!', '<', '>', '&', '|', '^', ',' -> false;
      default -> true;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Token number(int col) {
    int start = pos;
    boolean isFloat = false;
    while (pos < src.length() && isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos < src.length() && src.charAt(pos) == '.') {
      isFloat = true;
      pos++;
      while (pos < src.length() && isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < src.length() && isDigit(src.charAt(pos))) {
        isFloat = true;
        while (pos < src.length() && isDigit(src.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
    String number = src.substring(start, pos);
    // A duration is the number and every digit, '.' or unit letter that follows it up to a space, if that parses.
    int end = pos;
    while (end < src.length() && (isDigit(src.charAt(end)) || src.charAt(end) == '.'
        || "nsumhµμdwy".indexOf(src.charAt(end)) >= 0)) {
      end++;
    }
    if (end > pos) {
      Long nanos = Durations.parse(src.substring(start, end));
      if (nanos != null) {
        pos = end;
        return token(Token.Kind.DURATION, src.substring(start, end), nanos, col);
      }
    }
    if (isFloat) {
      return token(Token.Kind.FLOAT, number, Double.parseDouble(number), col);
    }
    try {
      return token(Token.Kind.INTEGER, number, Long.parseLong(number), col);
    } catch (NumberFormatException e) {
      throw new ParseFailure(new ParseException(line, col,
          "strconv.Atoi: parsing \"" + number + "\": value out of range"));
    }
  }

  private String readString(char quote, int col) {
    int startLine = line;
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= src.length() || quote == '"' && src.charAt(pos) == '\n') {
        throw new ParseFailure(new ParseException(startLine, col, "literal not terminated"));
      }
      char c = src.charAt(pos++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\n') {
        line++;
        lineStart = pos;
      }
      if (c != '\\' || quote == '`') {
        b.append(c);
        continue;
      }
      if (pos >= src.length()) {
        throw new ParseFailure(new ParseException(startLine, col, "literal not terminated"));
      }
      char e = src.charAt(pos++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'v' -> b.append('\u000b');
        case '\\', '"', '\'' -> b.append(e);
        case 'x' -> b.append((char) hex(2, startLine, col));
        case 'u' -> b.append((char) hex(4, startLine, col));
        case 'U' -> b.appendCodePoint(hex(8, startLine, col));
        default -> {
          if (e >= '0' && e <= '7' && pos + 1 < src.length()) {
            b.append((char) Integer.parseInt(src.substring(pos - 1, pos + 2), 8));
            pos += 2;
          } else {
            throw new ParseFailure(new ParseException(startLine, col, "invalid char escape"));
          }
        }
      }
    }
  }

  private int hex(int digits, int startLine, int col) {
    if (pos + digits > src.length()) {
      throw new ParseFailure(new ParseException(startLine, col, "invalid char escape"));
    }
    try {
      int v = Integer.parseUnsignedInt(src.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    } catch (NumberFormatException ex) {
      throw new ParseFailure(new ParseException(startLine, col, "invalid char escape"));
    }
  }
}
