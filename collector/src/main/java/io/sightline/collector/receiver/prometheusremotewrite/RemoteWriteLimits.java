package io.sightline.collector.receiver.prometheusremotewrite;

/**
 * Bounds on what one series in a write may carry. Defaults follow Mimir's, the remote-write receiver most senders
 * are tuned against.
 *
 * @param maxLabelsPerSeries labels per series, {@code __name__} included
 * @param maxLabelNameLength bytes of one label name
 * @param maxLabelValueLength bytes of one label value
 */
public record RemoteWriteLimits(int maxLabelsPerSeries, int maxLabelNameLength, int maxLabelValueLength) {
  public static final int DEFAULT_MAX_LABELS_PER_SERIES = 30;
  public static final int DEFAULT_MAX_LABEL_NAME_LENGTH = 1024;
  public static final int DEFAULT_MAX_LABEL_VALUE_LENGTH = 2048;

  public static RemoteWriteLimits defaults() {
    return new RemoteWriteLimits(DEFAULT_MAX_LABELS_PER_SERIES, DEFAULT_MAX_LABEL_NAME_LENGTH,
        DEFAULT_MAX_LABEL_VALUE_LENGTH);
  }
}
