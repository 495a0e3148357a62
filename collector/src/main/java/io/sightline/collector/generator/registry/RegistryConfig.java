package io.sightline.collector.generator.registry;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.ConfigNode;
import io.sightline.collector.config.ConfigScalar;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code metrics_generator.registry}: Tempo's registry keys, plus {@code max_active_series}, which Tempo has among its
 * per-tenant overrides.
 *
 * @param collectionInterval how often every series' current value is written to the store
 * @param staleDuration how long a series may go without an update before it is dropped (and marked stale)
 * @param externalLabels labels added to every generated series; they replace a generated label of the same name
 * @param maxActiveSeries the most series the registry holds at once, a histogram counting as {@code 2 + buckets};
 *     0 means unlimited
 * @param maxLabelNameLength label names are cut to this many characters (Tempo's default 1024)
 * @param maxLabelValueLength label values are cut to this many characters (Tempo's default 2048)
 */
public record RegistryConfig(Duration collectionInterval, Duration staleDuration, Map<String, String> externalLabels,
    long maxActiveSeries, int maxLabelNameLength, int maxLabelValueLength) {
  /** Tempo's default. */
  public static final Duration DEFAULT_COLLECTION_INTERVAL = Duration.ofSeconds(15);
  /** Tempo's default: a series that saw no span for 15 minutes stops being written. */
  public static final Duration DEFAULT_STALE_DURATION = Duration.ofMinutes(15);
  /**
   * Tempo's default is unlimited. Sightline bounds it because one high-cardinality dimension (a user id, a URL with
   * ids in it) would otherwise grow the generator's memory and the embedded metric store without limit; 100 000
   * series is a few thousand span-metric label sets with their histograms, tens of MiB of state.
   */
  public static final long DEFAULT_MAX_ACTIVE_SERIES = 100_000;
  static final int DEFAULT_MAX_LABEL_NAME_LENGTH = 1024;
  static final int DEFAULT_MAX_LABEL_VALUE_LENGTH = 2048;

  public static final RegistryConfig DEFAULTS = new RegistryConfig(DEFAULT_COLLECTION_INTERVAL,
      DEFAULT_STALE_DURATION, Map.of(), DEFAULT_MAX_ACTIVE_SERIES, DEFAULT_MAX_LABEL_NAME_LENGTH,
      DEFAULT_MAX_LABEL_VALUE_LENGTH);

  public RegistryConfig {
    externalLabels = Map.copyOf(externalLabels);
  }

  public static RegistryConfig parse(ConfigMap m) {
    Duration interval = m.duration("collection_interval", DEFAULT_COLLECTION_INTERVAL);
    if (interval.isNegative() || interval.isZero()) {
      throw m.error("collection_interval", "must be positive");
    }
    Duration stale = m.duration("stale_duration", DEFAULT_STALE_DURATION);
    if (stale.isNegative() || stale.isZero()) {
      throw m.error("stale_duration", "must be positive");
    }
    ConfigMap ext = m.map("external_labels");
    Map<String, String> external = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : ext.entries().entrySet()) {
      if (!(e.getValue() instanceof ConfigScalar s) || s.isNull()) {
        throw ext.error(e.getKey(), "expected a label value, got " + e.getValue().kind());
      }
      if (!e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*") || e.getKey().startsWith("__")) {
        throw ext.error(e.getKey(), "invalid label name \"" + e.getKey() + "\"");
      }
      external.put(e.getKey(), ext.string(e.getKey(), ""));
    }
    ext.finish();
    long max = m.longValue("max_active_series", DEFAULT_MAX_ACTIVE_SERIES);
    if (max < 0) {
      throw m.error("max_active_series", "must be 0 (unlimited) or more");
    }
    int nameLength = m.intValue("max_label_name_length", DEFAULT_MAX_LABEL_NAME_LENGTH);
    int valueLength = m.intValue("max_label_value_length", DEFAULT_MAX_LABEL_VALUE_LENGTH);
    if (nameLength <= 0) {
      throw m.error("max_label_name_length", "must be positive");
    }
    if (valueLength <= 0) {
      throw m.error("max_label_value_length", "must be positive");
    }
    // One tenant: there is no tenant id to add as a label.
    m.notSupportedYet("inject_tenant_id_as");
    m.finish();
    return new RegistryConfig(interval, stale, external, max, nameLength, valueLength);
  }
}
