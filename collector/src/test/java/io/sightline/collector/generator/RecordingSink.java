package io.sightline.collector.generator;

import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sink that keeps what committed batches wrote, for assertions. */
public final class RecordingSink implements SampleSink {
  public record Sample(Labels labels, long timestampMs, double value) {}

  public record Exemplar(Labels series, Labels labels, long timestampMs, double value) {}

  public record Metadata(String type, String help) {}

  public final List<Sample> samples = new ArrayList<>();
  public final List<Exemplar> exemplars = new ArrayList<>();
  public final Map<String, Metadata> metadata = new LinkedHashMap<>();
  public int commits;

  @Override
  public Batch begin() {
    List<Sample> s = new ArrayList<>();
    List<Exemplar> e = new ArrayList<>();
    Map<String, Metadata> m = new LinkedHashMap<>();
    return new Batch() {
      @Override
      public boolean append(Labels series, long timestampMs, double value) {
        s.add(new Sample(series, timestampMs, value));
        return true;
      }

      @Override
      public void exemplar(Labels series, Labels exemplar, long timestampMs, double value) {
        e.add(new Exemplar(series, exemplar, timestampMs, value));
      }

      @Override
      public void metadata(String family, String type, String help, String unit) {
        m.put(family, new Metadata(type, help));
      }

      @Override
      public void commit() {
        samples.addAll(s);
        exemplars.addAll(e);
        metadata.putAll(m);
        commits++;
      }

      @Override
      public void rollback() {}
    };
  }

  /** The value last written at {@code timestampMs} for the series printed as {@code series} ({@code Labels.toString}). */
  public Double valueAt(String series, long timestampMs) {
    Double v = null;
    for (Sample s : samples) {
      if (s.labels().toString().equals(series) && s.timestampMs() == timestampMs) {
        v = s.value();
      }
    }
    return v;
  }

  /** Series (printed) and value of every sample written at {@code timestampMs} whose name starts with {@code prefix}. */
  public Map<String, Double> at(long timestampMs, String prefix) {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (Sample s : samples) {
      if (s.timestampMs() == timestampMs && s.labels().metricName().startsWith(prefix)) {
        out.put(s.labels().toString(), s.value());
      }
    }
    return out;
  }

  public void clear() {
    samples.clear();
    exemplars.clear();
    metadata.clear();
  }
}
