package io.sightline.logql.syntax;

import io.sightline.core.model.GoFormat;
import io.sightline.core.model.LabelMatcher;
import java.math.BigDecimal;
import java.util.List;

/** How Loki's {@code String()} methods write the parts of a query: Go's quoting, float and duration formats. */
final class Printer {
  private Printer() {}

  /** Go's {@code strconv.Quote}. */
  static String quote(String s) {
    return GoFormat.quote(s);
  }

  /** A label name, quoted as Prometheus' {@code Matcher.String} quotes names outside {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  static String name(String n) {
    if (n.isEmpty()) {
      return quote(n);
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9')) {
        return quote(n);
      }
    }
    return n;
  }

  static String matcher(LabelMatcher m) {
    return name(m.name()) + m.type().symbol() + quote(m.value());
  }

  static String extractions(List<StageExpr.LabelExtraction> xs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < xs.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(xs.get(i).identifier()).append('=').append(quote(xs.get(i).expression()));
    }
    return b.toString();
  }

  static String named(List<StageExpr.NamedMatcher> xs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < xs.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(xs.get(i));
    }
    return b.toString();
  }

  /** Go's {@code fmt.Sprint(float64)}. */
  static String goFloat(double f) {
    return GoStrconv.formatG(f);
  }

  /** Go's {@code %f}: six decimals of the exact binary value, rounded half to even. */
  static String fixed6(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  /** Go's {@code time.Duration.String}: {@code 1h0m0s}, {@code 1.5s}, {@code 250ms}, {@code 3µs}. */
  static String goDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean neg = nanos < 0;
    long u = Math.abs(nanos);
    String s;
    if (u < 1_000_000_000L) {
      if (u < 1_000L) {
        s = u + "ns";
      } else if (u < 1_000_000L) {
        s = u / 1_000 + fraction(u % 1_000, 3) + "µs";
      } else {
        s = u / 1_000_000 + fraction(u % 1_000_000, 6) + "ms";
      }
    } else {
      String secs = (u / 1_000_000_000L) % 60 + fraction(u % 1_000_000_000L, 9) + "s";
      long minutes = u / 60_000_000_000L;
      if (minutes > 0) {
        long hours = minutes / 60;
        secs = (hours > 0 ? hours + "h" : "") + minutes % 60 + "m" + secs;
      }
      s = secs;
    }
    return neg ? "-" + s : s;
  }

  private static String fraction(long v, int digits) {
    if (v == 0) {
      return "";
    }
    String f = String.format("%0" + digits + "d", v);
    int end = f.length();
    while (end > 0 && f.charAt(end - 1) == '0') {
      end--;
    }
    return "." + f.substring(0, end);
  }

  /** go-humanize's {@code Bytes} (SI units) without its space: {@code 20MB}, {@code 1.0kB}, {@code 5B}. */
  static String humanizeBytes(long bytes) {
    double s = bytes < 0 ? bytes + 0x1p64 : bytes;
    if (s < 10) {
      return Long.toUnsignedString(bytes) + "B";
    }
    String[] sizes = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int e = (int) Math.floor(Math.log(s) / Math.log(1000));
    double val = Math.floor(s / Math.pow(1000, e) * 10 + 0.5) / 10;
    String v = val < 10 ? String.format("%.1f", val) : String.format("%.0f", val);
    return v + sizes[e];
  }
}
