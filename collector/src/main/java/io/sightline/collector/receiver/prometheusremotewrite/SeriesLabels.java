package io.sightline.collector.receiver.prometheusremotewrite;

import io.sightline.core.model.Labels;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Prometheus' checks of a written series' labels, with its messages; shared by the 1.0 and 2.0 decoders. */
final class SeriesLabels {
  /** Prometheus 2.x's rule for label names (metric names may also contain ':'). */
  static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private SeriesLabels() {}

  /**
   * The labels in {@code pairs[0, 2 × labelCount)} (name, value, name, value, …) as a sorted set. A series that fails
   * the checks fails the request: it is the sender's bug.
   */
  static Labels validate(String[] pairs, int labelCount, RemoteWriteLimits limits) throws RemoteWriteException {
    if (labelCount > limits.maxLabelsPerSeries()) {
      throw new RemoteWriteException("series has " + labelCount + " labels, more than the limit of "
          + limits.maxLabelsPerSeries() + " (storage.metrics.max_labels_per_series): " + preview(pairs, labelCount));
    }
    String metricName = null;
    for (int i = 0; i < labelCount; i++) {
      String name = pairs[2 * i];
      String value = pairs[2 * i + 1];
      if (name.equals(Labels.METRIC_NAME)) {
        metricName = value;
      } else if (!LABEL_NAME.matcher(name).matches()) {
        throw new RemoteWriteException("invalid label name \"" + name + "\" in series " + preview(pairs, labelCount));
      }
      if (name.length() > limits.maxLabelNameLength()) {
        throw new RemoteWriteException("label name \"" + name.substring(0, 64) + "...\" is longer than "
            + limits.maxLabelNameLength() + " bytes");
      }
      if (value.length() > limits.maxLabelValueLength()) {
        throw new RemoteWriteException("value of label \"" + name + "\" is longer than " + limits.maxLabelValueLength()
            + " bytes in series " + preview(pairs, labelCount));
      }
      for (int j = 0; j < i; j++) {
        if (pairs[2 * j].equals(name)) {
          throw new RemoteWriteException("duplicate label name \"" + name + "\" in series "
              + preview(pairs, labelCount));
        }
      }
    }
    if (metricName == null || metricName.isEmpty()) {
      throw new RemoteWriteException("series without a metric name (__name__): " + preview(pairs, labelCount));
    }
    if (!METRIC_NAME.matcher(metricName).matches()) {
      throw new RemoteWriteException("invalid metric name \"" + metricName + "\"");
    }
    return Labels.of(Arrays.copyOf(pairs, 2 * labelCount));
  }

  private static String preview(String[] pairs, int labelCount) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < Math.min(labelCount, 8); i++) {
      sb.append(i == 0 ? "" : ", ").append(pairs[2 * i]).append("=\"").append(pairs[2 * i + 1]).append('"');
    }
    return sb.append(labelCount > 8 ? ", ...}" : "}").toString();
  }

  /**
   * An exemplar's labels (name, value, … in {@code kv}), or null when Prometheus would drop the exemplar: a name that
   * is not a label name, an odd count, or more than {@link RemoteWriteDecoder#MAX_EXEMPLAR_LABEL_SET_LENGTH} characters
   * of names and values together.
   */
  static Labels exemplarLabels(java.util.List<String> kv) {
    if (kv.size() % 2 != 0) {
      return null;
    }
    int length = 0;
    for (int i = 0; i < kv.size(); i += 2) {
      if (!LABEL_NAME.matcher(kv.get(i)).matches()) {
        return null;
      }
      length += kv.get(i).codePointCount(0, kv.get(i).length())
          + kv.get(i + 1).codePointCount(0, kv.get(i + 1).length());
    }
    return length > RemoteWriteDecoder.MAX_EXEMPLAR_LABEL_SET_LENGTH ? null : Labels.of(kv.toArray(String[]::new));
  }
}
