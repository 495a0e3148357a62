package io.sightline.logql.log;

import io.sightline.logql.syntax.Utf8;

/**
 * Loki's logfmt decoder ({@code pkg/logql/log/logfmt/decode.go}) over a line's bytes: one key/value pair per
 * {@link #scan}, keys and values as offsets; a syntax error is remembered with Loki's message and the scan goes on
 * after the bad pair.
 */
final class LogfmtDecoder {
  private byte[] line;
  private int pos;
  private int end;
  int keyStart;
  int keyEnd;
  int valueStart;
  int valueEnd;
  /** The unquoted value when it had escapes; null otherwise. */
  byte[] unquoted;
  String err;

  void reset(byte[] b, int off, int len) {
    line = b;
    pos = off;
    end = off + len;
    err = null;
  }

  boolean eol() {
    return pos >= end;
  }

  boolean hasKey() {
    return keyStart >= 0;
  }

  boolean hasValue() {
    return valueStart >= 0 || unquoted != null;
  }

  private void syntaxError(String msg, int at) {
    err = "logfmt syntax error at pos " + (at + 1) + " : " + msg;
  }

  private void unexpected(byte c, int at) {
    String q = c == '\'' ? "'\\''" : "'" + (char) c + "'";
    syntaxError("unexpected " + q, at);
  }

  /** Loki's {@code ScanKeyval}: false for a pair to skip. Positions in messages are relative to the line start. */
  boolean scan(int lineStart) {
    keyStart = keyEnd = valueStart = valueEnd = -1;
    unquoted = null;
    while (pos < end && (line[pos] & 0xff) <= ' ') {
      pos++;
    }
    if (pos >= end) {
      return false;
    }
    int start = pos;
    boolean multibyte = false;
    while (pos < end) {
      int c = line[pos] & 0xff;
      if (c == '=') {
        if (!takeKey(start, multibyte, lineStart)) {
          return skip();
        }
        if (keyStart < 0) {
          unexpected((byte) c, pos - lineStart);
          return skip();
        }
        return equal(lineStart);
      }
      if (c == '"') {
        unexpected((byte) c, pos - lineStart);
        return skip();
      }
      if (c <= ' ') {
        return takeKey(start, multibyte, lineStart);
      }
      if (c >= 0x80) {
        multibyte = true;
      }
      pos++;
    }
    return takeKey(start, multibyte, lineStart);
  }

  /** The key ends at {@code pos}; false (and an error) when it is not valid UTF-8. */
  private boolean takeKey(int start, boolean multibyte, int lineStart) {
    if (pos > start) {
      keyStart = start;
      keyEnd = pos;
      if (multibyte && invalidUtf8(start, pos)) {
        syntaxError("invalid key", pos - lineStart);
        keyStart = -1;
        return false;
      }
    }
    return true;
  }

  private boolean invalidUtf8(int from, int to) {
    for (int i = from; i < to; ) {
      long d = Utf8.decode(line, i, to);
      if ((int) (d >>> 32) == Utf8.RUNE_ERROR) {
        return true;
      }
      i += (int) d;
    }
    return false;
  }

  private boolean equal(int lineStart) {
    pos++;
    if (pos >= end) {
      return true;
    }
    int c = line[pos] & 0xff;
    if (c <= ' ') {
      return true;
    }
    if (c == '"') {
      return quoted(lineStart);
    }
    int start = pos;
    while (pos < end) {
      c = line[pos] & 0xff;
      if (c == '=' || c == '"') {
        unexpected((byte) c, pos - lineStart);
        return skip();
      }
      if (c <= ' ') {
        if (pos > start) {
          valueStart = start;
          valueEnd = pos;
        }
        return true;
      }
      pos++;
    }
    if (pos > start) {
      valueStart = start;
      valueEnd = pos;
    }
    return true;
  }

  private boolean skip() {
    while (pos < end) {
      if ((line[pos] & 0xff) <= ' ') {
        return false;
      }
      pos++;
    }
    return false;
  }

  private boolean quoted(int lineStart) {
    boolean hasEsc = false;
    boolean esc = false;
    int start = pos;
    for (int p = pos + 1; p < end; p++) {
      byte c = line[p];
      if (esc) {
        esc = false;
      } else if (c == '\\') {
        hasEsc = true;
        esc = true;
      } else if (c == '"') {
        pos = p + 1;
        if (hasEsc) {
          byte[] v = Json.unescape(line, start + 1, p, true);
          if (v == null) {
            syntaxError("invalid quoted value", pos - lineStart);
            return false;
          }
          unquoted = v;
        } else if (p > start + 1) {
          valueStart = start + 1;
          valueEnd = p;
        }
        return true;
      }
    }
    pos = end;
    syntaxError("unterminated quoted value", pos - lineStart);
    return false;
  }

  /** Receives each pair's label name (the decoder holds its value). */
  @FunctionalInterface
  interface Pair {
    void accept(String name);
  }

  /**
   * Every pair of the line whose key names a label ({@code keys} gives the sanitised name, null for none); a
   * malformed pair is skipped, or ends the scan when {@code strict}. Afterwards {@link #err} has the first error.
   */
  void scanAll(Line line, boolean strict, KeyCache keys, Pair pair) {
    reset(line.buf, line.off, line.len);
    while (!eol()) {
      if (!scan(line.off)) {
        if (strict) {
          break;
        }
        continue;
      }
      if (!hasKey()) {
        continue;
      }
      String key = keys.get(line.buf, keyStart, keyEnd);
      if (key != null) {
        pair.accept(key);
      }
    }
  }

  String key() {
    return new String(line, keyStart, keyEnd - keyStart, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The value as a string ("" when absent), invalid UTF-8 replaced with spaces as Loki does. */
  String value() {
    if (unquoted != null) {
      return Json.cleanUtf8(new String(unquoted, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (valueStart < 0) {
      return "";
    }
    return Json.cleanUtf8(new String(line, valueStart, valueEnd - valueStart,
        java.nio.charset.StandardCharsets.UTF_8));
  }

  byte[] line() {
    return line;
  }
}
