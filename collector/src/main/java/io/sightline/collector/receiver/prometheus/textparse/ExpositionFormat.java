package io.sightline.collector.receiver.prometheus.textparse;

import java.util.Locale;

/** Which parser a scrape response's Content-Type selects, by Prometheus' rules. */
public enum ExpositionFormat {
  /** The classic text format, {@code text/plain; version=0.0.4}. */
  PROMETHEUS_TEXT,
  /** {@code application/openmetrics-text}, 1.0.0 or 0.0.1: exemplars, units, {@code # EOF}. */
  OPENMETRICS;

  private static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";

  /**
   * OpenMetrics for the media type {@code application/openmetrics-text} (any case, any parameters); the classic
   * format for {@code text/plain}, an empty or missing type, or anything else. (Prometheus 3 refuses the last three
   * unless a fallback protocol is configured; the classic format is what that fallback usually is.)
   */
  public static ExpositionFormat forContentType(String contentTypeOrNull) {
    if (contentTypeOrNull == null) {
      return PROMETHEUS_TEXT;
    }
    int semicolon = contentTypeOrNull.indexOf(';');
    String mediaType = semicolon < 0 ? contentTypeOrNull : contentTypeOrNull.substring(0, semicolon);
    return mediaType.strip().toLowerCase(Locale.ROOT).equals(OPENMETRICS_MEDIA_TYPE) ? OPENMETRICS : PROMETHEUS_TEXT;
  }
}
