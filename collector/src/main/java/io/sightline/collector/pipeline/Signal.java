package io.sightline.collector.pipeline;

import java.util.Locale;

/** The three kinds of telemetry, with the names the Collector uses for them in configs and in its own metrics. */
public enum Signal {
  TRACES("traces", "spans"),
  METRICS("metrics", "metric_points"),
  LOGS("logs", "log_records");

  private final String configName;
  private final String itemName;

  Signal(String configName, String itemName) {
    this.configName = configName;
    this.itemName = itemName;
  }

  /** The name in {@code service.pipelines} ({@code traces}, {@code metrics}, {@code logs}). */
  public String configName() {
    return configName;
  }

  /** The item unit in metric names ({@code otelcol_receiver_accepted_spans}). */
  public String itemName() {
    return itemName;
  }

  /** The signal for a pipeline type, or {@code null} if the name is not one. */
  public static Signal fromConfigName(String name) {
    for (Signal s : values()) {
      if (s.configName.equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    return null;
  }
}
