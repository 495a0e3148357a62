package io.sightline.collector.translate.loki;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.sightline.collector.translate.loki.OtlpLogsConfig.Action;
import io.sightline.collector.translate.prometheus.AttributeStrings;
import io.sightline.collector.translate.prometheus.LabelNamer;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP log records as Loki 3's distributor makes them into entries ({@code pkg/loghttp/push/otlp.go} and
 * {@code otlplabels}): a stream per distinct set of index labels, the body as the line, everything else as structured
 * metadata.
 *
 * <pre>
 * resource {service.name: shop, host.name: h1}   →  stream {service_name="shop"}
 * scope    {name: lib, version: 1.2}             →  metadata scope_name=lib, scope_version=1.2
 * record   {body: "paid", severity: INFO/9,      →  line "paid"
 *           trace_id, attributes {http.status: 200}}  metadata http_status=200, severity_number=9,
 *                                                   severity_text=INFO, trace_id=…, host_name=h1, …
 * </pre>
 *
 * Names go through Prometheus' label namer with Loki's settings (every character outside {@code [a-zA-Z0-9_]}
 * becomes {@code _}, runs of {@code _} collapse, a leading digit gets {@code key_}); map values are flattened into
 * {@code parent_child} names; other values are written as the Collector's {@code AsString} writes them (maps and
 * lists as JSON). A resource without {@code service.name} gets {@code service_name} from the first index label of
 * the discovery list that it has, or {@code unknown_service}.
 *
 * <p>Metadata of one entry is, in order: the record's attributes and fields, the resource's attributes, the scope's;
 * a name given twice keeps its last value.
 */
public final class OtlpLogsTranslator {
  /** Receives each record as an entry, in the order of the request; it keeps nothing the translator passes. */
  @FunctionalInterface
  public interface Output {
    void entry(Labels stream, long timestampNanos, String line, Labels structuredMetadata);
  }

  /** An attribute name that cannot be made a label name; Loki refuses the whole request with 400. */
  public static final class TranslationException extends Exception {
    private static final long serialVersionUID = 1L;

    TranslationException(String message) {
      super(message);
    }
  }

  static final String SERVICE_NAME_ATTRIBUTE = "service.name";
  static final String SERVICE_NAME = "service_name";
  static final String UNKNOWN_SERVICE = "unknown_service";
  private static final HexFormat HEX = HexFormat.of();
  /** otlptranslator's {@code LabelNamer{}} as Loki constructs it: all three options off. */
  private static final LabelNamer NAMER = new LabelNamer(false, false, false);

  private final OtlpLogsConfig config;
  private final List<String> discoverServiceName;

  /**
   * @param discoverServiceName labels looked up, in order, for a {@code service_name} when the resource has no
   *     {@code service.name} (Loki's {@code discover_service_name}); empty disables discovery and the
   *     {@code unknown_service} default
   */
  public OtlpLogsTranslator(OtlpLogsConfig config, List<String> discoverServiceName) {
    this.config = config;
    this.discoverServiceName = List.copyOf(discoverServiceName);
  }

  /**
   * Translates every record of {@code resourceLogs} into {@code out}.
   *
   * @param nowNanos the time of a record with neither timestamp nor observed timestamp
   * @throws TranslationException for an attribute name that normalizes to nothing; nothing of the request should be
   *     kept then, as Loki keeps nothing
   */
  public void translate(List<ResourceLogs> resourceLogs, long nowNanos, Output out) throws TranslationException {
    for (ResourceLogs rl : resourceLogs) {
      Labels.Builder stream = Labels.builder();
      List<String> resourceMetadata = new ArrayList<>();
      resource(rl.getResource().getAttributesList(), stream, resourceMetadata);
      Labels streamLabels = stream.build();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        List<String> scopeMetadata = scope(sl.getScope());
        for (LogRecord record : sl.getLogRecordsList()) {
          record(record, streamLabels, resourceMetadata, scopeMetadata, nowNanos, out);
        }
      }
    }
  }

  private void resource(List<KeyValue> attributes, Labels.Builder stream, List<String> metadata)
      throws TranslationException {
    boolean hasServiceName = false;
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(SERVICE_NAME_ATTRIBUTE)) {
        hasServiceName = !AttributeStrings.of(kv.getValue()).isEmpty();
        break; // pcommon's Map.Get: the first of repeated keys
      }
    }
    List<String> index = new ArrayList<>();
    for (KeyValue kv : attributes) {
      Action action = config.resourceAction(kv.getKey());
      switch (action) {
        case DROP -> { }
        case INDEX_LABEL -> flatten(kv.getKey(), kv.getValue(), "", index);
        case STRUCTURED_METADATA -> flatten(kv.getKey(), kv.getValue(), "", metadata);
      }
    }
    // As Loki's model.LabelSet: a name set twice keeps its last value.
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < index.size(); i += 2) {
      labels.put(index.get(i), index.get(i + 1));
    }
    if (!hasServiceName && !discoverServiceName.isEmpty()) {
      String service = UNKNOWN_SERVICE;
      for (String candidate : discoverServiceName) {
        String v = labels.get(candidate);
        if (v != null && !v.isEmpty()) {
          service = v;
          break;
        }
      }
      labels.put(SERVICE_NAME, service);
    }
    labels.forEach(stream::set);
  }

  private List<String> scope(InstrumentationScope scope) throws TranslationException {
    List<String> metadata = new ArrayList<>();
    for (KeyValue kv : scope.getAttributesList()) {
      if (config.scopeAction(kv.getKey()) == Action.STRUCTURED_METADATA) {
        flatten(kv.getKey(), kv.getValue(), "", metadata);
      }
    }
    add(metadata, "scope_name", scope.getName());
    add(metadata, "scope_version", scope.getVersion());
    if (scope.getDroppedAttributesCount() != 0) {
      add(metadata, "scope_dropped_attributes_count", Integer.toUnsignedString(scope.getDroppedAttributesCount()));
    }
    return metadata;
  }

  private void record(LogRecord record, Labels streamLabels, List<String> resourceMetadata,
      List<String> scopeMetadata, long nowNanos, Output out) throws TranslationException {
    List<String> metadata = new ArrayList<>(2 * record.getAttributesCount() + 16 + resourceMetadata.size()
        + scopeMetadata.size());
    List<String> index = null;
    String eventName = record.getEventName();
    for (KeyValue kv : record.getAttributesList()) {
      Action action = config.logAction(kv.getKey());
      // The record's own event_name field wins over an attribute of that name.
      if (action == Action.DROP || kv.getKey().equals("event_name") && !eventName.isEmpty()) {
        continue;
      }
      if (action == Action.INDEX_LABEL) {
        index = index == null ? new ArrayList<>() : index;
        flatten(kv.getKey(), kv.getValue(), "", index);
      } else {
        flatten(kv.getKey(), kv.getValue(), "", metadata);
      }
    }
    // Stored as the timestamp already when it is the only one.
    if (record.getTimeUnixNano() != 0 && record.getObservedTimeUnixNano() != 0) {
      add(metadata, "observed_timestamp", Long.toString(record.getObservedTimeUnixNano()));
    }
    if (record.getSeverityNumberValue() != 0) {
      add(metadata, "severity_number", Integer.toString(record.getSeverityNumberValue()));
    }
    String severityText = record.getSeverityText();
    if (!severityText.isEmpty()) {
      if (config.severityTextAsLabel()) {
        index = index == null ? new ArrayList<>() : index;
        index.add("severity_text");
        index.add(severityText);
      }
      add(metadata, "severity_text", severityText);
    }
    if (record.getDroppedAttributesCount() != 0) {
      add(metadata, "dropped_attributes_count", Integer.toUnsignedString(record.getDroppedAttributesCount()));
    }
    if (record.getFlags() != 0) {
      add(metadata, "flags", Integer.toUnsignedString(record.getFlags()));
    }
    if (!allZero(record.getTraceId().toByteArray())) {
      add(metadata, "trace_id", HEX.formatHex(record.getTraceId().toByteArray()));
    }
    if (!allZero(record.getSpanId().toByteArray())) {
      add(metadata, "span_id", HEX.formatHex(record.getSpanId().toByteArray()));
    }
    add(metadata, "event_name", eventName);
    metadata.addAll(resourceMetadata);
    metadata.addAll(scopeMetadata);

    Labels stream = streamLabels;
    if (index != null && !index.isEmpty()) {
      Labels.Builder b = streamLabels.toBuilder();
      for (int i = 0; i < index.size(); i += 2) {
        b.set(index.get(i), index.get(i + 1));
      }
      stream = b.build();
    }
    long ts = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano()
        : record.getObservedTimeUnixNano() != 0 ? record.getObservedTimeUnixNano() : nowNanos;
    String line = record.hasBody() ? AttributeStrings.of(record.getBody()) : "";
    out.entry(stream, ts, line, Labels.of(metadata.toArray(String[]::new)));
  }

  /** Loki's {@code AttributeToLabels}: the normalized name, or for a map one pair per leaf, names joined by _. */
  private static void flatten(String key, AnyValue value, String prefix, List<String> into)
      throws TranslationException {
    String name;
    try {
      name = NAMER.build(prefix.isEmpty() ? key : prefix + "_" + key);
    } catch (IllegalArgumentException e) {
      throw new TranslationException("symbolizer lookup: " + e.getMessage());
    }
    if (value.getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
      for (KeyValue kv : value.getKvlistValue().getValuesList()) {
        try {
          flatten(kv.getKey(), kv.getValue(), name, into);
        } catch (TranslationException e) {
          throw new TranslationException("symbolizer lookup: " + e.getMessage());
        }
      }
      return;
    }
    into.add(name);
    into.add(AttributeStrings.of(value));
  }

  private static void add(List<String> into, String name, String value) {
    if (!value.isEmpty()) {
      into.add(name);
      into.add(value);
    }
  }

  private static boolean allZero(byte[] id) {
    for (byte b : id) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
