package io.sightline.collector.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.List;

/** Spans grouped by resource and instrumentation scope, as OTLP carries them. */
public final class Traces implements Telemetry {
  private final ExportTraceServiceRequest request;
  private final int spanCount;

  private Traces(ExportTraceServiceRequest request) {
    this.request = request;
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    this.spanCount = count;
  }

  public static Traces of(ExportTraceServiceRequest request) {
    return new Traces(request);
  }

  public static Traces of(List<ResourceSpans> resourceSpans) {
    return new Traces(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resourceSpans).build());
  }

  public List<ResourceSpans> resourceSpans() {
    return request.getResourceSpansList();
  }

  public ExportTraceServiceRequest toRequest() {
    return request;
  }

  @Override
  public Signal signal() {
    return Signal.TRACES;
  }

  @Override
  public int itemCount() {
    return spanCount;
  }

  @Override
  public int serializedSize() {
    return request.getSerializedSize();
  }
}
