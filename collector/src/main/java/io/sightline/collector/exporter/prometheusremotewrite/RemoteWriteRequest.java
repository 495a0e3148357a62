package io.sightline.collector.exporter.prometheusremotewrite;

import io.sightline.collector.remotewrite.WriteRequestEncoder;
import io.sightline.collector.translate.prometheus.DropReason;
import io.sightline.collector.translate.prometheus.Exemplar;
import io.sightline.collector.translate.prometheus.OtlpMetricsTranslator;
import io.sightline.collector.translate.prometheus.PrometheusSink;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.collector.pipeline.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One batch of OTLP metrics as the remote-write requests that carry it: snappy-compressed {@code WriteRequest}s of
 * at most about {@code max_batch_size_bytes} each (before compression), in the order of the batch. Made once, when
 * the exporter takes the batch; a retry resumes at the first request not yet taken, so none is sent twice.
 */
final class RemoteWriteRequest {
  final List<byte[]> bodies;
  /** The OTLP data points of the batch, for the exporter's counters. */
  final int points;
  /** Native histograms (from exponential histograms) left out: remote-write 1.0 as written here has none. */
  final int histogramsLeftOut;
  /** The first body not yet taken by the endpoint, and the attempts made at it; the sender's alone. */
  int next;
  int attempts;

  private RemoteWriteRequest(List<byte[]> bodies, int points, int histogramsLeftOut) {
    this.bodies = bodies;
    this.points = points;
    this.histogramsLeftOut = histogramsLeftOut;
  }

  static RemoteWriteRequest of(Metrics batch, OtlpMetricsTranslator translator, Map<String, String> externalLabels,
      boolean sendMetadata, long maxBatchBytes) {
    Builder b = new Builder(externalLabels, sendMetadata, maxBatchBytes);
    translator.translate(batch.resourceMetrics(), b);
    b.flush();
    return new RemoteWriteRequest(b.bodies, batch.itemCount(), b.histogramsLeftOut);
  }

  private static final class Builder implements PrometheusSink {
    final List<byte[]> bodies = new ArrayList<>();
    final WriteRequestEncoder encoder = new WriteRequestEncoder().reset();
    final Map<String, String> external;
    final boolean sendMetadata;
    final long maxBytes;
    boolean empty = true;
    int histogramsLeftOut;

    Builder(Map<String, String> external, boolean sendMetadata, long maxBytes) {
      this.external = external;
      this.sendMetadata = sendMetadata;
      this.maxBytes = maxBytes;
    }

    @Override
    public void metadata(String familyName, String type, String help, String unit) {
      if (sendMetadata) {
        encoder.metadata(familyName, type, help, unit);
        written();
      }
    }

    @Override
    public void sample(Labels labels, long timestampMs, double value) {
      encoder.sample(withExternal(labels), timestampMs, value);
      written();
    }

    @Override
    public void exemplar(Labels seriesLabels, Exemplar exemplar) {
      encoder.exemplar(withExternal(seriesLabels), exemplar.labels(), exemplar.timestampMs(), exemplar.value());
      written();
    }

    @Override
    public void nativeHistogram(Labels labels, long timestampMs, Histogram histogram, List<Exemplar> exemplars) {
      histogramsLeftOut++;
    }

    @Override
    public void dropped(DropReason reason, String detail, int points) {
      // Counted by the translator's caller through the points that made no series; nothing to send.
    }

    /** External labels fill in what the series lacks; a label of the series itself wins, as in Prometheus. */
    private Labels withExternal(Labels labels) {
      if (external.isEmpty()) {
        return labels;
      }
      Labels.Builder b = null;
      for (Map.Entry<String, String> e : external.entrySet()) {
        if (labels.get(e.getKey()).isEmpty()) {
          if (b == null) {
            b = labels.toBuilder();
          }
          b.set(e.getKey(), e.getValue());
        }
      }
      return b == null ? labels : b.build();
    }

    private void written() {
      empty = false;
      if (encoder.size() >= maxBytes) {
        flush();
      }
    }

    void flush() {
      if (!empty) {
        bodies.add(encoder.snappy());
        encoder.reset();
        empty = true;
      }
    }
  }
}
