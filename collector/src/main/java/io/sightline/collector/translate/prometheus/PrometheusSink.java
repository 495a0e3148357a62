package io.sightline.collector.translate.prometheus;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.util.List;

/**
 * Receives what {@link OtlpMetricsTranslator} makes of a batch, in order: for each metric family its
 * {@link #metadata} before its first sample, then its samples, each followed by its exemplars. The translator calls
 * it from the thread that called {@code translate}; it keeps no reference to what it passes.
 */
public interface PrometheusSink {

  /** What a family is; {@code type} is one of {@code counter}, {@code gauge}, {@code histogram}, {@code summary},
   * {@code unknown}. */
  void metadata(String familyName, String type, String help, String unit);

  /** A float sample; the stale marker is a NaN with {@link io.sightline.core.model.StaleMarker#BITS}. */
  void sample(Labels labels, long timestampMs, double value);

  /** An exemplar of the series {@code seriesLabels}, given right after that series' sample. */
  void exemplar(Labels seriesLabels, Exemplar exemplar);

  /**
   * A native histogram sample (from an OTLP exponential histogram, valid by {@link Histogram#invalidReason()}), with
   * its exemplars; the stale marker is {@link Histogram#staleMarker()}.
   */
  void nativeHistogram(Labels labels, long timestampMs, Histogram histogram, List<Exemplar> exemplars);

  /** {@code points} OTLP data points that made no sample, and why; {@code detail} names the metric or value. */
  void dropped(DropReason reason, String detail, int points);
}
