package io.sightline.rules.template;

import java.util.Map;

/**
 * What an alert's templates see: {@code .Labels}, {@code .ExternalLabels}, {@code .ExternalURL}, {@code .Value},
 * also bound to {@code $labels}, {@code $externalLabels}, {@code $externalURL} and {@code $value}.
 */
public record TemplateData(
    Map<String, String> labels, Map<String, String> externalLabels, String externalURL, double value) {
  public TemplateData {
    labels = Map.copyOf(labels);
    externalLabels = Map.copyOf(externalLabels);
  }
}
