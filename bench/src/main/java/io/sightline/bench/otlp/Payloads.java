package io.sightline.bench.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Random;

/**
 * Builds request bodies that look like what instrumented services send: a resource per service, traces of 5 to 10
 * spans with HTTP and database attributes, counters, gauges and histograms over a realistic set of label values, and
 * log lines tied to traces. Deterministic for a given seed.
 */
final class Payloads {
  private static final String[] SERVICES = {"checkout", "cart", "payment", "inventory", "shipping", "frontend"};
  private static final String[] ROUTES = {"/api/orders", "/api/orders/{id}", "/api/cart", "/api/pay", "/health",
      "/api/items/{sku}", "/api/users/{id}/profile"};
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] DB_STATEMENTS = {"SELECT * FROM orders WHERE id = ?",
      "UPDATE inventory SET qty = qty - ? WHERE sku = ?", "INSERT INTO payments (order_id, amount) VALUES (?, ?)"};
  private static final long NANOS_PER_MS = 1_000_000L;

  private final Random random;
  private final long now = System.currentTimeMillis() * NANOS_PER_MS;

  Payloads(long seed) {
    this.random = new Random(seed);
  }

  byte[] build(Signal signal, int items) {
    return switch (signal) {
      case TRACES -> traces(items).toByteArray();
      case METRICS -> metrics(items).toByteArray();
      case LOGS -> logs(items).toByteArray();
    };
  }

  enum Signal { TRACES, METRICS, LOGS }

  private Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", service))
        .addAttributes(kv("service.version", "1." + random.nextInt(5) + "." + random.nextInt(20)))
        .addAttributes(kv("service.namespace", "shop"))
        .addAttributes(kv("host.name", "node-" + random.nextInt(12)))
        .addAttributes(kv("k8s.pod.name", service + "-" + Long.toHexString(random.nextLong()).substring(0, 10)))
        .addAttributes(kv("k8s.namespace.name", "production"))
        .addAttributes(kv("telemetry.sdk.language", "java"))
        .build();
  }

  ExportTraceServiceRequest traces(int spans) {
    String service = SERVICES[random.nextInt(SERVICES.length)];
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.9.0"));
    int made = 0;
    while (made < spans) {
      int size = Math.min(spans - made, 5 + random.nextInt(6));
      ByteString traceId = bytes(16);
      ByteString rootId = bytes(8);
      long start = now - random.nextInt(60_000) * NANOS_PER_MS;
      for (int i = 0; i < size; i++) {
        boolean root = i == 0;
        ByteString id = root ? rootId : bytes(8);
        long begin = start + (root ? 0 : random.nextInt(50) * NANOS_PER_MS);
        long duration = (1 + random.nextInt(root ? 400 : 80)) * NANOS_PER_MS;
        Span.Builder span = Span.newBuilder().setTraceId(traceId).setSpanId(id)
            .setStartTimeUnixNano(begin).setEndTimeUnixNano(begin + duration);
        if (root) {
          String method = METHODS[random.nextInt(METHODS.length)];
          String route = ROUTES[random.nextInt(ROUTES.length)];
          int status = random.nextInt(100) < 3 ? 500 : 200;
          span.setName(method + " " + route).setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .addAttributes(kv("http.request.method", method))
              .addAttributes(kv("http.route", route))
              .addAttributes(kv("url.path", route.replace("{id}", Integer.toString(random.nextInt(100000)))))
              .addAttributes(kvInt("http.response.status_code", status))
              .addAttributes(kv("server.address", service + ".shop.svc"))
              .addAttributes(kvInt("server.port", 8080))
              .addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) shop-client/3.2"))
              .addAttributes(kv("network.protocol.version", "1.1"));
          if (status == 500) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
          }
        } else {
          String statement = DB_STATEMENTS[random.nextInt(DB_STATEMENTS.length)];
          span.setName(statement.substring(0, statement.indexOf(' ')) + " shop").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .setParentSpanId(rootId)
              .addAttributes(kv("db.system", "postgresql"))
              .addAttributes(kv("db.name", "shop"))
              .addAttributes(kv("db.statement", statement))
              .addAttributes(kv("db.operation", statement.substring(0, statement.indexOf(' '))))
              .addAttributes(kv("server.address", "postgres.shop.svc"))
              .addAttributes(kvInt("server.port", 5432))
              .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)))
              .addAttributes(kvInt("thread.id", random.nextInt(300)));
          if (random.nextInt(10) == 0) {
            span.addEvents(Span.Event.newBuilder().setName("retry").setTimeUnixNano(begin + duration / 2)
                .addAttributes(kvInt("attempt", 2)));
          }
        }
        scope.addSpans(span);
      }
      made += size;
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(scope)).build();
  }

  ExportMetricsServiceRequest metrics(int points) {
    String service = SERVICES[random.nextInt(SERVICES.length)];
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.runtime-telemetry-java17"));
    long start = now - 3_600_000 * NANOS_PER_MS;
    int made = 0;
    int kind = 0;
    while (made < points) {
      int n = Math.min(points - made, 10);
      Metric.Builder metric = Metric.newBuilder();
      switch (kind++ % 3) {
        case 0 -> {
          Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          for (int i = 0; i < n; i++) {
            sum.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(now)
                .setAsInt(random.nextInt(1_000_000)).addAllAttributes(routeLabels()));
          }
          metric.setName("http.server.requests").setUnit("{request}").setSum(sum);
        }
        case 1 -> {
          Gauge.Builder gauge = Gauge.newBuilder();
          for (int i = 0; i < n; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsDouble(random.nextDouble() * 1e9)
                .addAttributes(kv("jvm.memory.pool.name", "pool-" + i)).addAttributes(kv("jvm.memory.type", "heap")));
          }
          metric.setName("jvm.memory.used").setUnit("By").setGauge(gauge);
        }
        default -> {
          Histogram.Builder histogram = Histogram.newBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          for (int i = 0; i < n; i++) {
            HistogramDataPoint.Builder dp = HistogramDataPoint.newBuilder().setStartTimeUnixNano(start)
                .setTimeUnixNano(now).addAllAttributes(routeLabels());
            long count = 0;
            for (double bound : new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}) {
              dp.addExplicitBounds(bound);
              long c = random.nextInt(1000);
              dp.addBucketCounts(c);
              count += c;
            }
            dp.addBucketCounts(random.nextInt(10));
            histogram.addDataPoints(dp.setCount(count + dp.getBucketCounts(11)).setSum(count * 0.08));
          }
          metric.setName("http.server.request.duration").setUnit("s").setHistogram(histogram);
        }
      }
      scope.addMetrics(metric);
      made += n;
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(service)).addScopeMetrics(scope)).build();
  }

  ExportLogsServiceRequest logs(int records) {
    String service = SERVICES[random.nextInt(SERVICES.length)];
    ScopeLogs.Builder scope = ScopeLogs.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("org.example.shop.OrderService"));
    for (int i = 0; i < records; i++) {
      boolean error = random.nextInt(20) == 0;
      String body = error
          ? "Payment declined for order " + random.nextInt(1_000_000) + ": card issuer timeout after 3000 ms, "
              + "will retry with backoff (attempt " + (1 + random.nextInt(3)) + " of 3)"
          : "Order " + random.nextInt(1_000_000) + " placed by customer " + random.nextInt(100_000) + " with "
              + (1 + random.nextInt(9)) + " items, total " + random.nextInt(50_000) / 100.0 + " EUR, region eu-west-1";
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(now - random.nextInt(60_000) * NANOS_PER_MS)
          .setObservedTimeUnixNano(now)
          .setSeverityNumber(error ? SeverityNumber.SEVERITY_NUMBER_ERROR : SeverityNumber.SEVERITY_NUMBER_INFO)
          .setSeverityText(error ? "ERROR" : "INFO")
          .setBody(AnyValue.newBuilder().setStringValue(body))
          .setTraceId(bytes(16)).setSpanId(bytes(8))
          .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)))
          .addAttributes(kv("code.function", error ? "charge" : "place"))
          .addAttributes(kvInt("order.items", 1 + random.nextInt(9))));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(service)).addScopeLogs(scope)).build();
  }

  private List<KeyValue> routeLabels() {
    return List.of(kv("http.request.method", METHODS[random.nextInt(METHODS.length)]),
        kv("http.route", ROUTES[random.nextInt(ROUTES.length)]),
        kvInt("http.response.status_code", random.nextInt(100) < 3 ? 500 : 200));
  }

  private ByteString bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue kvInt(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }
}
