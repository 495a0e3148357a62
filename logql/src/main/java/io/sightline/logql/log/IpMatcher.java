package io.sightline.logql.log;

import io.sightline.core.model.GoFormat;
import java.math.BigInteger;

/**
 * Loki's {@code ip("...")}: one address, a CIDR prefix or a range {@code a-b}, parsed as Go's {@code net/netip}
 * parses (no leading zeros in IPv4, IPv4-mapped IPv6 kept apart from IPv4), and found in a line by Loki's scan for
 * address-looking runs of characters.
 */
final class IpMatcher {
  private static final String V4_CHARS = "0123456789.";
  private static final String V6_CHARS = "0123456789abcdefABCDEF:.";

  private final boolean v6;
  private final BigInteger from;
  private final BigInteger to;

  private IpMatcher(boolean v6, BigInteger from, BigInteger to) {
    this.v6 = v6;
    this.from = from;
    this.to = to;
  }

  /** @throws IllegalArgumentException {@code ip: invalid pattern: "..."} */
  static IpMatcher parse(String pattern) {
    Addr a = Addr.parse(pattern);
    if (a != null) {
      return new IpMatcher(a.v6, a.value, a.value);
    }
    int slash = pattern.indexOf('/');
    if (slash > 0) {
      Addr base = Addr.parse(pattern.substring(0, slash));
      String bits = pattern.substring(slash + 1);
      if (base != null && bits.matches("0|[1-9][0-9]{0,2}")) {
        int n = Integer.parseInt(bits);
        int width = base.v6 ? 128 : 32;
        if (n <= width) {
          BigInteger mask = BigInteger.ONE.shiftLeft(width - n).subtract(BigInteger.ONE);
          BigInteger lo = base.value.andNot(mask);
          return new IpMatcher(base.v6, lo, lo.or(mask));
        }
      }
    }
    int dash = pattern.indexOf('-');
    if (dash > 0) {
      Addr lo = Addr.parse(pattern.substring(0, dash));
      Addr hi = Addr.parse(pattern.substring(dash + 1));
      if (lo != null && hi != null && lo.v6 == hi.v6 && lo.value.compareTo(hi.value) <= 0) {
        return new IpMatcher(lo.v6, lo.value, hi.value);
      }
    }
    throw new IllegalArgumentException("ip: invalid pattern: " + GoFormat.quote(pattern));
  }

  boolean contains(Addr a) {
    return a.v6 == v6 && a.value.compareTo(from) >= 0 && a.value.compareTo(to) <= 0;
  }

  boolean matches(String s) {
    Addr a = Addr.parse(s);
    return a != null && contains(a);
  }

  /** Loki's {@code ipFilter.filter}: try every place that looks like the start of an address. */
  boolean findIn(byte[] b, int off, int len) {
    if (len == 0) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      String charset;
      if (i + 3 < len && v4Hint(b, off + i)) {
        charset = V4_CHARS;
      } else if (v6Hint(b, off + i, off + len)) {
        charset = V6_CHARS;
      } else {
        continue;
      }
      int span = 0;
      while (i + span < len && charset.indexOf(b[off + i + span]) >= 0) {
        span++;
      }
      Addr a = Addr.parse(new String(b, off + i, span, java.nio.charset.StandardCharsets.ISO_8859_1));
      if (a != null && contains(a)) {
        return true;
      }
      i += span;
    }
    return false;
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean hex(byte c) {
    return digit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static boolean v4Hint(byte[] b, int i) {
    return digit(b[i]) && (b[i + 1] == '.' || b[i + 2] == '.' || b[i + 3] == '.');
  }

  private static boolean v6Hint(byte[] b, int i, int end) {
    byte[] p = new byte[5];
    for (int k = 0; k < 5; k++) {
      p[k] = i + k < end ? b[i + k] : 0;
    }
    return p[0] == ':' && p[1] == ':' && hex(p[2])
        || hex(p[0]) && p[1] == ':'
        || hex(p[0]) && hex(p[1]) && p[2] == ':'
        || hex(p[0]) && hex(p[1]) && hex(p[2]) && p[3] == ':'
        || hex(p[0]) && hex(p[1]) && hex(p[2]) && hex(p[3]) && p[4] == ':';
  }

  /** An address as a number, with its family. */
  record Addr(boolean v6, BigInteger value) {
    /** Go's {@code netip.ParseAddr}, or null. Zones ({@code %eth0}) are refused. */
    static Addr parse(String s) {
      if (s.indexOf(':') < 0) {
        Long v4 = v4(s);
        return v4 == null ? null : new Addr(false, BigInteger.valueOf(v4));
      }
      return v6(s);
    }

    private static Long v4(String s) {
      String[] parts = s.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      long v = 0;
      for (String p : parts) {
        if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0' || !p.chars().allMatch(
            c -> c >= '0' && c <= '9')) {
          return null;
        }
        int n = Integer.parseInt(p);
        if (n > 255) {
          return null;
        }
        v = v << 8 | n;
      }
      return v;
    }

    private static Addr v6(String s) {
      int dbl = s.indexOf("::");
      if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
        return null;
      }
      String head = dbl >= 0 ? s.substring(0, dbl) : s;
      String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
      int[] groups = new int[8];
      int[] headGroups = groups(head);
      int[] tailGroups = groups(tail);
      if (headGroups == null || tailGroups == null) {
        return null;
      }
      int total = headGroups.length + tailGroups.length;
      if (dbl < 0 ? total != 8 : total > 7) {
        return null;
      }
      System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
      System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
      BigInteger v = BigInteger.ZERO;
      for (int g : groups) {
        v = v.shiftLeft(16).or(BigInteger.valueOf(g));
      }
      return new Addr(true, v);
    }

    /** Colon-separated hex groups, the last possibly a dotted IPv4 (two groups). */
    private static int[] groups(String s) {
      if (s.isEmpty()) {
        return new int[0];
      }
      String[] parts = s.split(":", -1);
      java.util.List<Integer> out = new java.util.ArrayList<>();
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i];
        if (i == parts.length - 1 && p.indexOf('.') >= 0) {
          Long v4 = v4(p);
          if (v4 == null) {
            return null;
          }
          out.add((int) (v4 >> 16));
          out.add((int) (v4 & 0xffff));
          continue;
        }
        if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          return null;
        }
        out.add(Integer.parseInt(p, 16));
      }
      return out.stream().mapToInt(Integer::intValue).toArray();
    }
  }
}
