package io.sightline.collector.remotewrite;

import io.sightline.collector.receiver.prometheusremotewrite.LabelsCache;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteException;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteLimits;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.List;

/** A remote-write request read back with Sightline's own receiver-side decoder. */
public record Decoded(List<Series> series, List<WriteBatch.Metadata> metadata, RemoteWriteDecoder.Summary summary) {
  public record Sample(long timestampMs, double value) {}

  public record Series(Labels labels, List<Sample> samples, List<RemoteWriteDecoder.DecodedExemplar> exemplars) {}

  public static Decoded snappy(byte[] body) throws RemoteWriteException {
    List<Series> series = new ArrayList<>();
    List<WriteBatch.Metadata> metadata = new ArrayList<>();
    RemoteWriteDecoder decoder = new RemoteWriteDecoder(RemoteWriteLimits.defaults(), new LabelsCache(64));
    RemoteWriteDecoder.Summary summary = decoder.decodeSnappy(body, (s, ts, vs, n, h, ex) -> {
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        samples.add(new Sample(ts[i], vs[i]));
      }
      series.add(new Series(s.labels(), samples, List.copyOf(ex)));
    }, (family, type, help, unit) -> metadata.add(new WriteBatch.Metadata(family, type, help, unit)));
    return new Decoded(series, metadata, summary);
  }

  /** Every sample of every series, in request order. */
  public List<Sample> samples() {
    List<Sample> all = new ArrayList<>();
    series.forEach(s -> all.addAll(s.samples()));
    return all;
  }
}
