package io.sightline.rules.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text and action tokens, as Go's {@code text/template/parse/lex.go}: actions
 * are <code>{{ ... }}</code>, <code>{{- </code> and <code> -}}</code> trim the spaces next to them,
 * <code>{{/* ... *&#47;}}</code> is a comment.
 */
final class Lexer {
  enum Kind { TEXT, LEFT, RIGHT, IDENT, FIELD, VARIABLE, STRING, NUMBER, PIPE, LPAREN, RPAREN, DECLARE, ASSIGN,
    COMMA, DOT, EOF }

  record Token(Kind kind, String text, int line, int column) {}

  private final String name;
  private final String src;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int line = 1;
  private int lineStart;

  private Lexer(String name, String src) {
    this.name = name;
    this.src = src;
  }

  static List<Token> tokenize(String name, String src) throws TemplateException {
    Lexer l = new Lexer(name, src);
    l.run();
    return l.out;
  }

  private TemplateException error(String message) {
    return new TemplateException("template: " + name + ":" + line + ": " + message);
  }

  private void run() throws TemplateException {
    boolean trimNextText = false;
    while (pos < src.length()) {
      int open = src.indexOf("{{", pos);
      int end = open < 0 ? src.length() : open;
      boolean trimLeft = open >= 0 && src.startsWith("{{- ", open) || open >= 0 && src.startsWith("{{-\t", open)
          || open >= 0 && src.startsWith("{{-\n", open);
      String text = src.substring(pos, end);
      if (trimNextText) {
        text = text.stripLeading();
      }
      if (trimLeft) {
        text = text.stripTrailing();
      }
      if (!text.isEmpty()) {
        out.add(new Token(Kind.TEXT, text, line, pos - lineStart));
      }
      advanceTo(end);
      if (open < 0) {
        break;
      }
      pos = open + (trimLeft ? 3 : 2);
      trimNextText = action();
    }
    out.add(new Token(Kind.EOF, "", line, pos - lineStart));
  }

  private void advanceTo(int end) {
    for (int i = pos; i < end; i++) {
      if (src.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    pos = end;
  }

  /** Lexes one action after its {@code {{}; returns whether it ended with {@code -}}}. */
  private boolean action() throws TemplateException {
    int skip = pos;
    while (skip < src.length() && Character.isWhitespace(src.charAt(skip))) {
      skip++;
    }
    if (src.startsWith("/*", skip)) {
      int close = src.indexOf("*/", skip + 2);
      if (close < 0) {
        throw error("unclosed comment");
      }
      advanceTo(close + 2);
      boolean trim = src.startsWith(" -}}", pos);
      if (trim) {
        pos += 1;
      }
      if (src.startsWith("-}}", pos)) {
        pos += 3;
        return true;
      }
      if (!src.startsWith("}}", pos)) {
        throw error("comment ends before closing delimiter");
      }
      pos += 2;
      return false;
    }
    out.add(new Token(Kind.LEFT, "{{", line, pos - lineStart));
    while (true) {
      if (pos >= src.length()) {
        throw error("unclosed action");
      }
      char c = src.charAt(pos);
      int col = pos - lineStart;
      if (src.startsWith("}}", pos)) {
        out.add(new Token(Kind.RIGHT, "}}", line, col));
        pos += 2;
        return false;
      }
      if (Character.isWhitespace(c)) {
        if (src.startsWith("-}}", pos + 1)) {
          out.add(new Token(Kind.RIGHT, "}}", line, col));
          advanceTo(pos + 1);
          pos += 3;
          return true;
        }
        advanceTo(pos + 1);
        continue;
      }
      switch (c) {
        case '|' -> single(Kind.PIPE, col);
        case '(' -> single(Kind.LPAREN, col);
        case ')' -> single(Kind.RPAREN, col);
        case ',' -> single(Kind.COMMA, col);
        case '=' -> single(Kind.ASSIGN, col);
        case ':' -> {
          if (!src.startsWith(":=", pos)) {
            throw error("expected :=");
          }
          out.add(new Token(Kind.DECLARE, ":=", line, col));
          pos += 2;
        }
        case '"' -> quoted(col);
        case '`' -> raw(col);
        case '$' -> word(Kind.VARIABLE, col, pos + 1);
        case '.' -> {
          if (pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
            number(col);
          } else if (pos + 1 < src.length() && isAlnum(src.charAt(pos + 1))) {
            word(Kind.FIELD, col, pos + 1);
          } else {
            single(Kind.DOT, col);
          }
        }
        default -> {
          if (Character.isDigit(c) || (c == '-' || c == '+') && pos + 1 < src.length()
              && Character.isDigit(src.charAt(pos + 1))) {
            number(col);
          } else if (isAlnum(c)) {
            word(Kind.IDENT, col, pos);
          } else {
            throw error("unexpected " + quoteRune(c) + " in command");
          }
        }
      }
    }
  }

  private static String quoteRune(char c) {
    return "\"" + c + "\"";
  }

  private static boolean isAlnum(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private void single(Kind kind, int col) {
    out.add(new Token(kind, String.valueOf(src.charAt(pos)), line, col));
    pos++;
  }

  private void word(Kind kind, int col, int from) {
    int end = from;
    while (end < src.length() && isAlnum(src.charAt(end))) {
      end++;
    }
    out.add(new Token(kind, src.substring(pos, end), line, col));
    pos = end;
  }

  private void number(int col) {
    int end = pos + 1;
    while (end < src.length() && (isAlnum(src.charAt(end)) || src.charAt(end) == '.'
        || (src.charAt(end) == '+' || src.charAt(end) == '-') && (src.charAt(end - 1) == 'e' || src.charAt(end - 1) == 'E'))) {
      end++;
    }
    out.add(new Token(Kind.NUMBER, src.substring(pos, end), line, col));
    pos = end;
  }

  private void quoted(int col) throws TemplateException {
    StringBuilder b = new StringBuilder();
    int i = pos + 1;
    while (true) {
      if (i >= src.length() || src.charAt(i) == '\n') {
        throw error("unterminated quoted string");
      }
      char c = src.charAt(i);
      if (c == '"') {
        break;
      }
      if (c == '\\' && i + 1 < src.length()) {
        char e = src.charAt(++i);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case '\\' -> b.append('\\');
          case '"' -> b.append('"');
          default -> b.append('\\').append(e);
        }
      } else {
        b.append(c);
      }
      i++;
    }
    out.add(new Token(Kind.STRING, b.toString(), line, col));
    pos = i + 1;
  }

  private void raw(int col) throws TemplateException {
    int close = src.indexOf('`', pos + 1);
    if (close < 0) {
      throw error("unterminated raw quoted string");
    }
    out.add(new Token(Kind.STRING, src.substring(pos + 1, close), line, col));
    advanceTo(close + 1);
  }
}
