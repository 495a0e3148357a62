package io.sightline.bench.traces;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated traces of a web shop, the same for every peer: a frontend request fans out to an order service, which
 * calls inventory and payment services and a database, ten spans a trace, with the attributes an instrumented
 * service records (HTTP, database, RPC, user agent), an error in about 2% of traces. Each trace is written as OTLP
 * (one ResourceSpans per service) or as Zipkin v2 JSON (about 1.1 KB a span), with fresh ids and times.
 */
final class TraceShapes {
  /** One span of the shape: who runs it, what it is, its parent within the trace (-1 for the root). */
  private record Step(int service, String name, Span.SpanKind kind, int parent, long offsetMicros, long durationMicros,
      Map<String, Object> attributes) {}

  static final String[] SERVICES = {"frontend", "order-service", "inventory-service", "payment-service",
      "postgres-proxy"};
  private static final List<Step> STEPS = List.of(
      new Step(0, "GET /checkout", Span.SpanKind.SPAN_KIND_SERVER, -1, 0, 180_000, http("GET", "/checkout", 200)),
      new Step(0, "POST /orders", Span.SpanKind.SPAN_KIND_CLIENT, 0, 2_000, 170_000, client("POST",
          "http://order-service:8080/orders")),
      new Step(1, "POST /orders", Span.SpanKind.SPAN_KIND_SERVER, 1, 3_000, 165_000, http("POST", "/orders", 201)),
      new Step(1, "GET /stock/{sku}", Span.SpanKind.SPAN_KIND_CLIENT, 2, 5_000, 40_000, client("GET",
          "http://inventory-service:8080/stock/sku-12345")),
      new Step(2, "GET /stock/{sku}", Span.SpanKind.SPAN_KIND_SERVER, 3, 6_000, 38_000, http("GET", "/stock/{sku}",
          200)),
      new Step(2, "SELECT stock", Span.SpanKind.SPAN_KIND_CLIENT, 4, 8_000, 20_000, db(
          "SELECT sku, quantity, warehouse_id FROM stock WHERE sku = $1 AND warehouse_id IN ($2, $3) FOR UPDATE")),
      new Step(1, "POST /payments", Span.SpanKind.SPAN_KIND_CLIENT, 2, 50_000, 100_000, client("POST",
          "http://payment-service:8080/payments")),
      new Step(3, "POST /payments", Span.SpanKind.SPAN_KIND_SERVER, 6, 51_000, 98_000, http("POST", "/payments",
          201)),
      new Step(3, "charge card", Span.SpanKind.SPAN_KIND_INTERNAL, 7, 55_000, 80_000, Map.of("payment.provider",
          "acme-pay", "payment.method", "card", "payment.currency", "EUR", "payment.amount", 129.9)),
      new Step(1, "INSERT orders", Span.SpanKind.SPAN_KIND_CLIENT, 2, 152_000, 12_000, db(
          "INSERT INTO orders (id, customer_id, total, currency, created_at) VALUES ($1, $2, $3, $4, now())")));

  static final int SPANS_PER_TRACE = STEPS.size();

  private final SplittableRandom random;
  private final List<Resource> resources = new ArrayList<>();
  private final InstrumentationScope scope = InstrumentationScope.newBuilder()
      .setName("io.opentelemetry.javaagent").setVersion("2.10.0").build();
  private final List<List<KeyValue>> attributes = new ArrayList<>();

  TraceShapes(long seed) {
    random = new SplittableRandom(seed);
    for (int s = 0; s < SERVICES.length; s++) {
      resources.add(Resource.newBuilder()
          .addAttributes(kv("service.name", SERVICES[s])).addAttributes(kv("service.namespace", "shop"))
          .addAttributes(kv("service.version", "1." + s + ".3"))
          .addAttributes(kv("service.instance.id", SERVICES[s] + "-7d9f8b6c4-x2x" + s))
          .addAttributes(kv("host.name", "node-" + (s % 3)))
          .addAttributes(kv("k8s.namespace.name", "shop")).addAttributes(kv("k8s.pod.name",
              SERVICES[s] + "-7d9f8b6c4-x2x" + s))
          .addAttributes(kv("telemetry.sdk.language", "java")).addAttributes(kv("telemetry.sdk.name",
              "opentelemetry")).addAttributes(kv("telemetry.sdk.version", "1.44.1")).build());
    }
    for (Step step : STEPS) {
      List<KeyValue> kvs = new ArrayList<>();
      step.attributes.forEach((k, v) -> kvs.add(kv(k, v)));
      attributes.add(kvs);
    }
  }

  /** A trace's identity and timing, as written; kept for the queries that look it up afterwards. */
  record TraceId(String hex, long startNanos) {}

  /** {@code traces} new traces starting around {@code nowNanos}, as one OTLP request. */
  byte[] otlp(int traces, long nowNanos, List<TraceId> ids) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    List<ResourceSpans.Builder> byService = new ArrayList<>();
    for (int s = 0; s < SERVICES.length; s++) {
      byService.add(ResourceSpans.newBuilder().setResource(resources.get(s)));
    }
    List<ScopeSpans.Builder> scopes = new ArrayList<>();
    for (int s = 0; s < SERVICES.length; s++) {
      scopes.add(ScopeSpans.newBuilder().setScope(scope));
    }
    for (int t = 0; t < traces; t++) {
      byte[] traceId = randomBytes(16);
      long start = nowNanos - random.nextLong(1_000_000_000L);
      boolean error = random.nextInt(50) == 0;
      long jitter = 50 + random.nextInt(100);
      byte[][] spanIds = new byte[STEPS.size()][];
      for (int i = 0; i < STEPS.size(); i++) {
        spanIds[i] = randomBytes(8);
      }
      ids.add(new TraceId(HexFormat.of().formatHex(traceId), start));
      for (int i = 0; i < STEPS.size(); i++) {
        Step step = STEPS.get(i);
        long spanStart = start + step.offsetMicros * 1000;
        long duration = step.durationMicros * jitter / 100 * 1000;
        Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(spanIds[i])).setName(step.name).setKind(step.kind)
            .setStartTimeUnixNano(spanStart).setEndTimeUnixNano(spanStart + duration)
            .addAllAttributes(attributes.get(i));
        if (step.parent >= 0) {
          span.setParentSpanId(ByteString.copyFrom(spanIds[step.parent]));
        }
        if (error && step.service == 3) {
          span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(
              "card declined"));
        }
        scopes.get(step.service).addSpans(span);
      }
    }
    for (int s = 0; s < SERVICES.length; s++) {
      if (scopes.get(s).getSpansCount() > 0) {
        request.addResourceSpans(byService.get(s).addScopeSpans(scopes.get(s)));
      }
    }
    return request.build().toByteArray();
  }

  /** The same traces as Zipkin v2 JSON ({@code POST /api/v2/spans}). */
  byte[] zipkin(int traces, long nowNanos, List<TraceId> ids) {
    StringBuilder b = new StringBuilder(traces * SPANS_PER_TRACE * 1200);
    b.append('[');
    for (int t = 0; t < traces; t++) {
      String traceId = HexFormat.of().formatHex(randomBytes(16));
      long start = nowNanos - random.nextLong(1_000_000_000L);
      boolean error = random.nextInt(50) == 0;
      long jitter = 50 + random.nextInt(100);
      String[] spanIds = new String[STEPS.size()];
      for (int i = 0; i < STEPS.size(); i++) {
        spanIds[i] = HexFormat.of().formatHex(randomBytes(8));
      }
      ids.add(new TraceId(traceId, start));
      for (int i = 0; i < STEPS.size(); i++) {
        Step step = STEPS.get(i);
        if (b.length() > 1) {
          b.append(',');
        }
        long startMicros = start / 1000 + step.offsetMicros;
        b.append("{\"traceId\":\"").append(traceId).append("\",\"id\":\"").append(spanIds[i]).append('"');
        if (step.parent >= 0) {
          b.append(",\"parentId\":\"").append(spanIds[step.parent]).append('"');
        }
        String kind = zipkinKind(step.kind);
        if (kind != null) {
          b.append(",\"kind\":\"").append(kind).append('"');
        }
        b.append(",\"name\":\"")
            .append(step.name.toLowerCase(java.util.Locale.ROOT)).append("\",\"timestamp\":").append(startMicros)
            .append(",\"duration\":").append(step.durationMicros * jitter / 100)
            .append(",\"localEndpoint\":{\"serviceName\":\"").append(SERVICES[step.service])
            .append("\",\"ipv4\":\"10.1.0.").append(10 + step.service).append("\",\"port\":8080}");
        b.append(",\"tags\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : step.attributes.entrySet()) {
          b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
          first = false;
        }
        Resource r = resources.get(step.service);
        for (KeyValue kv : r.getAttributesList()) {
          if (!kv.getKey().equals("service.name")) {
            b.append(",\"").append(kv.getKey()).append("\":\"").append(kv.getValue().getStringValue()).append('"');
          }
        }
        if (error && step.service == 3) {
          b.append(",\"error\":\"card declined\"");
        }
        b.append("}}");
      }
    }
    return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Zipkin's kind of a span, null for a local (internal) one. */
  private static String zipkinKind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_SERVER -> "SERVER";
      case SPAN_KIND_CLIENT -> "CLIENT";
      case SPAN_KIND_PRODUCER -> "PRODUCER";
      case SPAN_KIND_CONSUMER -> "CONSUMER";
      default -> null; // Zipkin has no kind for a local span: it leaves the field out
    };
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i += 8) {
      long x = random.nextLong();
      for (int j = 0; j < 8 && i + j < n; j++) {
        b[i + j] = (byte) (x >>> (8 * j));
      }
    }
    return b;
  }

  private static Map<String, Object> http(String method, String route, int status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("http.request.method", method);
    m.put("http.route", route);
    m.put("http.response.status_code", (long) status);
    m.put("url.scheme", "http");
    m.put("server.address", "shop.example.com");
    m.put("network.protocol.version", "1.1");
    m.put("client.address", "10.2.3.4");
    m.put("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/126.0 Safari/537.36");
    return m;
  }

  private static Map<String, Object> client(String method, String url) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("http.request.method", method);
    m.put("url.full", url);
    m.put("http.response.status_code", 200L);
    m.put("server.address", url.replaceFirst("http://([^:/]+).*", "$1"));
    m.put("server.port", 8080L);
    m.put("network.protocol.version", "1.1");
    return m;
  }

  private static Map<String, Object> db(String statement) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("db.system.name", "postgresql");
    m.put("db.namespace", "shop");
    m.put("db.query.text", statement);
    m.put("db.operation.name", statement.substring(0, statement.indexOf(' ')));
    m.put("server.address", "postgres.shop.svc");
    m.put("server.port", 5432L);
    return m;
  }

  private static KeyValue kv(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (value) {
      case Long l -> v.setIntValue(l);
      case Double d -> v.setDoubleValue(d);
      default -> v.setStringValue(value.toString());
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }
}
