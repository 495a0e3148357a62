package io.sightline.collector.remotewrite;

import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples, exemplars and metadata handed to the remote-write queues together, in the order they were added: what one
 * collection of the metrics generator (or one exported batch) writes. Reusable after {@link #clear}; not thread-safe.
 */
public final class WriteBatch {
  /** A metric family's type (as the Prometheus API names it: counter, gauge, histogram, …), help and unit. */
  public record Metadata(String family, String type, String help, String unit) {}

  Labels[] series = new Labels[64];
  /** An item's exemplar labels; null for a sample. */
  Labels[] exemplars = new Labels[64];
  long[] timestamps = new long[64];
  double[] values = new double[64];
  int size;
  int exemplarCount;
  final List<Metadata> metadata = new ArrayList<>();

  /** Adds a float sample of {@code labels} (sorted, {@code __name__} included). */
  public WriteBatch sample(Labels labels, long timestampMs, double value) {
    add(labels, null, timestampMs, value);
    return this;
  }

  /** Adds an exemplar ({@code exemplar} its labels, a trace id usually) of the series {@code labels}. */
  public WriteBatch exemplar(Labels labels, Labels exemplar, long timestampMs, double value) {
    add(labels, exemplar, timestampMs, value);
    exemplarCount++;
    return this;
  }

  public WriteBatch metadata(String family, String type, String help, String unit) {
    metadata.add(new Metadata(family, type, help, unit));
    return this;
  }

  /** Samples and exemplars held. */
  public int size() {
    return size;
  }

  public WriteBatch clear() {
    Arrays.fill(series, 0, size, null);
    Arrays.fill(exemplars, 0, size, null);
    size = 0;
    exemplarCount = 0;
    metadata.clear();
    return this;
  }

  private void add(Labels labels, Labels exemplar, long timestampMs, double value) {
    if (size == series.length) {
      int n = size * 2;
      series = Arrays.copyOf(series, n);
      exemplars = Arrays.copyOf(exemplars, n);
      timestamps = Arrays.copyOf(timestamps, n);
      values = Arrays.copyOf(values, n);
    }
    series[size] = labels;
    exemplars[size] = exemplar;
    timestamps[size] = timestampMs;
    values[size] = value;
    size++;
  }
}
