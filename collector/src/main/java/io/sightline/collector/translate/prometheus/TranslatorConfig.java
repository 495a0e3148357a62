package io.sightline.collector.translate.prometheus;

import io.sightline.collector.config.ConfigMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How OTLP metrics are translated, with the keys and defaults of Prometheus 3's {@code otlp} config section, plus
 * the Collector's {@code resource_to_telemetry_conversion} and {@code target_info} and Sightline's
 * {@code delta_to_cumulative}.
 *
 * @param promoteAllResourceAttributes every resource attribute but {@code ignoreResourceAttributes} becomes a label
 *     of every series (Prometheus' {@code promote_all_resource_attributes}, the Collector's
 *     {@code resource_to_telemetry_conversion})
 * @param promoteScopeMetadata {@code otel_scope_name}, {@code otel_scope_version}, {@code otel_scope_schema_url}
 *     and {@code otel_scope_<attribute>} labels; off by default, as in Prometheus 3
 * @param deltaToCumulativeMaxStreams how many delta streams keep a running total (see {@link DeltaToCumulative})
 */
public record TranslatorConfig(String namespace, TranslationStrategy translationStrategy,
    List<String> promoteResourceAttributes, boolean promoteAllResourceAttributes,
    List<String> ignoreResourceAttributes, boolean keepIdentifyingResourceAttributes, boolean promoteScopeMetadata,
    boolean labelNameUnderscoreSanitization, boolean labelNamePreserveMultipleUnderscores, boolean targetInfoEnabled,
    int deltaToCumulativeMaxStreams) {

  /**
   * Enough for the delta streams of a large fleet of services (each stream costs a few hundred bytes), while a
   * cardinality explosion cannot take all the memory.
   */
  public static final int DEFAULT_DELTA_MAX_STREAMS = 100_000;
  public static final TranslatorConfig DEFAULT = new TranslatorConfig("",
      TranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES, List.of(), false, List.of(), false, false, true, true,
      true, DEFAULT_DELTA_MAX_STREAMS);

  public TranslatorConfig {
    promoteResourceAttributes = List.copyOf(promoteResourceAttributes);
    ignoreResourceAttributes = List.copyOf(ignoreResourceAttributes);
  }

  /** Reads the keys of {@code m} and fails, located, on unknown keys and invalid values. */
  public static TranslatorConfig parse(ConfigMap m) {
    TranslatorConfig d = DEFAULT;
    String namespace = m.string("namespace", d.namespace());
    String strategyName = m.string("translation_strategy", d.translationStrategy().configName());
    List<String> promote = m.stringList("promote_resource_attributes");
    boolean promoteAll = m.bool("promote_all_resource_attributes", false);
    List<String> ignore = m.stringList("ignore_resource_attributes");
    ConfigMap toTelemetry = m.map("resource_to_telemetry_conversion");
    boolean toTelemetryEnabled = toTelemetry.bool("enabled", false);
    toTelemetry.finish();
    boolean keepIdentifying = m.bool("keep_identifying_resource_attributes", d.keepIdentifyingResourceAttributes());
    boolean promoteScope = m.bool("promote_scope_metadata", d.promoteScopeMetadata());
    boolean underscoreSanitization = m.bool("label_name_underscore_sanitization",
        d.labelNameUnderscoreSanitization());
    boolean preserveUnderscores = m.bool("label_name_preserve_multiple_underscores",
        d.labelNamePreserveMultipleUnderscores());
    ConfigMap targetInfo = m.map("target_info");
    boolean targetInfoEnabled = targetInfo.bool("enabled", d.targetInfoEnabled());
    targetInfo.finish();
    ConfigMap delta = m.map("delta_to_cumulative");
    int maxStreams = delta.intValue("max_streams", d.deltaToCumulativeMaxStreams());
    delta.finish();
    m.finish();

    TranslationStrategy strategy = TranslationStrategy.fromConfigName(strategyName);
    if (strategy == null) {
      throw m.error("translation_strategy", "invalid translation strategy \"" + strategyName + "\" (valid values: "
          + String.join(", ", List.of(TranslationStrategy.values()).stream().map(TranslationStrategy::configName)
              .toList()) + ")");
    }
    checkAttributes(m, "promote_resource_attributes", promote);
    checkAttributes(m, "ignore_resource_attributes", ignore);
    boolean all = promoteAll || toTelemetryEnabled;
    if (all && !promote.isEmpty()) {
      throw m.error("promote_resource_attributes", "cannot be set together with promote_all_resource_attributes or"
          + " resource_to_telemetry_conversion, which promote every attribute");
    }
    if (!all && !ignore.isEmpty()) {
      throw m.error("ignore_resource_attributes", "needs promote_all_resource_attributes: true");
    }
    if (maxStreams < 1) {
      throw delta.error("max_streams", "must be >= 1");
    }
    return new TranslatorConfig(namespace, strategy, promote.stream().map(String::strip).toList(), all,
        ignore.stream().map(String::strip).toList(), keepIdentifying, promoteScope, underscoreSanitization,
        preserveUnderscores, targetInfoEnabled, maxStreams);
  }

  /** As Prometheus: no empty names, no name twice. */
  private static void checkAttributes(ConfigMap m, String key, List<String> attributes) {
    Set<String> seen = new HashSet<>();
    for (String a : attributes) {
      String name = a.strip();
      if (name.isEmpty()) {
        throw m.error(key, "empty OTel resource attribute name");
      }
      if (!seen.add(name)) {
        throw m.error(key, "duplicated OTel resource attribute \"" + name + "\"");
      }
    }
  }
}
