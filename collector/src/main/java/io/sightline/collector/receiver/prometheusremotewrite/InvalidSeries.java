package io.sightline.collector.receiver.prometheusremotewrite;

/**
 * The series of a request that could not be stored as they were sent (labels that break Prometheus' rules, an
 * invalid native histogram, labels that reference no symbol): skipped one by one, so that one bad series does not
 * cost the valid ones of its request, as Prometheus' remote-write 2.0 handler does; the request is still answered
 * 400 with the first reason.
 */
final class InvalidSeries {
  private int series;
  private long samples;
  private String first;

  /** Records a skipped series holding {@code samples} samples and histograms, refused for {@code reason}. */
  void add(String reason, long samples) {
    series++;
    this.samples += samples;
    if (first == null) {
      first = reason;
    }
  }

  int series() {
    return series;
  }

  long samples() {
    return samples;
  }

  String first() {
    return first;
  }
}
