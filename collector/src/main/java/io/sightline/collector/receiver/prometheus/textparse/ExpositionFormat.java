package io.sightline.collector.receiver.prometheus.textparse;

import java.util.Locale;

/** Which parser a scrape response's Content-Type selects, by Prometheus' rules. */
public enum ExpositionFormat {
  /** The classic text format, {@code text/plain; version=0.0.4}. */
  PROMETHEUS_TEXT,
  /** {@code application/openmetrics-text}, 1.0.0 or 0.0.1: exemplars, units, {@code # EOF}. */
  OPENMETRICS;

  /** OpenMetrics for {@code application/openmetrics-text}; the classic format for anything else, or nothing. */
  public static ExpositionFormat forContentType(String contentType) {
    if (contentType == null) {
      return PROMETHEUS_TEXT;
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
  }
}
