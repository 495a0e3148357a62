package io.sightline.collector.exporter.debug;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Type {@code debug}, for all three signals, with the Collector's keys and defaults. */
public final class DebugExporterFactory implements ExporterFactory<DebugExporterFactory.Config> {

  /** How much to write: a line per batch, a line per item, or everything. */
  enum Verbosity { BASIC, NORMAL, DETAILED }

  /** The Collector's defaults: a little of each second's output, then everything (thereafter 1 samples all). */
  static final int DEFAULT_SAMPLING_INITIAL = 2;
  static final int DEFAULT_SAMPLING_THEREAFTER = 1;

  record Config(Verbosity verbosity, int samplingInitial, int samplingThereafter) {}

  @Override
  public String type() {
    return "debug";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public Config parseConfig(ConfigMap m) {
    String verbosity = m.string("verbosity", "basic");
    int initial = m.intValue("sampling_initial", DEFAULT_SAMPLING_INITIAL);
    int thereafter = m.intValue("sampling_thereafter", DEFAULT_SAMPLING_THEREAFTER);
    // Read for validation only: Sightline has one logger, so output always goes through it (and its sampling).
    m.bool("use_internal_logger", true);
    m.finish();
    Verbosity v;
    try {
      v = Verbosity.valueOf(verbosity.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw m.error("verbosity", "invalid verbosity \"" + verbosity + "\" (valid values: basic, normal, detailed)");
    }
    if (initial < 0) {
      throw m.error("sampling_initial", "must be >= 0");
    }
    if (thereafter < 1) {
      throw m.error("sampling_thereafter", "must be >= 1"); // every n-th, so n = 0 has no meaning
    }
    return new Config(v, initial, thereafter);
  }

  @Override
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, Config config, Signal signal) {
    return new DebugExporter<>(settings.id().toString(), config, System::nanoTime);
  }
}
