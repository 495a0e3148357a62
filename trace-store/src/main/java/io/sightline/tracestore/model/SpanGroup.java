package io.sightline.tracestore.model;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * The resource and instrumentation scope a span was sent under, as OTLP messages without their spans: a
 * {@code ResourceSpans} holding only {@code resource} and {@code schema_url}, a {@code ScopeSpans} holding only
 * {@code scope} and {@code schema_url}. One is made per scope of an append and shared by its spans; two groups are
 * equal when both messages are (which is how a trace's spans are regrouped).
 */
public record SpanGroup(ResourceSpans resource, ScopeSpans scope) {

  /** The group of the spans of {@code ss}, sent in {@code rs}. */
  public static SpanGroup of(ResourceSpans rs, ScopeSpans ss) {
    ResourceSpans.Builder r = ResourceSpans.newBuilder().setSchemaUrl(rs.getSchemaUrl());
    if (rs.hasResource()) {
      r.setResource(rs.getResource());
    }
    ScopeSpans.Builder s = ScopeSpans.newBuilder().setSchemaUrl(ss.getSchemaUrl());
    if (ss.hasScope()) {
      s.setScope(ss.getScope());
    }
    return new SpanGroup(r.build(), s.build());
  }

  /** The resource's {@code service.name} if it is a string, else "". */
  public String serviceName() {
    for (var kv : resource.getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }
}
