package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels an instrumentation scope adds to its series when scope metadata is promoted: {@code otel_scope_name},
 * {@code otel_scope_version}, {@code otel_scope_schema_url} and {@code otel_scope_<attribute>}.
 */
record ScopeLabels(String name, String version, String schemaUrl, Map<String, String> attributes) {

  /**
   * The scope's labels, or {@code null} when scope metadata is not promoted or the scope has no name.
   *
   * @throws IllegalArgumentException when an attribute's name cannot be a label name
   */
  static ScopeLabels of(ScopeMetrics sm, TranslatorConfig config, LabelSets labels) {
    if (!config.promoteScopeMetadata() || sm.getScope().getName().isEmpty()) {
      return null;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (KeyValue kv : sm.getScope().getAttributesList()) {
      LabelSets.set(attributes, labels.labelName("otel_scope_" + kv.getKey()), AttributeStrings.of(kv.getValue()));
    }
    // The schema URL of the scope's metrics (ScopeMetrics), as Prometheus takes it, not the resource's.
    return new ScopeLabels(sm.getScope().getName(), sm.getScope().getVersion(), sm.getSchemaUrl(), attributes);
  }
}
