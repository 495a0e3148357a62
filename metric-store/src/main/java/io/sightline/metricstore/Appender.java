package io.sightline.metricstore;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.io.IOException;

/**
 * Collects one batch of samples. Each {@link #append} is checked at once and its outcome returned, so that a
 * receiver can report rejected samples; the accepted ones become durable and visible together on {@link #commit}.
 */
public interface Appender {

  /** The result of one append. */
  enum Outcome {
    ACCEPTED,
    /** Older than the series' newest sample, with no out-of-order window: Prometheus' "out of order sample". */
    OUT_OF_ORDER,
    /** Older than the series' newest sample by more than the out-of-order window: Prometheus' "too old sample". */
    TOO_OLD,
    /** Same timestamp as the newest sample but another value: "duplicate sample for timestamp". */
    DUPLICATE,
    /** Identical to the newest sample: accepted and dropped, as Prometheus does for retried writes. */
    IDENTICAL,
    /**
     * Further ahead of the server's clock than the store allows: Prometheus' "out of bounds: timestamp is too far in
     * the future", which its remote-write, OTLP and scrape paths give beyond ten minutes.
     */
    TOO_FAR_IN_FUTURE
  }

  /** Adds a sample of the series {@code labels}; the stale marker is a NaN with {@code StaleNaN}'s bits. */
  default Outcome append(Labels labels, long timestampMs, double value) {
    return append(ref(labels), timestampMs, value);
  }

  /** The handle of the series {@code labels}, created if new. */
  SeriesRef ref(Labels labels);

  /** Adds a sample to a series by its handle, which must come from this store. */
  Outcome append(SeriesRef ref, long timestampMs, double value);

  /**
   * Adds a native histogram sample to a series by its handle. A series may switch between float and histogram
   * samples; its samples of either kind share one timeline, so a histogram at the time of a float sample is a
   * {@code DUPLICATE}. Histograms must come in order: there is no out-of-order window for them, so an older one is
   * {@code OUT_OF_ORDER} (as in Prometheus before its out-of-order native histograms). The histogram must be valid
   * ({@link Histogram#invalidReason()} null); the stale marker is {@link Histogram#staleMarker()}.
   */
  Outcome appendHistogram(SeriesRef ref, long timestampMs, Histogram histogram);

  /**
   * Adds an exemplar (a sample with labels such as {@code trace_id}, pointing at what produced it) to a series.
   * Exemplars of a series must come in time order; one at the same time as the newest is {@code IDENTICAL} and
   * dropped, an older one is {@code OUT_OF_ORDER}. Durable and visible on {@link #commit}, with the samples.
   */
  Outcome appendExemplar(SeriesRef ref, Labels exemplarLabels, long timestampMs, double value);

  /** Records what metric family {@code name} is; the latest wins. Durable and visible on {@link #commit}. */
  void updateMetadata(String name, MetricMetadata metadata);

  /**
   * Writes the batch to the write-ahead log, forces it per the sync policy, then makes it visible to queries. When
   * this returns, a killed process keeps every accepted sample.
   *
   * @return how many samples accepted by {@link #append} were refused after all, as too old: the store cut a block
   *     between the append and the commit, and their time now lies in that block. Zero unless a sample is older than
   *     the head's lower bound, which trails the newest sample by an hour or more.
   */
  int commit() throws IOException;

  /** Drops the batch. */
  void rollback();

  /** Prometheus' staleness marker's bits ({@link io.sightline.core.model.StaleMarker}). */
  long STALE_NAN_BITS = io.sightline.core.model.StaleMarker.BITS;

  static boolean isStaleMarker(double v) {
    return io.sightline.core.model.StaleMarker.is(v);
  }
}
