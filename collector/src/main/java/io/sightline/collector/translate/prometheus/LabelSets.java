package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds series labels the way Prometheus' {@code createAttributes} does, in this order, later steps winning:
 *
 * <ol>
 *   <li>the point's attributes, sorted by key, names built; attributes whose names build to the same label are
 *       joined with {@code ;} in key order ({@code a.b=1}, {@code a_b=2} → {@code a_b="1;2"});
 *   <li>promoted resource attributes, only where the point has no such label;
 *   <li>{@code job} and {@code instance};
 *   <li>scope attributes, {@code otel_scope_name}, {@code otel_scope_version}, {@code otel_scope_schema_url};
 *   <li>{@code __name__} and {@code le} or {@code quantile}, added by the caller.
 * </ol>
 *
 * An empty value removes the label, as everywhere in Prometheus. One instance per translation: it caches built
 * names.
 */
final class LabelSets {
  /** Enough for the attribute keys of a batch; a bound, because a batch may carry any number of distinct keys. */
  private static final int MAX_CACHED_NAMES = 1024;

  private final LabelNamer namer;
  private final boolean utf8;
  private final Map<String, String> names = new HashMap<>();

  LabelSets(TranslatorConfig config) {
    this.utf8 = !config.translationStrategy().escapes();
    this.namer = new LabelNamer(utf8, config.labelNameUnderscoreSanitization(),
        config.labelNamePreserveMultipleUnderscores());
  }

  /** @throws IllegalArgumentException when {@code key} cannot be a label name */
  String labelName(String key) {
    String name = names.get(key);
    if (name == null) {
      name = namer.build(key);
      if (names.size() < MAX_CACHED_NAMES) {
        names.put(key, name);
      }
    }
    return name;
  }

  /**
   * The labels of a series without its name, as a map the caller may add to.
   *
   * @param ignore attribute keys to leave out
   * @param promote whether promoted resource attributes are added ({@code target_info} has all of them anyway)
   * @throws IllegalArgumentException when an attribute key cannot be a label name
   */
  Map<String, String> series(List<KeyValue> attributes, Set<String> ignore, ResourceLabels resource,
      ScopeLabels scope, boolean promote) {
    List<KeyValue> sorted = new ArrayList<>(attributes.size());
    for (KeyValue kv : attributes) {
      if (!ignore.contains(kv.getKey())) {
        sorted.add(kv);
      }
    }
    sorted.sort(Comparator.comparing(KeyValue::getKey));
    Map<String, String> labels = new HashMap<>();
    for (KeyValue kv : sorted) {
      // With UTF-8 names nothing can collide, and Prometheus takes the keys as they are; they are still checked here,
      // as an empty label name would make an invalid series.
      String name = labelName(kv.getKey());
      String value = AttributeStrings.of(kv.getValue());
      String existing = labels.get(name);
      set(labels, name, existing != null && !utf8 ? existing + ";" + value : value);
    }
    if (promote) {
      resource.promoted().forEach(labels::putIfAbsent);
    }
    set(labels, "job", resource.job().isEmpty() ? labels.get("job") : resource.job());
    set(labels, "instance", resource.instance().isEmpty() ? labels.get("instance") : resource.instance());
    if (scope != null) {
      scope.attributes().forEach((k, v) -> set(labels, k, v));
      set(labels, "otel_scope_name", scope.name());
      set(labels, "otel_scope_version", scope.version());
      set(labels, "otel_scope_schema_url", scope.schemaUrl());
    }
    return labels;
  }

  /** {@code base} with {@code __name__} and, if {@code extraName} is not null, one more label. */
  static Labels withName(Map<String, String> base, String metricName, String extraName, String extraValue) {
    Labels.Builder b = Labels.builder();
    base.forEach(b::set);
    if (extraName != null) {
      b.set(extraName, extraValue);
    }
    return b.set(Labels.METRIC_NAME, metricName).build();
  }

  /** Sets a label, or removes it for an empty value, as Prometheus' label builder does. */
  static void set(Map<String, String> labels, String name, String value) {
    if (value == null || value.isEmpty()) {
      labels.remove(name);
    } else {
      labels.put(name, value);
    }
  }
}
