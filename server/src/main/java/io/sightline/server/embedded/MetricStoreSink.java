package io.sightline.server.embedded;

import io.sightline.collector.translate.prometheus.DropReason;
import io.sightline.collector.translate.prometheus.Exemplar;
import io.sightline.collector.translate.prometheus.PrometheusSink;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.SeriesLimitException;
import io.sightline.metricstore.SeriesRef;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes translated OTLP metrics into one appender and counts what became of them; a native histogram counts as one
 * sample, as in Prometheus. One instance per batch, on one thread.
 */
final class MetricStoreSink implements PrometheusSink {
  private final Appender appender;
  private final long[] samples = new long[Appender.Outcome.values().length];
  private final long[] exemplars = new long[Appender.Outcome.values().length];
  private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
  private long seriesLimited;
  private long droppedPoints;
  private String firstDrop;
  /** The series last written: its exemplars follow it, and need not look it up again. */
  private Labels lastLabels;
  private SeriesRef lastRef;

  MetricStoreSink(Appender appender) {
    this.appender = appender;
  }

  @Override
  public void metadata(String familyName, String type, String help, String unit) {
    appender.updateMetadata(familyName, new MetricMetadata(type, help, unit));
  }

  @Override
  public void sample(Labels labels, long timestampMs, double value) {
    SeriesRef ref = ref(labels);
    if (ref == null) {
      seriesLimited++;
      return;
    }
    try {
      samples[appender.append(ref, timestampMs, value).ordinal()]++;
    } catch (SeriesLimitException e) {
      // The series left the head since its handle was taken, and may not come back while the head is full.
      seriesLimited++;
      lastRef = null;
    }
  }

  @Override
  public void nativeHistogram(Labels labels, long timestampMs, Histogram histogram, List<Exemplar> exemplars) {
    SeriesRef ref = ref(labels);
    if (ref == null) {
      seriesLimited++;
      return;
    }
    try {
      samples[appender.appendHistogram(ref, timestampMs, histogram).ordinal()]++;
    } catch (SeriesLimitException e) {
      seriesLimited++;
      lastRef = null;
      return;
    }
    for (Exemplar e : exemplars) {
      exemplar(labels, e);
    }
  }

  @Override
  public void exemplar(Labels seriesLabels, Exemplar exemplar) {
    SeriesRef ref = ref(seriesLabels);
    if (ref != null) {
      exemplars[appender.appendExemplar(ref, exemplar.labels(), exemplar.timestampMs(), exemplar.value()).ordinal()]++;
    }
  }

  @Override
  public void dropped(DropReason reason, String detail, int points) {
    dropped.merge(reason, (long) points, Long::sum);
    droppedPoints += points;
    if (firstDrop == null) {
      firstDrop = reason.label() + ": " + detail;
    }
  }

  /** The series' handle, or null when the store is full of series (the sample is counted as refused). */
  private SeriesRef ref(Labels labels) {
    if (labels.equals(lastLabels) && lastRef != null) {
      return lastRef;
    }
    try {
      lastRef = appender.ref(labels);
    } catch (SeriesLimitException e) {
      lastRef = null;
    }
    lastLabels = labels;
    return lastRef;
  }

  long samples(Appender.Outcome outcome) {
    return samples[outcome.ordinal()];
  }

  long exemplars(Appender.Outcome outcome) {
    return exemplars[outcome.ordinal()];
  }

  /** Samples of new series the store refused because it holds {@code storage.metrics.max_series} already. */
  long seriesLimited() {
    return seriesLimited;
  }

  Map<DropReason, Long> dropped() {
    return dropped;
  }

  /** OTLP data points the translator could make nothing of. */
  long droppedPoints() {
    return droppedPoints;
  }

  /** The first drop's reason and detail, for messages; null if nothing was dropped. */
  String firstDrop() {
    return firstDrop;
  }

  /** Samples accepted by {@code append} that the commit refused after all, as too old. */
  void refusedAtCommit(long late) {
    samples[Appender.Outcome.ACCEPTED.ordinal()] -= late;
    samples[Appender.Outcome.TOO_OLD.ordinal()] += late;
  }
}
