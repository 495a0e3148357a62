package io.sightline.collector.generator.registry;

import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one collection writes: samples and exemplars, taken under each family's lock and written to the sink after
 * the locks are released, so that spans are never held up by the store.
 */
final class Snapshot {
  final List<Labels> labels = new ArrayList<>();
  long[] timestamps = new long[64];
  double[] values = new double[64];
  final List<Labels> exemplarSeries = new ArrayList<>();
  final List<Labels> exemplarLabels = new ArrayList<>();
  double[] exemplarValues = new double[16];
  long staleMarkers;

  void sample(Labels series, long timestampMs, double value) {
    int i = labels.size();
    if (i == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, i * 2);
      values = Arrays.copyOf(values, i * 2);
    }
    labels.add(series);
    timestamps[i] = timestampMs;
    values[i] = value;
  }

  void exemplar(Labels series, Labels exemplar, double value) {
    int i = exemplarSeries.size();
    if (i == exemplarValues.length) {
      exemplarValues = Arrays.copyOf(exemplarValues, i * 2);
    }
    exemplarSeries.add(series);
    exemplarLabels.add(exemplar);
    exemplarValues[i] = value;
  }

  boolean isEmpty() {
    return labels.isEmpty();
  }
}
