package io.sightline.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.sightline.server.testing.RemoteWriteMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.xerial.snappy.Snappy;

/**
 * The deterministic data the UI tests look at, sent the way real clients send it: the shop's traces and logs with
 * the OpenTelemetry Java SDK over OTLP/gRPC, and an hour of Prometheus series (with exemplars pointing at those
 * traces) over remote write. Everything is derived from one seed and one anchor time, so the same run always shows
 * the same ids, names and values.
 *
 * <p>Each trace: {@code order-service} {@code POST /orders} (server) calls {@code inventory-service}
 * {@code GET /inventory/{sku}}, which queries PostgreSQL, then {@code payment-service} {@code POST /payments},
 * which calls the external {@code api.stripe.example}. Every fifth trace's payment is declined: the payment and the
 * order spans are errors and payment-service logs an ERROR line. Every span logs one line with its trace context.
 */
public final class UiDataSet {
  /** Traces in the 30 minutes before the last one, one a minute; the span metrics see only the recent ones (the generator's slack). */
  public static final int HISTORIC_TRACES = 30;
  /** Traces in the last few seconds, which the metrics generator turns into span and service-graph metrics. */
  public static final int RECENT_TRACES = 10;
  public static final String ORDER = "order-service";
  public static final String INVENTORY = "inventory-service";
  public static final String PAYMENT = "payment-service";

  /** One generated trace: its id (32 hex), when it started, whether the payment failed. */
  public record ShopTrace(String traceId, long startMillis, boolean failed, String rootSpanId, String paymentSpanId) {}

  private final long anchorMillis;
  private final List<ShopTrace> traces = new ArrayList<>();

  private UiDataSet(long anchorMillis) {
    this.anchorMillis = anchorMillis;
  }

  public List<ShopTrace> traces() {
    return traces;
  }

  /** The first trace whose payment failed. */
  public ShopTrace failedTrace() {
    return traces.stream().filter(ShopTrace::failed).findFirst().orElseThrow();
  }

  /** The first trace whose payment went through. */
  public ShopTrace okTrace() {
    return traces.stream().filter(t -> !t.failed()).findFirst().orElseThrow();
  }

  /** The time everything is placed before: the load time rounded down to 15 s. */
  public long anchorMillis() {
    return anchorMillis;
  }

  /** Sends the whole data set to a server: OTLP/gRPC at {@code otlpGrpcPort}, remote write at {@code httpPort}. */
  public static UiDataSet load(int otlpGrpcPort, int httpPort) throws Exception {
    UiDataSet data = new UiDataSet(System.currentTimeMillis() / 15_000 * 15_000);
    data.sendTraces("http://127.0.0.1:" + otlpGrpcPort);
    data.remoteWrite(httpPort);
    return data;
  }

  private void sendTraces(String endpoint) {
    IdGenerator ids = new SeededIds(new Random(42));
    Map<String, SdkTracerProvider> tracers = new LinkedHashMap<>();
    Map<String, SdkLoggerProvider> loggers = new LinkedHashMap<>();
    for (String service : List.of(ORDER, INVENTORY, PAYMENT)) {
      Resource resource = Resource.create(Attributes.builder().put("service.name", service)
          .put("service.namespace", "shop").put("deployment.environment.name", "test")
          .put("service.instance.id", service + "-1").build());
      tracers.put(service, SdkTracerProvider.builder().setResource(resource).setIdGenerator(ids)
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build())
              .build())
          .build());
      // Batched: a simple processor exports every record in a call of its own, and the exporter's small pool
      // rejects (drops) records when dozens are in flight at once, so the data set would lose lines at random.
      loggers.put(service, SdkLoggerProvider.builder().setResource(resource)
          .addLogRecordProcessor(BatchLogRecordProcessor.builder(
              OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint).build()).build())
          .build());
    }
    Random random = new Random(7);
    try {
      for (int i = 0; i < HISTORIC_TRACES + RECENT_TRACES; i++) {
        // The historic traces end at least 40 s before now, beyond the generator's 30 s slack, so the span
        // metrics count exactly the recent ones whatever the timing of the run.
        long start = i < HISTORIC_TRACES
            ? anchorMillis - (HISTORIC_TRACES - i + 1) * 60_000L + random.nextInt(20_000)
            : System.currentTimeMillis() - 5_000 + (i - HISTORIC_TRACES) * 300L;
        traces.add(trace(i, start, i % 5 == 3, random, tracers, loggers));
      }
      for (SdkTracerProvider p : tracers.values()) {
        assertThat(p.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).as("spans exported").isTrue();
      }
      for (SdkLoggerProvider p : loggers.values()) {
        assertThat(p.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).as("logs exported").isTrue();
      }
    } finally {
      tracers.values().forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
      loggers.values().forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
    }
  }

  private ShopTrace trace(int n, long startMillis, boolean failed, Random random,
      Map<String, SdkTracerProvider> tracers, Map<String, SdkLoggerProvider> loggers) {
    Tracer orders = tracers.get(ORDER).get("io.sightline.demo.orders", "1.0.0");
    Tracer inventory = tracers.get(INVENTORY).get("io.sightline.demo.inventory", "1.0.0");
    Tracer payments = tracers.get(PAYMENT).get("io.sightline.demo.payments", "1.0.0");
    String sku = "SKU-" + (100 + n % 7);
    long t = startMillis * 1000; // microseconds from here on
    Span root = orders.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER).setStartTimestamp(t, TimeUnit.MICROSECONDS)
        .setAttribute("http.request.method", "POST").setAttribute("http.route", "/orders")
        .setAttribute("order.id", "order-" + n).setAttribute("customer.tier", n % 3 == 0 ? "gold" : "standard")
        .startSpan();
    log(loggers.get(ORDER), root, t + 200, Severity.INFO, "received order order-" + n + " for " + sku);
    root.addEvent("order.validated", Attributes.of(AttributeKey.stringKey("sku"), sku), t + 400, TimeUnit.MICROSECONDS);

    long invStart = t + 1_000;
    long invDur = 8_000 + random.nextInt(6_000);
    Span invClient = child(orders, root, "GET /inventory/{sku}", SpanKind.CLIENT, invStart)
        .setAttribute("server.address", "inventory-service").startSpan();
    Span invServer = remoteChild(inventory, invClient, "GET /inventory/{sku}", SpanKind.SERVER, invStart + 300)
        .setAttribute("http.route", "/inventory/{sku}").setAttribute("sku", sku).startSpan();
    Span db = child(inventory, invServer, "SELECT stock", SpanKind.CLIENT, invStart + 800)
        .setAttribute("db.system.name", "postgresql").setAttribute("db.query.text", "SELECT qty FROM stock WHERE sku = $1")
        .startSpan();
    db.end(invStart + 800 + invDur / 2, TimeUnit.MICROSECONDS);
    log(loggers.get(INVENTORY), invServer, invStart + 900, Severity.INFO, "reserved 1 of " + sku);
    invServer.end(invStart + invDur - 300, TimeUnit.MICROSECONDS);
    invClient.end(invStart + invDur, TimeUnit.MICROSECONDS);

    long payStart = invStart + invDur + 500;
    long payDur = 30_000 + random.nextInt(40_000) + (failed ? 60_000 : 0);
    Span payClient = child(orders, root, "POST /payments", SpanKind.CLIENT, payStart)
        .setAttribute("server.address", "payment-service").startSpan();
    Span payServer = remoteChild(payments, payClient, "POST /payments", SpanKind.SERVER, payStart + 400)
        .setAttribute("http.route", "/payments").startSpan();
    Span stripe = child(payments, payServer, "POST", SpanKind.CLIENT, payStart + 1_000)
        .setAttribute("server.address", "api.stripe.example").setAttribute("http.request.method", "POST")
        .setAttribute("url.full", "https://api.stripe.example/charges").startSpan();
    stripe.end(payStart + payDur - 2_000, TimeUnit.MICROSECONDS);
    if (failed) {
      stripe.setAttribute("http.response.status_code", 402L);
      payServer.setStatus(StatusCode.ERROR, "card declined");
      payServer.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.type"), "CardDeclinedException",
          AttributeKey.stringKey("exception.message"), "card declined"), payStart + payDur - 1_500, TimeUnit.MICROSECONDS);
      log(loggers.get(PAYMENT), payServer, payStart + payDur - 1_400, Severity.ERROR,
          "charge failed for order-" + n + ": card declined");
      root.setStatus(StatusCode.ERROR, "payment failed");
      root.setAttribute("http.response.status_code", 502L);
    } else {
      log(loggers.get(PAYMENT), payServer, payStart + payDur - 1_400, Severity.INFO, "charged order-" + n);
      root.setAttribute("http.response.status_code", 201L);
    }
    payServer.end(payStart + payDur - 400, TimeUnit.MICROSECONDS);
    payClient.end(payStart + payDur, TimeUnit.MICROSECONDS);
    log(loggers.get(ORDER), root, payStart + payDur + 300, failed ? Severity.WARN : Severity.INFO,
        failed ? "order order-" + n + " rejected: payment failed" : "order order-" + n + " placed");
    root.end(payStart + payDur + 1_000, TimeUnit.MICROSECONDS);
    return new ShopTrace(root.getSpanContext().getTraceId(), startMillis, failed, root.getSpanContext().getSpanId(),
        payServer.getSpanContext().getSpanId());
  }

  private static io.opentelemetry.api.trace.SpanBuilder child(Tracer tracer, Span parent, String name, SpanKind kind,
      long startMicros) {
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(Context.root().with(parent))
        .setStartTimestamp(startMicros, TimeUnit.MICROSECONDS);
  }

  /** A span in another service, parented as W3C propagation would: through a remote span context. */
  private static io.opentelemetry.api.trace.SpanBuilder remoteChild(Tracer tracer, Span client, String name,
      SpanKind kind, long startMicros) {
    SpanContext remote = SpanContext.createFromRemoteParent(client.getSpanContext().getTraceId(),
        client.getSpanContext().getSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(Context.root().with(Span.wrap(remote)))
        .setStartTimestamp(startMicros, TimeUnit.MICROSECONDS);
  }

  private static void log(SdkLoggerProvider provider, Span span, long micros, Severity severity, String body) {
    Logger logger = provider.get("io.sightline.demo");
    logger.logRecordBuilder().setContext(Context.root().with(span)).setTimestamp(micros, TimeUnit.MICROSECONDS)
        .setSeverity(severity).setSeverityText(severity.name()).setBody(body).emit();
  }

  // ---- remote write: an hour of shop series at 15 s ------------------------------------------------------------

  /** The classic histogram's bucket bounds, in seconds. */
  static final double[] LATENCY_BUCKETS = {0.025, 0.05, 0.1, 0.25, 0.5, 1};

  private void remoteWrite(int httpPort) throws Exception {
    Random random = new Random(11);
    List<byte[]> series = new ArrayList<>();
    int points = 240;
    long first = anchorMillis - (points - 1) * 15_000L;
    for (String service : List.of(ORDER, INVENTORY, PAYMENT)) {
      for (String status : List.of("200", "500")) {
        long[] ts = new long[points];
        double[] vs = new double[points];
        double total = 0;
        for (int i = 0; i < points; i++) {
          ts[i] = first + i * 15_000L;
          total += status.equals("200") ? 20 + random.nextInt(10) : random.nextInt(3);
          vs[i] = total;
        }
        series.add(RemoteWriteMessages.series(labels("__name__", "shop_http_requests_total", "job", service, "instance",
            service + ":8080", "status", status), ts, vs));
      }
      double memory = 200e6;
      long[] ts = new long[points];
      double[] vs = new double[points];
      for (int i = 0; i < points; i++) {
        ts[i] = first + i * 15_000L;
        memory = Math.max(50e6, memory + (random.nextGaussian() * 2e6));
        vs[i] = Math.round(memory);
      }
      series.add(RemoteWriteMessages.series(labels("__name__", "process_resident_memory_bytes", "job", service, "instance",
          service + ":8080"), ts, vs));
    }
    // order-service's request latency histogram; each trace of the data set is an exemplar of the bucket its
    // duration falls in, at the trace's start.
    double[] counts = new double[LATENCY_BUCKETS.length + 1];
    long[] ts = new long[points];
    double[][] bucketValues = new double[counts.length][points];
    double[] sum = new double[points];
    double[] count = new double[points];
    double runningSum = 0;
    for (int i = 0; i < points; i++) {
      ts[i] = first + i * 15_000L;
      for (int r = 0; r < 20; r++) {
        double latency = 0.02 + random.nextDouble() * random.nextDouble() * 0.6;
        runningSum += latency;
        for (int b = 0; b < counts.length; b++) {
          if (b == LATENCY_BUCKETS.length || latency <= LATENCY_BUCKETS[b]) {
            counts[b]++;
          }
        }
      }
      for (int b = 0; b < counts.length; b++) {
        bucketValues[b][i] = counts[b];
      }
      sum[i] = runningSum;
      count[i] = counts[LATENCY_BUCKETS.length];
    }
    for (int b = 0; b < counts.length; b++) {
      String le = b == LATENCY_BUCKETS.length ? "+Inf" : Double.toString(LATENCY_BUCKETS[b]);
      List<byte[]> exemplars = new ArrayList<>();
      if (le.equals("0.25")) {
        for (ShopTrace trace : traces) {
          if (trace.startMillis() < anchorMillis) {
            exemplars.add(RemoteWriteMessages.exemplar(labels("trace_id", trace.traceId(), "span_id", trace.rootSpanId()),
                trace.failed() ? 0.2 : 0.1, trace.startMillis()));
          }
        }
      }
      series.add(RemoteWriteMessages.series(labels("__name__", "shop_http_request_duration_seconds_bucket", "job", ORDER,
          "instance", ORDER + ":8080", "le", le), ts, bucketValues[b], exemplars.toArray(byte[][]::new)));
    }
    series.add(RemoteWriteMessages.series(labels("__name__", "shop_http_request_duration_seconds_sum", "job", ORDER, "instance",
        ORDER + ":8080"), ts, sum));
    series.add(RemoteWriteMessages.series(labels("__name__", "shop_http_request_duration_seconds_count", "job", ORDER, "instance",
        ORDER + ":8080"), ts, count));

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/api/v1/write"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(RemoteWriteMessages.request(series.toArray(byte[][]::new))))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  /** Label pairs sorted by name, as remote write requires. */
  private static String[] labels(String... pairs) {
    List<String[]> sorted = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      sorted.add(new String[] {pairs[i], pairs[i + 1]});
    }
    sorted.sort((x, y) -> x[0].compareTo(y[0]));
    return sorted.stream().flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  /** Trace and span ids from a seeded generator, so every run has the same ids. */
  private static final class SeededIds implements IdGenerator {
    private final Random random;

    SeededIds(Random random) {
      this.random = random;
    }

    @Override
    public synchronized String generateSpanId() {
      byte[] b = new byte[8];
      random.nextBytes(b);
      return HexFormat.of().formatHex(b);
    }

    @Override
    public synchronized String generateTraceId() {
      byte[] b = new byte[16];
      random.nextBytes(b);
      return HexFormat.of().formatHex(b);
    }
  }
}
