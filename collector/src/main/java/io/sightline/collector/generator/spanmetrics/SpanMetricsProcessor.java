package io.sightline.collector.generator.spanmetrics;

import io.sightline.collector.generator.registry.Counter;
import io.sightline.collector.generator.registry.Gauge;
import io.sightline.collector.generator.registry.Histogram;
import io.sightline.collector.generator.registry.Registry;
import io.sightline.collector.generator.registry.SeriesKey;
import io.sightline.collector.generator.spans.SpanAttributes;
import io.sightline.collector.generator.spans.WireAttributes;
import io.sightline.collector.generator.spans.WireResource;
import io.sightline.collector.generator.spans.WireSpan;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tempo's span metrics: per service, span name, kind and status (and the configured dimensions), the number of spans
 * ({@code traces_spanmetrics_calls_total}), their durations ({@code traces_spanmetrics_latency}, seconds, with the
 * trace id as exemplar) and their encoded size ({@code traces_spanmetrics_size_total}, bytes); with
 * {@code enable_target_info}, {@code traces_target_info} per resource.
 *
 * <p>On every stored span: one key is filled in place and looked up in each family, so that a span of a series seen
 * before allocates nothing unless a dimension's value is not a string.
 */
public final class SpanMetricsProcessor {
  public static final String CALLS = "traces_spanmetrics_calls_total";
  public static final String LATENCY = "traces_spanmetrics_latency";
  public static final String SIZE = "traces_spanmetrics_size_total";
  public static final String TARGET_INFO = "traces_target_info";
  /** Labels that resource attributes must not take in {@code traces_target_info}: they get {@code __} instead. */
  private static final Set<String> TARGET_INFO_RESERVED = Set.of("service", "span_name", "span_kind", "status_code",
      "status_message", "job", "instance");

  private final SpanMetricsConfig config;
  private final Counter calls;
  private final Histogram latency;
  private final Counter size;
  private final Gauge targetInfo;
  private final Set<String> targetInfoExcluded;
  private final byte[][] dimensionKeys;
  /** Per dimension mapping, its source attributes. */
  private final byte[][][] mappingKeys;
  private final byte[] multiplierKey;

  /** The lookup key, refilled for each span under this processor's monitor. */
  private final SeriesKey key;
  private final int service;
  private final int spanName;
  private final int spanKind;
  private final int statusCode;
  private final int statusMessage;
  private final int dimensions;
  private final int mappings;
  private final int job;
  private final int instance;

  public SpanMetricsProcessor(SpanMetricsConfig config, Registry registry) {
    this.config = config;
    this.calls = config.count() ? registry.counter(CALLS, "Total count of the spans") : null;
    this.latency = config.latency() ? registry.histogram(LATENCY, "Latency of the spans in seconds",
        config.histogramBuckets()) : null;
    this.size = config.size() ? registry.counter(SIZE, "Total size of the spans in bytes") : null;
    this.targetInfo = config.enableTargetInfo()
        ? registry.gauge(TARGET_INFO, "Resource attributes of the services sending spans") : null;
    this.targetInfoExcluded = new HashSet<>(config.targetInfoExcludedDimensions());
    this.dimensionKeys = WireAttributes.keys(config.dimensions());
    this.mappingKeys = config.dimensionMappings().stream().map(m -> WireAttributes.keys(m.sourceLabels()))
        .toArray(byte[][][]::new);
    this.multiplierKey = config.spanMultiplierKey() == null || config.spanMultiplierKey().isEmpty() ? null
        : WireAttributes.key(config.spanMultiplierKey());
    List<String> names = new ArrayList<>();
    SpanMetricsConfig.Intrinsics in = config.intrinsics();
    service = slot(names, in.service(), "service");
    spanName = slot(names, in.spanName(), "span_name");
    spanKind = slot(names, in.spanKind(), "span_kind");
    statusCode = slot(names, in.statusCode(), "status_code");
    statusMessage = slot(names, in.statusMessage(), "status_message");
    dimensions = names.size();
    for (String d : config.dimensions()) {
      names.add(SpanMetricsConfig.dimensionLabel(d));
    }
    mappings = names.size();
    for (SpanMetricsConfig.DimensionMapping m : config.dimensionMappings()) {
      names.add(SpanMetricsConfig.dimensionLabel(m.name()));
    }
    job = slot(names, config.enableTargetInfo(), "job");
    instance = slot(names, config.enableTargetInfo() && config.enableInstanceLabel(), "instance");
    this.key = new SeriesKey(names.toArray(String[]::new));
  }

  private static int slot(List<String> names, boolean on, String name) {
    if (!on) {
      return -1;
    }
    names.add(name);
    return names.size() - 1;
  }

  /** Counts the spans of {@code batch}, stamping the series with {@code nowMs}. */
  public synchronized void push(List<WireResource> batch, long nowMs) {
    for (WireResource rs : batch) {
      WireAttributes resource = rs.resource();
      String svc = null;
      String namespace = null;
      String instanceId = null;
      // One pass over the resource, first occurrence wins (Tempo's FindServiceLabels).
      for (int i = 0, n = resource.size(); i < n; i++) {
        switch (resource.name(i)) {
          case SpanAttributes.SERVICE_NAME -> svc = svc == null ? resource.value(i) : svc;
          case SpanAttributes.SERVICE_NAMESPACE -> namespace = namespace == null ? resource.value(i) : namespace;
          case SpanAttributes.SERVICE_INSTANCE_ID -> instanceId = instanceId == null ? resource.value(i) : instanceId;
          default -> { }
        }
      }
      svc = svc == null ? "" : svc;
      String jobName = svc.isEmpty() ? "" : namespace == null || namespace.isEmpty() ? svc : namespace + "/" + svc;
      if (rs.spanCount() == 0) {
        continue;
      }
      WireSpan span = rs.span(0);
      for (int i = 0, n = rs.spanCount(); i < n; i++) {
        span(span.at(i), resource, svc, jobName, instanceId, nowMs);
      }
      if (targetInfo != null) {
        targetInfo(resource, jobName, instanceId == null ? "" : instanceId, nowMs);
      }
    }
  }

  private void span(WireSpan span, WireAttributes resource, String svc, String jobName, String instanceId,
      long nowMs) {
    SeriesKey k = key;
    if (service >= 0) {
      k.set(service, svc);
    }
    if (spanName >= 0) {
      k.set(spanName, span.name());
    }
    if (spanKind >= 0) {
      k.set(spanKind, SpanAttributes.spanKind(span.kind()));
    }
    if (statusCode >= 0) {
      k.set(statusCode, SpanAttributes.statusCode(span.statusCode()));
    }
    if (statusMessage >= 0) {
      k.set(statusMessage, span.statusMessage());
    }
    WireAttributes attributes = span.attributes();
    for (int i = 0; i < dimensionKeys.length; i++) {
      k.set(dimensions + i, WireAttributes.find(dimensionKeys[i], resource, attributes));
    }
    List<SpanMetricsConfig.DimensionMapping> maps = config.dimensionMappings();
    for (int i = 0; i < maps.size(); i++) {
      String joined = "";
      for (byte[] source : mappingKeys[i]) {
        String v = WireAttributes.find(source, resource, attributes);
        if (v != null && !v.isEmpty()) {
          joined = joined.isEmpty() ? v : joined + maps.get(i).join() + v;
        }
      }
      k.set(mappings + i, joined);
    }
    if (job >= 0) {
      k.set(job, jobName);
    }
    if (instance >= 0) {
      k.set(instance, instanceId);
    }
    k.rehash();
    double multiplier = SpanAttributes.multiplier(multiplierKey, attributes, resource);
    if (calls != null) {
      calls.inc(k, multiplier, nowMs);
    }
    if (latency != null) {
      latency.observe(k, SpanAttributes.secondsBetween(span.startNanos(), span.endNanos()), span.traceId(),
          multiplier, nowMs);
    }
    if (size != null) {
      size.inc(k, span.encodedSize(), nowMs);
    }
  }

  /**
   * Tempo's {@code traces_target_info}: the resource's attributes as labels (sanitized; not {@code service.name},
   * {@code service.namespace}, {@code service.instance.id}, nor the excluded ones) with {@code job} and
   * {@code instance}; written only when it has job or instance and at least one other label.
   */
  private void targetInfo(WireAttributes resource, String jobName, String instanceId, long nowMs) {
    List<String> pairs = new ArrayList<>(resource.size() * 2 + 4);
    for (int i = 0, n = resource.size(); i < n; i++) {
      String name = resource.name(i);
      if (name.isEmpty() || Character.isDigit(name.charAt(0)) && name.charAt(0) < 128
          || name.equals(SpanAttributes.SERVICE_NAME) || name.equals(SpanAttributes.SERVICE_NAMESPACE)
          || name.equals(SpanAttributes.SERVICE_INSTANCE_ID) || targetInfoExcluded.contains(name)) {
        continue;
      }
      String label = SpanAttributes.sanitizeLabelName(name);
      pairs.add(TARGET_INFO_RESERVED.contains(label) ? "__" + label : label);
      pairs.add(resource.value(i));
    }
    int identifying = 0;
    if (!jobName.isEmpty()) {
      pairs.add("job");
      pairs.add(jobName);
      identifying++;
    }
    if (!instanceId.isEmpty() && config.enableInstanceLabel()) {
      pairs.add("instance");
      pairs.add(instanceId);
      identifying++;
    }
    Labels labels = Labels.of(pairs.toArray(String[]::new));
    if (identifying == 0 || labels.size() <= identifying) {
      return;
    }
    String[] names = new String[labels.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = labels.name(i);
    }
    SeriesKey k = new SeriesKey(names);
    for (int i = 0; i < names.length; i++) {
      k.set(i, labels.value(i));
    }
    targetInfo.set(k.rehash(), 1, nowMs);
  }
}
