package io.sightline.collector.receiver.prometheus.textparse;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A handler that writes down every call as one line of text, so a test can compare the whole sequence at once. */
final class Recorder implements ExpositionHandler {
  final List<String> calls = new ArrayList<>();
  final List<Labels> sampleLabels = new ArrayList<>();
  final List<Double> values = new ArrayList<>();

  static List<String> text(String body) throws ExpositionParseException {
    return parse(body, ExpositionFormat.PROMETHEUS_TEXT).calls;
  }

  static List<String> openMetrics(String body) throws ExpositionParseException {
    return parse(body, ExpositionFormat.OPENMETRICS).calls;
  }

  static Recorder parse(String body, ExpositionFormat format) throws ExpositionParseException {
    return parse(body.getBytes(StandardCharsets.UTF_8), format);
  }

  static Recorder parse(byte[] body, ExpositionFormat format) throws ExpositionParseException {
    Recorder recorder = new Recorder();
    ExpositionParser.parse(body, format, recorder);
    return recorder;
  }

  @Override
  public void help(String metricFamily, String help) {
    calls.add("help " + metricFamily + " " + help);
  }

  @Override
  public void type(String metricFamily, String type) {
    calls.add("type " + metricFamily + " " + type);
  }

  @Override
  public void unit(String metricFamily, String unit) {
    calls.add("unit " + metricFamily + " " + unit);
  }

  @Override
  public void sample(Labels labels, double value, long timestampMs) {
    sampleLabels.add(labels);
    values.add(value);
    calls.add(labels + " " + value + at(timestampMs));
  }

  @Override
  public void exemplar(Labels exemplarLabels, double value, long timestampMs) {
    calls.add("exemplar " + exemplarLabels + " " + value + at(timestampMs));
  }

  private static String at(long timestampMs) {
    return timestampMs == Long.MIN_VALUE ? "" : " @" + timestampMs;
  }
}
