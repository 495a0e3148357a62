package io.sightline.logql.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON read the way grafana/jsonparser (Loki's JSON library) reads it: in place over the bytes, validating only what
 * it walks, with its error messages. Values are returned as offsets into the buffer.
 */
final class Json {
  static final int NOT_EXIST = 0;
  static final int STRING = 1;
  static final int NUMBER = 2;
  static final int OBJECT = 3;
  static final int ARRAY = 4;
  static final int BOOLEAN = 5;
  static final int NULL = 6;

  static final String MALFORMED_JSON = "Malformed JSON error";
  static final String MALFORMED_STRING = "Value is string, but can't find closing '\"' symbol";
  static final String MALFORMED_ARRAY = "Value is array, but can't find closing ']' symbol";
  static final String MALFORMED_OBJECT = "Value looks like object, but can't find closing '}' symbol";
  static final String UNKNOWN_VALUE_TYPE = "Unknown value type";
  static final String MALFORMED_ESCAPE = "Encountered an invalid escape sequence in a string";

  /** A jsonparser error; its message goes into {@code __error_details__}. */
  static final class JsonError extends Exception {
    private static final long serialVersionUID = 1L;

    JsonError(String msg) {
      super(msg, null, false, false);
    }
  }

  private Json() {}

  /** Index of the next non-space byte at or after {@code i}, or -1. */
  static int nextToken(byte[] b, int i, int end) {
    for (; i < end; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return i;
      }
    }
    return -1;
  }

  /** Index just after the closing quote of a string whose content starts at {@code i}, or -1. */
  static int stringEnd(byte[] b, int i, int end) {
    boolean escaped = false;
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        if (!escaped) {
          return i + 1;
        }
        // count the backslashes before this quote
        int j = i - 1;
        int n = 0;
        while (j >= 0 && b[j] == '\\') {
          n++;
          j--;
        }
        if (n % 2 == 0) {
          return i + 1;
        }
      } else if (c == '\\') {
        escaped = true;
      }
    }
    return -1;
  }

  /** Whether the string content {@code [from, to)} has escapes. */
  static boolean hasEscape(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\\') {
        return true;
      }
    }
    return false;
  }

  /** Index just after the block closing the one opened at {@code i}, skipping strings, or -1. */
  static int blockEnd(byte[] b, int i, int end, byte open, byte close) {
    int level = 0;
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        int se = stringEnd(b, i + 1, end);
        if (se == -1) {
          return -1;
        }
        i = se - 1;
      } else if (c == open) {
        level++;
      } else if (c == close) {
        level--;
        if (level == 0) {
          return i + 1;
        }
      }
    }
    return -1;
  }

  static int tokenEnd(byte[] b, int i, int end) {
    for (; i < end; i++) {
      byte c = b[i];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == '}' || c == ']') {
        return i;
      }
    }
    return end;
  }

  /** A value found by {@link #value}: type, its bytes {@code [start, end)} (strings without quotes), next offset. */
  static final class Value {
    int type;
    int start;
    int end;
    int next;
  }

  /** jsonparser's {@code Get} without keys: the value at or after {@code i}. */
  static void value(byte[] b, int i, int end, Value out) throws JsonError {
    int t = nextToken(b, i, end);
    if (t == -1) {
      throw new JsonError(MALFORMED_JSON);
    }
    byte c = b[t];
    if (c == '"') {
      int se = stringEnd(b, t + 1, end);
      if (se == -1) {
        throw new JsonError(MALFORMED_STRING);
      }
      out.type = STRING;
      out.start = t + 1;
      out.end = se - 1;
      out.next = se;
    } else if (c == '[') {
      int be = blockEnd(b, t, end, (byte) '[', (byte) ']');
      if (be == -1) {
        throw new JsonError(MALFORMED_ARRAY);
      }
      out.type = ARRAY;
      out.start = t;
      out.end = be;
      out.next = be;
    } else if (c == '{') {
      int be = blockEnd(b, t, end, (byte) '{', (byte) '}');
      if (be == -1) {
        throw new JsonError(MALFORMED_OBJECT);
      }
      out.type = OBJECT;
      out.start = t;
      out.end = be;
      out.next = be;
    } else {
      int te = tokenEnd(b, t, end);
      int len = te - t;
      if (c == 't' || c == 'f') {
        if (!(len == 4 && match(b, t, "true") || len == 5 && match(b, t, "false"))) {
          throw new JsonError(UNKNOWN_VALUE_TYPE);
        }
        out.type = BOOLEAN;
      } else if (c == 'u' || c == 'n') {
        if (!(len == 4 && match(b, t, "null"))) {
          throw new JsonError(UNKNOWN_VALUE_TYPE);
        }
        out.type = NULL;
      } else if (c >= '0' && c <= '9' || c == '-') {
        out.type = NUMBER;
      } else {
        throw new JsonError(UNKNOWN_VALUE_TYPE);
      }
      out.start = t;
      out.end = te;
      out.next = te;
    }
  }

  private static boolean match(byte[] b, int i, String s) {
    for (int k = 0; k < s.length(); k++) {
      if (b[i + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** The member {@code key} of the object at or after {@code i} into {@code out}; false when absent. */
  static boolean member(byte[] b, int i, int end, byte[] key, Value out) throws JsonError {
    int o = nextToken(b, i, end);
    if (o == -1 || b[o] != '{') {
      return false;
    }
    o = nextToken(b, o + 1, end);
    while (o != -1 && o < end && b[o] != '}') {
      if (b[o] != '"') {
        throw new JsonError(MALFORMED_OBJECT);
      }
      int se = stringEnd(b, o + 1, end);
      if (se == -1) {
        throw new JsonError(MALFORMED_JSON);
      }
      int ks = o + 1;
      int ke = se - 1;
      boolean same;
      if (hasEscape(b, ks, ke)) {
        byte[] u = unescape(b, ks, ke);
        if (u == null) {
          throw new JsonError(MALFORMED_ESCAPE);
        }
        same = java.util.Arrays.equals(u, key);
      } else {
        same = java.util.Arrays.equals(b, ks, ke, key, 0, key.length);
      }
      o = nextToken(b, se, end);
      if (o == -1 || b[o] != ':') {
        throw new JsonError(MALFORMED_JSON);
      }
      value(b, o + 1, end, out);
      if (same) {
        return true;
      }
      o = nextToken(b, out.next, end);
      if (o == -1) {
        throw new JsonError(MALFORMED_OBJECT);
      }
      if (b[o] == ',') {
        o = nextToken(b, o + 1, end);
      } else if (b[o] != '}') {
        throw new JsonError(MALFORMED_OBJECT);
      }
    }
    return false;
  }

  /** Element {@code index} of the array at or after {@code i} into {@code out}; false when absent. */
  static boolean element(byte[] b, int i, int end, int index, Value out) throws JsonError {
    int o = nextToken(b, i, end);
    if (o == -1 || b[o] != '[') {
      return false;
    }
    o = nextToken(b, o + 1, end);
    int n = 0;
    while (o != -1 && o < end && b[o] != ']') {
      value(b, o, end, out);
      if (n++ == index) {
        return true;
      }
      o = nextToken(b, out.next, end);
      if (o == -1) {
        throw new JsonError(MALFORMED_ARRAY);
      }
      if (b[o] == ',') {
        o = nextToken(b, o + 1, end);
      } else if (b[o] != ']') {
        throw new JsonError(MALFORMED_ARRAY);
      }
    }
    return false;
  }

  /** Receives an object's members. */
  interface Members {
    void member(byte[] b, int keyStart, int keyEnd, boolean keyEscaped, Value v) throws JsonError;
  }

  /** jsonparser's {@code ObjectEach} over the object at or after {@code i}. */
  static void objectEach(byte[] b, int i, int end, Members cb, Value scratch) throws JsonError {
    int o = nextToken(b, i, end);
    if (o == -1 || b[o] != '{') {
      throw new JsonError(MALFORMED_OBJECT);
    }
    o++;
    o = nextToken(b, o, end);
    if (o == -1) {
      throw new JsonError(MALFORMED_JSON);
    }
    if (b[o] == '}') {
      return;
    }
    while (o < end) {
      if (b[o] == '}') {
        return;
      }
      if (b[o] != '"') {
        throw new JsonError(MALFORMED_OBJECT);
      }
      o++;
      int se = stringEnd(b, o, end);
      if (se == -1) {
        throw new JsonError(MALFORMED_JSON);
      }
      int keyStart = o;
      int keyEnd = se - 1;
      boolean esc = hasEscape(b, keyStart, keyEnd);
      if (esc && unescape(b, keyStart, keyEnd) == null) {
        throw new JsonError(MALFORMED_ESCAPE);
      }
      o = se;
      o = nextToken(b, o, end);
      if (o == -1 || b[o] != ':') {
        throw new JsonError(MALFORMED_JSON);
      }
      o++;
      value(b, o, end, scratch);
      int next = scratch.next;
      cb.member(b, keyStart, keyEnd, esc, scratch);
      o = nextToken(b, next, end);
      if (o == -1) {
        throw new JsonError(MALFORMED_ARRAY);
      }
      if (b[o] == '}') {
        return;
      }
      if (b[o] != ',') {
        throw new JsonError(MALFORMED_OBJECT);
      }
      o++;
      o = nextToken(b, o, end);
      if (o == -1) {
        throw new JsonError(MALFORMED_ARRAY);
      }
    }
    throw new JsonError(MALFORMED_OBJECT);
  }

  /** jsonparser's {@code Unescape} of a string's content as UTF-8 bytes, or null when an escape is invalid. */
  static byte[] unescape(byte[] b, int from, int to) {
    return unescape(b, from, to, false);
  }

  /** As {@link #unescape(byte[], int, int)}; {@code quote} also accepts {@code \'} (logfmt's quoted values). */
  static byte[] unescape(byte[] b, int from, int to, boolean quote) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    int i = from;
    while (i < to) {
      byte c = b[i];
      if (c != '\\') {
        out.write(c);
        i++;
        continue;
      }
      if (i + 1 >= to) {
        return null;
      }
      byte e = b[i + 1];
      switch (e) {
        case '"', '\\', '/' -> out.write(e);
        case '\'' -> {
          if (!quote) {
            return null;
          }
          out.write(e);
        }
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'u' -> {
          int r = hex4(b, i + 2, to);
          if (r < 0) {
            return null;
          }
          i += 6;
          if (r >= 0xD800 && r < 0xDC00) {
            int lo = i + 1 < to && b[i] == '\\' && b[i + 1] == 'u' ? hex4(b, i + 2, to) : -1;
            if (lo >= 0xDC00 && lo < 0xE000) {
              r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
              i += 6;
            } else {
              r = 0xFFFD;
            }
          } else if (r >= 0xDC00 && r < 0xE000) {
            r = 0xFFFD;
          }
          byte[] enc = new String(Character.toChars(r)).getBytes(StandardCharsets.UTF_8);
          out.write(enc, 0, enc.length);
          continue;
        }
        default -> {
          return null;
        }
      }
      i += 2;
    }
    return out.toByteArray();
  }

  private static int hex4(byte[] b, int i, int to) {
    if (i + 4 > to) {
      return -1;
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(b[i + k], 16);
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  /**
   * Loki's {@code unescapeJSONString}: the string's content unescaped (empty when an escape is invalid), with
   * invalid UTF-8 replaced by spaces.
   */
  static String string(byte[] b, int from, int to) {
    if (!hasEscape(b, from, to)) {
      return cleanUtf8(new String(b, from, to - from, StandardCharsets.UTF_8));
    }
    byte[] u = unescape(b, from, to);
    return u == null ? "" : cleanUtf8(new String(u, StandardCharsets.UTF_8));
  }

  /** Loki replaces U+FFFD (from invalid UTF-8) with a space in extracted values. */
  static String cleanUtf8(String s) {
    return s.indexOf('\uFFFD') >= 0 ? s.replace('\uFFFD', ' ') : s;
  }
}
