package io.sightline.logql.syntax;

import java.nio.charset.StandardCharsets;

/**
 * Go's {@code text/scanner} with Go tokens (identifiers, numbers, strings, raw strings, characters, comments
 * skipped), which Loki's lexer is built on. Reproduced closely because Loki's error positions are its positions:
 * {@link #line}/{@link #column} are the start of the last token {@link #scan scanned}, and {@link #next} sets the
 * line to 0 ("invalidated") while leaving the column, which is why many Loki errors say {@code line 0}. The lexer
 * copies the scanner to look ahead ({@link #copy}), as Loki's copies the struct.
 */
final class GoScanner {
  static final int EOF = -1;
  static final int IDENT = -2;
  static final int INT = -3;
  static final int FLOAT = -4;
  static final int CHAR = -5;
  static final int STRING = -6;
  static final int RAW_STRING = -7;

  interface ErrorHandler {
    void error(GoScanner s, String msg);
  }

  private final byte[] src;
  private int srcPos;
  private int lineCount = 1;
  private int columnCount;
  private int lastLineLen;
  private int lastCharLen;
  private int tokPos = -1;
  private int tokEnd;
  private int ch = -2;
  ErrorHandler errors;
  /** Start of the most recently scanned token; line 0 after {@link #next}. */
  int line;
  int column;

  GoScanner(String input) {
    this.src = input.getBytes(StandardCharsets.UTF_8);
  }

  private GoScanner(GoScanner o) {
    src = o.src;
    srcPos = o.srcPos;
    lineCount = o.lineCount;
    columnCount = o.columnCount;
    lastLineLen = o.lastLineLen;
    lastCharLen = o.lastCharLen;
    tokPos = o.tokPos;
    tokEnd = o.tokEnd;
    ch = o.ch;
    errors = o.errors;
    line = o.line;
    column = o.column;
  }

  GoScanner copy() {
    return new GoScanner(this);
  }

  private int read() {
    if (srcPos >= src.length) {
      if (lastCharLen > 0) {
        columnCount++; // the previous character was not EOF
      }
      lastCharLen = 0;
      return EOF;
    }
    int c = src[srcPos] & 0xff;
    int width = 1;
    if (c >= 0x80) {
      long decoded = Utf8.decode(src, srcPos);
      c = (int) (decoded >>> 32);
      width = (int) decoded;
      if (c == Utf8.RUNE_ERROR && width == 1) {
        srcPos += width;
        lastCharLen = width;
        columnCount++;
        error("invalid UTF-8 encoding");
        return c;
      }
    }
    srcPos += width;
    lastCharLen = width;
    columnCount++;
    if (c == 0) {
      error("invalid character NUL");
    } else if (c == '\n') {
      lineCount++;
      lastLineLen = columnCount;
      columnCount = 0;
    }
    return c;
  }

  /** Reads and returns the next character; invalidates the token position (line 0). */
  int next() {
    tokPos = -1;
    line = 0;
    int c = peek();
    if (c != EOF) {
      ch = read();
    }
    return c;
  }

  int peek() {
    if (ch == -2) {
      ch = read();
      if (ch == 0xFEFF) {
        ch = read();
      }
    }
    return ch;
  }

  private void error(String msg) {
    tokEnd = srcPos - lastCharLen;
    if (errors != null) {
      errors.error(this, msg);
    }
  }

  private static boolean isIdentRune(int c, int i) {
    return c == '_' || c >= 0 && Character.isLetter(c) || c >= 0 && Character.isDigit(c) && i > 0;
  }

  private static boolean isDecimal(int c) {
    return '0' <= c && c <= '9';
  }

  private static int lower(int c) {
    return ('a' - 'A') | c;
  }

  private static boolean isHex(int c) {
    return '0' <= c && c <= '9' || 'a' <= lower(c) && lower(c) <= 'f';
  }

  private int digitSeparators;
  private int invalidDigit;

  private int digits(int c, int base, boolean trackInvalid) {
    digitSeparators = 0;
    if (base <= 10) {
      int max = '0' + base;
      while (isDecimal(c) || c == '_') {
        int ds = 1;
        if (c == '_') {
          ds = 2;
        } else if (c >= max && trackInvalid && invalidDigit == 0) {
          invalidDigit = c;
        }
        digitSeparators |= ds;
        c = read();
      }
    } else {
      while (isHex(c) || c == '_') {
        digitSeparators |= c == '_' ? 2 : 1;
        c = read();
      }
    }
    return c;
  }

  private int scanNumber(int c, boolean seenDot, int[] tokOut) {
    int base = 10;
    int prefix = 0;
    int digsep = 0;
    invalidDigit = 0;
    int tok = 0;
    if (!seenDot) {
      tok = INT;
      if (c == '0') {
        c = read();
        switch (lower(c)) {
          case 'x' -> {
            c = read();
            base = 16;
            prefix = 'x';
          }
          case 'o' -> {
            c = read();
            base = 8;
            prefix = 'o';
          }
          case 'b' -> {
            // Go's Peek here returns the scanner's stale look-ahead (the character after the previous token),
            // not the character after the 'b': kept, since it decides whether "0B" scans.
            int p = peek();
            if (p == '0' || p == '1') {
              c = read();
              base = 2;
              prefix = 'b';
            }
          }
          default -> {
            base = 8;
            prefix = '0';
            digsep = 1;
          }
        }
      }
      c = digits(c, base, true);
      digsep |= digitSeparators;
      if (c == '.') {
        c = read();
        seenDot = true;
      }
    }
    if (seenDot) {
      tok = FLOAT;
      if (prefix == 'o' || prefix == 'b') {
        error("invalid radix point in " + litname(prefix));
      }
      c = digits(c, base, true);
      digsep |= digitSeparators;
    }
    if ((digsep & 1) == 0) {
      error(litname(prefix) + " has no digits");
    }
    int e = lower(c);
    if (e == 'e' || e == 'p' && prefix == 'x') {
      if (e == 'e' && prefix != 0 && prefix != '0') {
        error("'" + new String(Character.toChars(c)) + "' exponent requires decimal mantissa");
      }
      c = read();
      tok = FLOAT;
      if (c == '+' || c == '-') {
        c = read();
      }
      c = digits(c, 10, false);
      digsep |= digitSeparators;
      if ((digitSeparators & 1) == 0) {
        error("exponent has no digits");
      }
    } else if (prefix == 'x' && tok == FLOAT) {
      error("hexadecimal mantissa requires a 'p' exponent");
    }
    if (tok == INT && invalidDigit != 0) {
      error("invalid digit '" + new String(Character.toChars(invalidDigit)) + "' in " + litname(prefix));
    }
    if ((digsep & 2) != 0) {
      tokEnd = srcPos - lastCharLen;
      if (invalidSeparator(tokenText()) >= 0) {
        error("'_' must separate successive digits");
      }
    }
    tokOut[0] = tok;
    return c;
  }

  private static String litname(int prefix) {
    return switch (prefix) {
      case 'x' -> "hexadecimal literal";
      case 'o', '0' -> "octal literal";
      case 'b' -> "binary literal";
      default -> "decimal literal";
    };
  }

  private static int invalidSeparator(String x) {
    int x1 = ' ';
    int d = '.';
    int i = 0;
    if (x.length() >= 2 && x.charAt(0) == '0') {
      x1 = lower(x.charAt(1));
      if (x1 == 'x' || x1 == 'o' || x1 == 'b') {
        d = '0';
        i = 2;
      }
    }
    for (; i < x.length(); i++) {
      int p = d;
      d = x.charAt(i);
      if (d == '_') {
        if (p != '0') {
          return i;
        }
      } else if (isDecimal(d) || x1 == 'x' && isHex(d)) {
        d = '0';
      } else {
        if (p == '_') {
          return i - 1;
        }
        d = '.';
      }
    }
    return d == '_' ? x.length() - 1 : -1;
  }

  private static int digitVal(int c) {
    if ('0' <= c && c <= '9') {
      return c - '0';
    }
    if ('a' <= lower(c) && lower(c) <= 'f') {
      return lower(c) - 'a' + 10;
    }
    return 16;
  }

  private int scanDigits(int c, int base, int n) {
    while (n > 0 && digitVal(c) < base) {
      c = read();
      n--;
    }
    if (n > 0) {
      error("invalid char escape");
    }
    return c;
  }

  private int scanEscape(int quote) {
    int c = read();
    switch (c) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> c = read();
      case '0', '1', '2', '3', '4', '5', '6', '7' -> c = scanDigits(c, 8, 3);
      case 'x' -> c = scanDigits(read(), 16, 2);
      case 'u' -> c = scanDigits(read(), 16, 4);
      case 'U' -> c = scanDigits(read(), 16, 8);
      default -> {
        if (c == quote) {
          c = read();
        } else {
          error("invalid char escape");
        }
      }
    }
    return c;
  }

  private int scanString(int quote) {
    int c = read();
    int n = 0;
    while (c != quote) {
      if (c == '\n' || c < 0) {
        error("literal not terminated");
        return n;
      }
      c = c == '\\' ? scanEscape(quote) : read();
      n++;
    }
    return n;
  }

  private void scanRawString() {
    int c = read();
    while (c != '`') {
      if (c < 0) {
        error("literal not terminated");
        return;
      }
      c = read();
    }
  }

  private int scanComment(int c) {
    if (c == '/') {
      c = read();
      while (c != '\n' && c >= 0) {
        c = read();
      }
      return c;
    }
    c = read();
    while (true) {
      if (c < 0) {
        error("comment not terminated");
        break;
      }
      int c0 = c;
      c = read();
      if (c0 == '*' && c == '/') {
        c = read();
        break;
      }
    }
    return c;
  }

  private static boolean isWhitespace(int c) {
    return c == '\t' || c == '\n' || c == '\r' || c == ' ';
  }

  /** The next token: one of the negative constants, or a character. */
  int scan() {
    int c = peek();
    tokPos = -1;
    line = 0;
    while (true) {
      while (isWhitespace(c)) {
        c = read();
      }
      tokPos = srcPos - lastCharLen;
      if (columnCount > 0) {
        line = lineCount;
        column = columnCount;
      } else {
        line = lineCount - 1;
        column = lastLineLen;
      }
      int tok = c;
      if (isIdentRune(c, 0)) {
        tok = IDENT;
        c = read();
        for (int i = 1; isIdentRune(c, i); i++) {
          c = read();
        }
      } else if (isDecimal(c)) {
        int[] t = new int[1];
        c = scanNumber(c, false, t);
        tok = t[0];
      } else {
        switch (c) {
          case EOF -> { }
          case '"' -> {
            scanString('"');
            tok = STRING;
            c = read();
          }
          case '\'' -> {
            if (scanString('\'') != 1) {
              error("invalid char literal");
            }
            tok = CHAR;
            c = read();
          }
          case '.' -> {
            c = read();
            if (isDecimal(c)) {
              int[] t = new int[1];
              c = scanNumber(c, true, t);
              tok = t[0];
            }
          }
          case '/' -> {
            c = read();
            if (c == '/' || c == '*') {
              tokPos = -1;
              c = scanComment(c);
              continue; // comments are white space
            }
          }
          case '`' -> {
            scanRawString();
            tok = RAW_STRING;
            c = read();
          }
          default -> c = read();
        }
      }
      tokEnd = srcPos - lastCharLen;
      ch = c;
      return tok;
    }
  }

  boolean tokenIsValidUtf8() {
    return tokPos < 0 || Utf8.valid(src, tokPos, Math.max(tokPos, tokEnd));
  }

  String tokenText() {
    if (tokPos < 0) {
      return "";
    }
    if (tokEnd < tokPos) {
      tokEnd = tokPos;
    }
    return new String(src, tokPos, tokEnd - tokPos, StandardCharsets.UTF_8);
  }
}
