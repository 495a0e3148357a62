package io.sightline.rules.template;

import java.util.Map;

/** One element of a query result as templates see it ({@code label}, {@code value}, {@code first}). */
public record Sample(Map<String, String> labels, double value) {
  public Sample {
    labels = Map.copyOf(labels);
  }
}
