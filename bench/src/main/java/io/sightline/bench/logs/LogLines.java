package io.sightline.bench.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Reads a log file line by line as bytes (never decoded), and picks out of a JSON line the few fields the loader
 * needs: the {@code ts} it begins with (RFC 3339 UTC, as {@link LogShapes} writes it) and the values of the
 * {@code service} and {@code level} fields, as a Promtail pipeline with a {@code json} and a {@code timestamp} stage
 * would.
 */
final class LogLines {
  private final InputStream in;
  private byte[] buf = new byte[1 << 20];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean cached;
  private final byte[] cachedPrefix = new byte[19]; // the "yyyy-MM-ddTHH:mm:ss" last parsed
  private long cachedEpochSecond;

  LogLines(InputStream in) {
    this.in = in;
  }

  /** The next line without its newline, or null at the end of the file. */
  byte[] next() throws IOException {
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          byte[] line = Arrays.copyOfRange(buf, pos, i);
          pos = i + 1;
          return line;
        }
      }
      if (eof) {
        if (pos < limit) {
          byte[] line = Arrays.copyOfRange(buf, pos, limit);
          pos = limit;
          return line;
        }
        return null;
      }
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (limit == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
  }

  private static final byte[] TS_PREFIX = "{\"ts\":\"".getBytes(StandardCharsets.US_ASCII);

  /**
   * The line's time in Unix nanoseconds from its leading {@code "ts":"yyyy-MM-ddTHH:mm:ss[.fraction]Z"}, or
   * {@code fallback} when it has none (Promtail stamps such a line with the time it read it).
   */
  long timestampNanos(byte[] line, long fallback) {
    int p = TS_PREFIX.length;
    if (line.length < p + 20 || !Arrays.equals(line, 0, p, TS_PREFIX, 0, p)) {
      return fallback;
    }
    if (!Arrays.equals(line, p, p + 19, cachedPrefix, 0, 19) || !cached) {
      try {
        LocalDateTime t = LocalDateTime.parse(new String(line, p, 19, StandardCharsets.US_ASCII));
        cachedEpochSecond = t.toEpochSecond(ZoneOffset.UTC);
      } catch (RuntimeException e) {
        return fallback;
      }
      System.arraycopy(line, p, cachedPrefix, 0, 19);
      cached = true;
    }
    long nanos = 0;
    int i = p + 19;
    if (line[i] == '.') {
      long scale = 100_000_000L;
      for (i++; i < line.length && line[i] >= '0' && line[i] <= '9'; i++) {
        nanos += (line[i] - '0') * scale;
        scale /= 10;
      }
    }
    return cachedEpochSecond * 1_000_000_000L + nanos;
  }

  /** The string value of the top-level field {@code "name":"value"}, or {@code missing}. */
  static String field(byte[] line, byte[] quotedNameColonQuote, String missing) {
    int at = indexOf(line, quotedNameColonQuote);
    if (at < 0) {
      return missing;
    }
    int start = at + quotedNameColonQuote.length;
    for (int i = start; i < line.length; i++) {
      if (line[i] == '"') {
        return new String(line, start, i - start, StandardCharsets.UTF_8);
      }
    }
    return missing;
  }

  /** {@code "name":"} as bytes, for {@link #field}. */
  static byte[] key(String name) {
    return ("\"" + name + "\":\"").getBytes(StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    byte first = needle[0];
    outer:
    for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
