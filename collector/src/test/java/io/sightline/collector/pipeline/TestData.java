package io.sightline.collector.pipeline;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/** Small OTLP batches for tests, with items numbered in order so that order and completeness can be checked. */
public final class TestData {
  private TestData() {}

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attr("service.name", service)).build();
  }

  /** {@code perScope} spans in each of {@code scopes} scopes of each of {@code resources} resources, numbered from {@code first}. */
  public static Traces traces(int first, int resources, int scopes, int perScope) {
    int n = first;
    List<ResourceSpans> out = new ArrayList<>();
    for (int r = 0; r < resources; r++) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource("svc-" + r));
      for (int s = 0; s < scopes; s++) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("scope-" + s));
        for (int i = 0; i < perScope; i++) {
          ss.addSpans(Span.newBuilder().setName("span-" + n).setSpanId(ByteString.copyFromUtf8("id" + n++))
              .addAttributes(attr("k", "v")));
        }
        rs.addScopeSpans(ss);
      }
      out.add(rs.build());
    }
    return Traces.of(out);
  }

  public static Logs logs(int first, int count) {
    ScopeLogs.Builder sl = ScopeLogs.newBuilder();
    for (int i = 0; i < count; i++) {
      sl.addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("log-" + (first + i)))
          .addAttributes(attr("k", "v")));
    }
    return Logs.of(List.of(ResourceLogs.newBuilder().setResource(resource("svc")).addScopeLogs(sl).build()));
  }

  /** Gauges with {@code points} data points each, values numbered in order. */
  public static Metrics metrics(int first, int metrics, int points) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    int n = first;
    for (int m = 0; m < metrics; m++) {
      Gauge.Builder g = Gauge.newBuilder();
      for (int p = 0; p < points; p++) {
        g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(n++).addAttributes(attr("k", "v")));
      }
      sm.addMetrics(Metric.newBuilder().setName("m" + m).setUnit("s").setGauge(g));
    }
    return Metrics.of(List.of(ResourceMetrics.newBuilder().setResource(resource("svc")).addScopeMetrics(sm).build()));
  }

  public static List<String> spanNames(List<Traces> batches) {
    List<String> names = new ArrayList<>();
    batches.forEach(b -> b.resourceSpans().forEach(rs -> rs.getScopeSpansList()
        .forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName())))));
    return names;
  }
}
