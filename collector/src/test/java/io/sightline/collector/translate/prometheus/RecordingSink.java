package io.sightline.collector.translate.prometheus;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps everything the translator reports, series written in Prometheus' text form for readable assertions. */
final class RecordingSink implements PrometheusSink {
  record Sample(Labels labels, long timestampMs, double value) {}

  record SeriesExemplar(Labels series, Exemplar exemplar) {}

  record Metadata(String type, String help, String unit) {}

  record Native(Labels labels, long timestampMs, Histogram histogram, List<Exemplar> exemplars) {}

  record Drop(DropReason reason, String detail, int points) {}

  final List<Sample> samples = new ArrayList<>();
  final List<SeriesExemplar> exemplars = new ArrayList<>();
  final Map<String, Metadata> metadata = new LinkedHashMap<>();
  final List<String> metadataOrder = new ArrayList<>();
  final List<Native> nativeHistograms = new ArrayList<>();
  final List<Drop> drops = new ArrayList<>();
  /** Every call, in order, as "metadata x" / "sample x" / "exemplar x". */
  final List<String> calls = new ArrayList<>();

  @Override
  public void metadata(String familyName, String type, String help, String unit) {
    metadata.put(familyName, new Metadata(type, help, unit));
    metadataOrder.add(familyName);
    calls.add("metadata " + familyName);
  }

  @Override
  public void sample(Labels labels, long timestampMs, double value) {
    samples.add(new Sample(labels, timestampMs, value));
    calls.add("sample " + labels.metricName());
  }

  @Override
  public void exemplar(Labels seriesLabels, Exemplar exemplar) {
    exemplars.add(new SeriesExemplar(seriesLabels, exemplar));
    calls.add("exemplar " + seriesLabels.metricName());
  }

  @Override
  public void nativeHistogram(Labels labels, long timestampMs, Histogram histogram, List<Exemplar> exemplars) {
    nativeHistograms.add(new Native(labels, timestampMs, histogram, exemplars));
    calls.add("native " + labels.metricName());
  }

  @Override
  public void dropped(DropReason reason, String detail, int points) {
    drops.add(new Drop(reason, detail, points));
  }

  /** Series in text form → value of its last sample. */
  Map<String, Double> values() {
    Map<String, Double> out = new LinkedHashMap<>();
    samples.forEach(s -> out.put(s.labels().toString(), s.value()));
    return out;
  }

  /** The series of the metric {@code name}, in text form, in the order written. */
  List<String> series(String name) {
    return samples.stream().filter(s -> s.labels().metricName().equals(name)).map(s -> s.labels().toString())
        .distinct().toList();
  }

  List<Sample> samplesOf(String name) {
    return samples.stream().filter(s -> s.labels().metricName().equals(name)).toList();
  }

  int droppedPoints() {
    return drops.stream().mapToInt(Drop::points).sum();
  }
}
