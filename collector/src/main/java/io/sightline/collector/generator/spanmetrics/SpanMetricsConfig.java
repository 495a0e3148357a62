package io.sightline.collector.generator.spanmetrics;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.generator.registry.Buckets;
import io.sightline.collector.generator.spans.SpanAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics_generator.processor.span_metrics}, Tempo's keys and defaults. Which of the three metrics are made
 * comes from {@code metrics_generator.processors} ({@code span-metrics} for all, or {@code span-metrics-count},
 * {@code -latency}, {@code -size}), not from this section.
 *
 * @param histogramBuckets latency bucket bounds in seconds
 * @param dimensions span or resource attributes (resource first, as Tempo looks) added as sanitized labels
 * @param dimensionMappings labels made from one or more attributes, joined
 * @param enableTargetInfo write {@code traces_target_info} per resource, and {@code job}/{@code instance} on series
 * @param targetInfoExcludedDimensions resource attributes left out of {@code traces_target_info}
 * @param enableInstanceLabel with target info, label series with {@code instance} = {@code service.instance.id}
 * @param spanMultiplierKey attribute holding a sampling ratio; counts are multiplied by its inverse
 */
public record SpanMetricsConfig(double[] histogramBuckets, Intrinsics intrinsics, List<String> dimensions,
    List<DimensionMapping> dimensionMappings, boolean enableTargetInfo, List<String> targetInfoExcludedDimensions,
    boolean enableInstanceLabel, String spanMultiplierKey, boolean count, boolean latency, boolean size) {
  /** Tempo's {@code ExponentialBuckets(0.002, 2, 14)}: 2 ms to 16.384 s. */
  public static final double[] DEFAULT_BUCKETS = Buckets.exponential(0.002, 2, 14);

  public static final SpanMetricsConfig DEFAULTS = new SpanMetricsConfig(DEFAULT_BUCKETS, Intrinsics.DEFAULTS,
      List.of(), List.of(), false, List.of(), true, "", true, true, true);

  public SpanMetricsConfig {
    histogramBuckets = histogramBuckets.clone();
    dimensions = List.copyOf(dimensions);
    dimensionMappings = List.copyOf(dimensionMappings);
    targetInfoExcludedDimensions = List.copyOf(targetInfoExcludedDimensions);
  }

  /** Which intrinsic labels series get; {@code status_message} is off by default as its values are unbounded. */
  public record Intrinsics(boolean service, boolean spanName, boolean spanKind, boolean statusCode,
      boolean statusMessage) {
    public static final Intrinsics DEFAULTS = new Intrinsics(true, true, true, true, false);
  }

  /** A label {@code name} whose value is the non-empty values of {@code sourceLabels}, joined with {@code join}. */
  public record DimensionMapping(String name, List<String> sourceLabels, String join) {
    public DimensionMapping {
      sourceLabels = List.copyOf(sourceLabels);
    }
  }

  /** The intrinsic label names, which a dimension must not take: it is prefixed {@code __} instead. */
  static final Set<String> INTRINSIC_LABELS = Set.of("service", "span_name", "span_kind", "status_code",
      "status_message");

  /** A dimension's label: sanitized, and prefixed {@code __} when it collides with an intrinsic one. */
  static String dimensionLabel(String attribute) {
    String s = SpanAttributes.sanitizeLabelName(attribute);
    return INTRINSIC_LABELS.contains(s) ? "__" + s : s;
  }

  /**
   * Reads the section; {@code count}, {@code latency} and {@code size} say which metrics the processors list asked
   * for.
   */
  public static SpanMetricsConfig parse(ConfigMap m, boolean count, boolean latency, boolean size) {
    double[] buckets = Buckets.parse(m, "histogram_buckets", DEFAULT_BUCKETS);
    ConfigMap in = m.map("intrinsic_dimensions");
    Intrinsics d = Intrinsics.DEFAULTS;
    Intrinsics intrinsics = new Intrinsics(in.bool("service", d.service()), in.bool("span_name", d.spanName()),
        in.bool("span_kind", d.spanKind()), in.bool("status_code", d.statusCode()),
        in.bool("status_message", d.statusMessage()));
    in.finish();
    List<String> dimensions = m.stringList("dimensions");
    List<DimensionMapping> mappings = new java.util.ArrayList<>();
    for (ConfigMap mm : m.mapList("dimension_mappings")) {
      String name = mm.requiredString("name");
      List<String> sources = mm.stringList("source_labels");
      if (sources.isEmpty()) {
        throw mm.error("source_labels", "must name at least one attribute");
      }
      String join = mm.string("join", "");
      mm.finish();
      mappings.add(new DimensionMapping(name, sources, join));
    }
    // Tempo's ValidateDimensions: a mapping may not produce a label that an intrinsic or a dimension has.
    Map<String, String> seen = new HashMap<>();
    if (intrinsics.service()) {
      seen.put("service", "intrinsic dimension \"service\"");
    }
    if (intrinsics.spanName()) {
      seen.put("span_name", "intrinsic dimension \"span_name\"");
    }
    if (intrinsics.spanKind()) {
      seen.put("span_kind", "intrinsic dimension \"span_kind\"");
    }
    if (intrinsics.statusCode()) {
      seen.put("status_code", "intrinsic dimension \"status_code\"");
    }
    if (intrinsics.statusMessage()) {
      seen.put("status_message", "intrinsic dimension \"status_message\"");
    }
    for (String dim : dimensions) {
      seen.put(dimensionLabel(dim), "dimension \"" + dim + "\"");
    }
    for (DimensionMapping mapping : mappings) {
      String label = dimensionLabel(mapping.name());
      String other = seen.putIfAbsent(label, "dimension_mapping \"" + mapping.name() + "\"");
      if (other != null) {
        throw m.error("dimension_mappings", "dimension_mapping \"" + mapping.name() + "\" produces label \""
            + label + "\" which collides with " + other);
      }
    }
    boolean targetInfo = m.bool("enable_target_info", false);
    List<String> excluded = m.stringList("target_info_excluded_dimensions");
    boolean instance = m.bool("enable_instance_label", true);
    String multiplierKey = m.string("span_multiplier_key", "");
    m.notSupportedYet("filter_policies", "enable_tracestate_span_multiplier");
    m.finish();
    return new SpanMetricsConfig(buckets, intrinsics, dimensions, mappings, targetInfo, excluded, instance,
        multiplierKey, count, latency, size);
  }
}
