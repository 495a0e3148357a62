package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a resource adds to each of its series: {@code job} ({@code service.namespace/service.name}, or
 * {@code service.name} alone), {@code instance} ({@code service.instance.id}), and the promoted resource
 * attributes, their names already built. Computed once per resource.
 */
record ResourceLabels(String job, String instance, Map<String, String> promoted, List<KeyValue> attributes) {
  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_NAMESPACE = "service.namespace";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";

  /** @throws IllegalArgumentException when a promoted attribute's name cannot be a label name */
  static ResourceLabels of(Resource resource, TranslatorConfig config, LabelSets labels) {
    List<KeyValue> attributes = resource.getAttributesList();
    String job = "";
    String instance = "";
    KeyValue name = find(attributes, SERVICE_NAME);
    if (name != null) {
      KeyValue namespace = find(attributes, SERVICE_NAMESPACE);
      String service = AttributeStrings.of(name.getValue());
      job = namespace == null ? service : AttributeStrings.of(namespace.getValue()) + "/" + service;
    }
    KeyValue id = find(attributes, SERVICE_INSTANCE_ID);
    if (id != null) {
      instance = AttributeStrings.of(id.getValue());
    }
    // Insertion order: a later attribute whose name builds to the same label replaces an earlier one, as in
    // Prometheus (promoted attributes are not joined with ';' as data point attributes are).
    Map<String, String> promoted = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      boolean listed = config.promoteAllResourceAttributes()
          ? !config.ignoreResourceAttributes().contains(kv.getKey())
          : config.promoteResourceAttributes().contains(kv.getKey());
      if (listed) {
        LabelSets.set(promoted, labels.labelName(kv.getKey()), AttributeStrings.of(kv.getValue()));
      }
    }
    return new ResourceLabels(job, instance, promoted, attributes);
  }

  /** The last attribute with this key, as a map built from the list would hold. */
  static KeyValue find(List<KeyValue> attributes, String key) {
    KeyValue found = null;
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        found = kv;
      }
    }
    return found;
  }
}
