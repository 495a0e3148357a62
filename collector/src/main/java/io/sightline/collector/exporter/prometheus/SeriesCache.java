package io.sightline.collector.exporter.prometheus;

import io.sightline.collector.translate.prometheus.DropReason;
import io.sightline.collector.translate.prometheus.Exemplar;
import io.sightline.collector.translate.prometheus.OtlpMetricsTranslator;
import io.sightline.collector.translate.prometheus.PrometheusSink;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest sample of every series, grouped in metric families, as the Collector's prometheus exporter accumulates
 * them: a newer point replaces the older one (an older point that arrives late is ignored), a stale marker removes the
 * series, and a series not updated for {@code metric_expiration} is forgotten at the next scrape. Native histograms
 * (from OTLP exponential histograms) have no text-format form and are not kept. Thread-safe.
 */
final class SeriesCache {
  private static final Logger log = LoggerFactory.getLogger(SeriesCache.class);
  private final OtlpMetricsTranslator translator;
  private final Labels constLabels;
  private final long expirationNanos;
  private final Map<String, Family> families = new LinkedHashMap<>();
  private long histogramsLeftOut;

  private static final class Family {
    final String name;
    String type;
    String help;
    final Map<Labels, Point> series = new LinkedHashMap<>();

    Family(String name, String type, String help) {
      this.name = name;
      this.type = type;
      this.help = help;
    }
  }

  private static final class Point {
    final long timestampMs;
    final double value;
    final long updatedNanos;
    Exemplar exemplar;

    Point(long timestampMs, double value, long updatedNanos) {
      this.timestampMs = timestampMs;
      this.value = value;
      this.updatedNanos = updatedNanos;
    }
  }

  SeriesCache(OtlpMetricsTranslator translator, Labels constLabels, long expirationNanos) {
    this.translator = translator;
    this.constLabels = constLabels;
    this.expirationNanos = expirationNanos;
  }

  synchronized void add(Metrics batch, long nowNanos) {
    translator.translate(batch.resourceMetrics(), new PrometheusSink() {
      Family current;

      @Override
      public void metadata(String familyName, String type, String help, String unit) {
        current = families.computeIfAbsent(familyName, n -> new Family(n, type, help));
        current.type = type;
        current.help = help;
      }

      @Override
      public void sample(Labels labels, long timestampMs, double value) {
        Family f = familyOf(labels.metricName());
        Labels key = withConstLabels(labels);
        if (StaleMarker.is(value)) {
          f.series.remove(key);
          return;
        }
        Point old = f.series.get(key);
        if (old == null || old.timestampMs <= timestampMs) {
          f.series.put(key, new Point(timestampMs, value, nowNanos));
        }
      }

      @Override
      public void exemplar(Labels seriesLabels, Exemplar exemplar) {
        Point p = familyOf(seriesLabels.metricName()).series.get(withConstLabels(seriesLabels));
        if (p != null) {
          p.exemplar = exemplar;
        }
      }

      @Override
      public void nativeHistogram(Labels labels, long timestampMs, Histogram histogram, List<Exemplar> exemplars) {
        if (histogramsLeftOut++ == 0) {
          log.warn("prometheus exporter: exponential histograms are not served yet (they need the protobuf scrape "
              + "format); they are left out, and this is said once");
        }
      }

      @Override
      public void dropped(DropReason reason, String detail, int points) {}

      /** The family announced last when the series belongs to it (its name or name + suffix), else one of its own. */
      private Family familyOf(String metricName) {
        if (current != null && (metricName.equals(current.name) || metricName.startsWith(current.name + "_"))) {
          return current;
        }
        return families.computeIfAbsent(metricName, n -> new Family(n, "unknown", ""));
      }
    });
  }

  private Labels withConstLabels(Labels labels) {
    if (constLabels.isEmpty()) {
      return labels;
    }
    Labels.Builder b = labels.toBuilder();
    constLabels.forEach(b::set);
    return b.build();
  }

  synchronized long histogramsLeftOut() {
    return histogramsLeftOut;
  }

  /** Series alive now. */
  synchronized int size() {
    return families.values().stream().mapToInt(f -> f.series.size()).sum();
  }

  /**
   * The exposition: the Prometheus text format 0.0.4, or OpenMetrics 1.0 (counter families named without
   * {@code _total}, exemplars on histogram buckets and counters, {@code # EOF}).
   */
  synchronized String render(boolean openMetrics, boolean timestamps, long nowNanos) {
    expire(nowNanos);
    StringBuilder out = new StringBuilder(4096);
    for (Family f : families.values()) {
      if (f.series.isEmpty()) {
        continue;
      }
      String name = f.name;
      if (openMetrics && f.type.equals("counter") && name.endsWith("_total")) {
        name = name.substring(0, name.length() - "_total".length());
      }
      if (!f.help.isEmpty()) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(f.help)).append('\n');
      }
      out.append("# TYPE ").append(name).append(' ').append(f.type.toLowerCase(Locale.ROOT)).append('\n');
      for (Map.Entry<Labels, Point> e : f.series.entrySet()) {
        Labels l = e.getKey();
        Point p = e.getValue();
        out.append(l.metricName());
        appendLabels(out, l, true);
        out.append(' ').append(GoFormat.plain(p.value));
        if (timestamps) {
          out.append(' ');
          if (openMetrics) {
            out.append(seconds(p.timestampMs));
          } else {
            out.append(p.timestampMs);
          }
        }
        if (openMetrics && p.exemplar != null && (f.type.equals("counter") || l.metricName().endsWith("_bucket"))) {
          out.append(" # ");
          appendLabels(out, p.exemplar.labels(), false);
          out.append(' ').append(GoFormat.plain(p.exemplar.value())).append(' ')
              .append(seconds(p.exemplar.timestampMs()));
        }
        out.append('\n');
      }
    }
    if (openMetrics) {
      out.append("# EOF\n");
    }
    return out.toString();
  }

  private void expire(long nowNanos) {
    for (Iterator<Family> fi = families.values().iterator(); fi.hasNext(); ) {
      Family f = fi.next();
      f.series.values().removeIf(p -> nowNanos - p.updatedNanos > expirationNanos);
      if (f.series.isEmpty()) {
        fi.remove();
      }
    }
  }

  private static String seconds(long ms) {
    return Math.floorDiv(ms, 1000) + "." + String.format(Locale.ROOT, "%03d", Math.floorMod(ms, 1000));
  }

  /** {@code {a="1",b="2"}}, without {@code __name__} when {@code skipName}; {@code {}} for none. */
  private static void appendLabels(StringBuilder out, Labels l, boolean skipName) {
    out.append('{');
    boolean first = true;
    for (int i = 0; i < l.size(); i++) {
      if (skipName && l.name(i).equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(l.name(i)).append("=\"");
      String v = l.value(i);
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        switch (c) {
          case '\\' -> out.append("\\\\");
          case '"' -> out.append("\\\"");
          case '\n' -> out.append("\\n");
          default -> out.append(c);
        }
      }
      out.append('"');
    }
    out.append('}');
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
