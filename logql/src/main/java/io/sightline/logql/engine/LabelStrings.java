package io.sightline.logql.engine;

import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Labels;

/** Prometheus' {@code labels.String()}: how Loki names a stream and a series in results and errors. */
final class LabelStrings {
  private LabelStrings() {}

  static String of(Labels l) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(l.name(i)).append('=').append(GoFormat.quote(l.value(i)));
    }
    return b.append('}').toString();
  }

  /** Go's {@code time.Duration.String()}: {@code 1h0m0s}, {@code 1.5s}, {@code 300ms}. */
  static String goDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    boolean neg = nanos < 0;
    long u = Math.abs(nanos);
    if (u < 1_000_000_000L) {
      String unit;
      long div;
      if (u < 1_000) {
        return (neg ? "-" : "") + u + "ns";
      } else if (u < 1_000_000) {
        unit = "µs";
        div = 1_000;
      } else {
        unit = "ms";
        div = 1_000_000;
      }
      b.append(u / div);
      appendFraction(b, u % div, div);
      return (neg ? "-" : "") + b + unit;
    }
    long secs = u / 1_000_000_000L;
    long frac = u % 1_000_000_000L;
    long h = secs / 3600;
    long m = secs / 60 % 60;
    long s = secs % 60;
    if (h > 0) {
      b.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      b.append(m).append('m');
    }
    b.append(s);
    appendFraction(b, frac, 1_000_000_000L);
    b.append('s');
    return (neg ? "-" : "") + b;
  }

  private static void appendFraction(StringBuilder b, long frac, long div) {
    if (frac == 0) {
      return;
    }
    StringBuilder f = new StringBuilder(Long.toString(frac + div).substring(1));
    while (f.charAt(f.length() - 1) == '0') {
      f.setLength(f.length() - 1);
    }
    b.append('.').append(f);
  }
}
