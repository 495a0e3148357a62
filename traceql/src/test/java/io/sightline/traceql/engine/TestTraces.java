package io.sightline.traceql.engine;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's data set, generated the same way every run: twelve traces t01..t12 of up to eight spans a..h over five
 * services, where the index of a trace decides which branches it has, statuses, typed attributes, events and links.
 * t11 has lost its root (its first span points to a parent never received), and t12 carries an orphan span x.
 */
final class TestTraces {
  static final long BASE = 1_700_000_000_000_000_000L;
  static final long MS = 1_000_000L;

  final List<TracesData> traces = new ArrayList<>();
  /** Result ids to labels: trace id hex to "t05", span id hex to "a". */
  final Map<String, String> traceLabels = new LinkedHashMap<>();
  final Map<String, String> spanLabels = new LinkedHashMap<>();

  TestTraces() {
    for (int i = 1; i <= 12; i++) {
      traces.add(trace(i));
    }
  }

  static ByteString traceId(int i) {
    byte[] b = new byte[16];
    b[0] = (byte) (i == 7 ? 0 : 0xa0 + i);
    b[1] = (byte) (i == 7 ? 0x07 : 0x5e);
    b[15] = (byte) i;
    return ByteString.copyFrom(b);
  }

  static ByteString spanId(int i, char label) {
    byte[] b = new byte[8];
    b[0] = (byte) (i == 7 ? 0 : 0x10 + i);
    b[7] = (byte) label;
    return ByteString.copyFrom(b);
  }

  private final class Builder {
    final int i;
    final Map<String, ResourceSpans.Builder> resources = new LinkedHashMap<>();
    final Map<String, ScopeSpans.Builder> scopes = new LinkedHashMap<>();

    Builder(int i) {
      this.i = i;
    }

    Span.Builder span(String service, char label, Character parent, String name, Span.SpanKind kind, long startMs,
        long durationMs) {
      Span.Builder s = Span.newBuilder().setTraceId(traceId(i)).setSpanId(spanId(i, label)).setName(name)
          .setKind(kind).setStartTimeUnixNano(BASE + i * 60_000 * MS + startMs * MS)
          .setEndTimeUnixNano(BASE + i * 60_000 * MS + (startMs + durationMs) * MS);
      if (parent != null) {
        s.setParentSpanId(spanId(i, parent));
      }
      spanLabels.put(Hex.spanId(spanId(i, label)), String.valueOf(label));
      return s;
    }

    void add(String service, Span.Builder span) {
      ScopeSpans.Builder scope = scopes.computeIfAbsent(service, k -> ScopeSpans.newBuilder().setScope(scope(k)));
      scope.addSpans(span);
      resources.computeIfAbsent(service, k -> ResourceSpans.newBuilder().setResource(resource(k)));
    }

    InstrumentationScope scope(String service) {
      return switch (service) {
        case "frontend" -> InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("1.2.0")
            .build();
        case "payment" -> InstrumentationScope.newBuilder().setName("grpc").setVersion("v3.34")
            .addAttributes(kv("otel.scope.kind", str("auto"))).build();
        default -> InstrumentationScope.newBuilder().setName(service + "-lib").setVersion("0.9").build();
      };
    }

    Resource resource(String service) {
      return Resource.newBuilder()
          .addAttributes(kv("service.name", str(service)))
          .addAttributes(kv("deployment.environment", str(i % 2 == 1 ? "prod" : "staging")))
          .addAttributes(kv("host.name", str("host-" + (i % 3))))
          .addAttributes(kv("k8s.pod.restarts", integer(i % 4)))
          .build();
    }

    TracesData build() {
      TracesData.Builder t = TracesData.newBuilder();
      resources.forEach((service, rs) -> t.addResourceSpans(rs.addScopeSpans(scopes.get(service))));
      return t.build();
    }
  }

  private TracesData trace(int i) {
    traceLabels.put(Hex.traceId(traceId(i)), String.format("t%02d", i));
    Builder b = new Builder(i);
    long rootMs = 100 + 10L * i;
    boolean even = i % 2 == 0;
    Span.Builder a = b.span("frontend", 'a', null, even ? "GET /api/orders" : "POST /api/checkout",
        Span.SpanKind.SPAN_KIND_SERVER, 0, rootMs)
        .addAttributes(kv("http.method", str(even ? "GET" : "POST")))
        .addAttributes(kv("http.status_code", integer(i % 4 == 3 ? 500 : 200)))
        .addAttributes(kv("http.route", str(even ? "/api/orders" : "/api/checkout")));
    if (i % 3 == 0) {
      a.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    }
    if (i == 11) {
      // The root was never received: the first span names a parent that is not in the trace.
      a.setParentSpanId(spanId(i, 'z'));
    }
    b.add("frontend", a);
    b.add("frontend", b.span("frontend", 'b', 'a', "HTTP GET cart", Span.SpanKind.SPAN_KIND_CLIENT, 5, rootMs - 20)
        .addAttributes(kv("http.status_code", integer(200)))
        .addAttributes(kv("http.method", str("GET"))));
    Span.Builder c = b.span("cart", 'c', 'b', "GET /cart", Span.SpanKind.SPAN_KIND_SERVER, 10, rootMs - 30)
        .addAttributes(kv("cart.items", integer(i)))
        .addAttributes(kv("cart.total", dbl(i * 1.5)))
        .addAttributes(kv("user.tier", str(i % 3 == 0 ? "gold" : "silver")))
        .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(str("a")).addValues(str("b" + i))).build()))
        .addAttributes(kv("lucky", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(integer(i)).addValues(integer(i * 10))).build()));
    if (i == 4) {
      c.addAttributes(kv("deployment.environment", str("canary")));
    }
    b.add("cart", c);
    b.add("cart", b.span("cart", 'd', 'c', "SELECT carts", Span.SpanKind.SPAN_KIND_CLIENT, 12, i)
        .addAttributes(kv("db.system", str("postgresql")))
        .addAttributes(kv("db.statement", str("SELECT * FROM carts WHERE id = ?"))));
    if (!even) {
      Span.Builder e = b.span("payment", 'e', 'a', "charge", Span.SpanKind.SPAN_KIND_SERVER, rootMs / 2, 20)
          .addAttributes(kv("payment.amount", dbl(i * 10.0)))
          .addAttributes(kv("retry", AnyValue.newBuilder().setBoolValue(i % 4 == 3).build()));
      if (i % 4 == 3) {
        e.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("card declined"));
        e.addEvents(Span.Event.newBuilder().setName("exception")
            .setTimeUnixNano(BASE + i * 60_000 * MS + (rootMs / 2 + 3) * MS)
            .addAttributes(kv("exception.type", str("CardError")))
            .addAttributes(kv("exception.message", str("card declined"))));
      }
      b.add("payment", e);
      Span.Builder f = b.span("payment", 'f', 'e', "publish payment", Span.SpanKind.SPAN_KIND_PRODUCER,
          rootMs / 2 + 1, 2);
      if (i < 12) {
        f.addLinks(Span.Link.newBuilder().setTraceId(traceId(i + 1)).setSpanId(spanId(i + 1, 'a'))
            .addAttributes(kv("link.reason", str("follows"))));
      }
      b.add("payment", f);
    }
    if (i % 3 == 0) {
      b.add("inventory", b.span("inventory", 'g', 'a', "process reservation", Span.SpanKind.SPAN_KIND_CONSUMER,
          30, 15)
          .addEvents(Span.Event.newBuilder().setName("reserved").setTimeUnixNano(BASE + i * 60_000 * MS + 32 * MS)
              .addAttributes(kv("qty", integer(i))))
          .addEvents(Span.Event.newBuilder().setName("committed").setTimeUnixNano(BASE + i * 60_000 * MS + 40 * MS)
              .addAttributes(kv("qty", integer(0)))));
      b.add("inventory", b.span("inventory", 'h', 'g', "compute", Span.SpanKind.SPAN_KIND_INTERNAL, 32, 5)
          .addAttributes(kv("weight", dbl(i / 4.0))));
    }
    if (i == 12) {
      b.add("inventory", b.span("inventory", 'x', 'y', "orphan", Span.SpanKind.SPAN_KIND_UNSPECIFIED, 50, 1));
    }
    return b.build();
  }

  static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue integer(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  static AnyValue dbl(double d) {
    return AnyValue.newBuilder().setDoubleValue(d).build();
  }
}
