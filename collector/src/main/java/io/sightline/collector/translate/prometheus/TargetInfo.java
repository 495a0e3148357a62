package io.sightline.collector.translate.prometheus;

import io.sightline.core.model.Labels;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code target_info} series of resources: value 1, labels {@code job}, {@code instance} and every other
 * resource attribute (the identifying ones too with {@code keep_identifying_resource_attributes}). Written only
 * when the resource has an attribute besides the identifying ones, and has a {@code job} or {@code instance}.
 *
 * <p>Samples go from the resource's earliest point to its latest, every {@link #INTERVAL_NANOS} and at the latest,
 * so that a query anywhere in that range finds one within the lookback window. One instance per batch, so that two
 * resources with the same labels write each sample once.
 */
final class TargetInfo {
  static final String NAME = "target_info";
  static final String HELP = "Target metadata";
  /** Half of Prometheus' default lookback delta (5m), as Prometheus spaces them. */
  static final long INTERVAL_NANOS = 150_000_000_000L;
  private static final Set<String> IDENTIFYING = Set.of(ResourceLabels.SERVICE_NAMESPACE, ResourceLabels.SERVICE_NAME,
      ResourceLabels.SERVICE_INSTANCE_ID);
  private static final Set<String> NOTHING = Set.of();

  private record Written(Labels labels, long timestampMs) {}

  private final TranslatorConfig config;
  private final LabelSets labelSets;
  private final PrometheusSink sink;
  private final Set<Written> written = new HashSet<>();

  TargetInfo(TranslatorConfig config, LabelSets labelSets, PrometheusSink sink) {
    this.config = config;
    this.labelSets = labelSets;
    this.sink = sink;
  }

  /** Writes the resource's samples for points between {@code earliestNanos} and {@code latestNanos}. */
  void write(ResourceLabels resource, long earliestNanos, long latestNanos) {
    if (!config.targetInfoEnabled()) {
      return;
    }
    long identifying = resource.attributes().stream().filter(kv -> IDENTIFYING.contains(kv.getKey())).count();
    if (resource.attributes().size() - identifying <= 0) {
      return; // job and instance alone say nothing a series does not already say
    }
    String name = config.namespace().isEmpty() ? NAME : config.namespace() + "_" + NAME;
    Map<String, String> base;
    try {
      base = labelSets.series(resource.attributes(), config.keepIdentifyingResourceAttributes() ? NOTHING
          : IDENTIFYING, resource, null, false);
    } catch (IllegalArgumentException e) {
      sink.dropped(DropReason.INVALID_LABEL_NAME, name + ": " + e.getMessage(), 0);
      return;
    }
    if (!base.containsKey("job") && !base.containsKey("instance")) {
      return;
    }
    Labels labels = LabelSets.withName(base, name, null, null);
    sink.metadata(name, "gauge", HELP, "");
    for (long t = earliestNanos; t < latestNanos; t += INTERVAL_NANOS) {
      sample(labels, Math.floorDiv(t, OtlpMetricsTranslator.NANOS_PER_MILLI));
    }
    sample(labels, Math.floorDiv(latestNanos, OtlpMetricsTranslator.NANOS_PER_MILLI));
  }

  private void sample(Labels labels, long timestampMs) {
    if (written.add(new Written(labels, timestampMs))) {
      sink.sample(labels, timestampMs, 1);
    }
  }
}
