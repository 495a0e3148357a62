package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sightline.server.testing.ServerProcess;
import io.sightline.tracestore.TraceStoreConfig;
import io.sightline.tracestore.db.TraceDb;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in its own process takes spans from the OpenTelemetry SDK's OTLP/gRPC exporter and is killed with SIGKILL
 * mid-stream; every span of an export the server had acknowledged is then in its trace store, read directly from
 * the data directory, and served by Tempo's API once the server is started again on it.
 */
class TraceDurabilityTest {
  /** Two senders, so that exports are in flight when the kill lands. */
  private static final int SENDERS = 2;
  private static final Duration STREAM_BEFORE_KILL = Duration.ofSeconds(3);

  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyAcknowledgedSpanIsInTheStoreAfterAKill9() throws Exception {
    Path data = dir.resolve("data");
    Map<String, Set<String>> acknowledged = streamAndKill(data);
    try (TraceDb store = TraceDb.open(data.resolve("traces"), TraceStoreConfig.defaults())) {
      long found = 0;
      for (var trace : acknowledged.entrySet()) {
        Optional<TracesData> stored = store.trace(HexFormat.of().parseHex(trace.getKey()), 0, Long.MAX_VALUE);
        assertThat(stored).as("trace %s", trace.getKey()).isPresent();
        Set<String> ids = spanIds(stored.get());
        assertThat(ids).as("spans of trace %s", trace.getKey()).containsAll(trace.getValue());
        found += trace.getValue().size();
      }
      assertThat(found).isEqualTo(acknowledged.values().stream().mapToLong(Set::size).sum());
    }
  }

  @Test
  void aRestartedServerServesTracesAcknowledgedBeforeTheKill() throws Exception {
    Path data = dir.resolve("data");
    Map<String, Set<String>> acknowledged = streamAndKill(data);
    int httpPort = ServerProcess.freePort();
    Process again = start(data, httpPort, ServerProcess.freePort(), "restart");
    try {
      awaitReady(httpPort, again, "restart");
      // The first and the last acknowledged traces: the oldest WAL records and those written just before the kill.
      List<String> ids = List.copyOf(acknowledged.keySet());
      for (String traceId : List.of(ids.get(0), ids.get(ids.size() - 1))) {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
            + "/api/v2/traces/" + traceId)).header("Accept", "application/protobuf").build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("trace %s", traceId).isEqualTo(200);
        assertThat(spanIds(traceOf(r.body()))).containsAll(acknowledged.get(traceId));
      }
    } finally {
      again.destroy(); // a graceful stop this time
      again.waitFor(30, TimeUnit.SECONDS);
      again.destroyForcibly();
    }
  }

  /**
   * Starts a server on {@code data}, exports spans to it from {@link #SENDERS} threads, kills it with SIGKILL after
   * {@link #STREAM_BEFORE_KILL} while they keep sending, and returns the span ids (by trace id, in hex) of the exports
   * that succeeded.
   */
  private Map<String, Set<String>> streamAndKill(Path data) throws Exception {
    int httpPort = ServerProcess.freePort();
    int grpcPort = ServerProcess.freePort();
    Process server = start(data, httpPort, grpcPort, "first");
    Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
    List<Thread> senders = new java.util.ArrayList<>();
    try {
      awaitReady(httpPort, server, "first");
      OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort)
          .setTimeout(Duration.ofSeconds(5)).build();
      for (int i = 0; i < SENDERS; i++) {
        int sender = i;
        senders.add(Thread.ofPlatform().name("sender-" + i).start(() -> send(exporter, sender, stop, acknowledged, failed)));
      }
      Thread.sleep(STREAM_BEFORE_KILL.toMillis());
      server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      for (Thread t : senders) {
        t.join(TimeUnit.SECONDS.toMillis(20));
      }
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      server.destroyForcibly();
    }
    long spans = acknowledged.values().stream().mapToLong(Set::size).sum();
    assertThat(spans).as("spans acknowledged before the kill; server log:\n%s",
        Files.readString(dir.resolve("first.log"))).isGreaterThan(100);
    return acknowledged;
  }

  /** Exports batches of one small trace each (a root and its children), until told to stop or the server is gone. */
  private static void send(OtlpGrpcSpanExporter exporter, int sender, AtomicBoolean stop,
      Map<String, Set<String>> acknowledged, java.util.concurrent.atomic.AtomicLong failed) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().toBuilder().put("service.name", "durability-" + sender).build())
        .addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
      Tracer tracer = provider.get("durability");
      int failuresInARow = 0;
      while (!stop.get() && failuresInARow < 3) {
        Span root = tracer.spanBuilder("batch").startSpan();
        for (int i = 0; i < 19; i++) {
          tracer.spanBuilder("child-" + i).setParent(Context.root().with(root)).setAttribute("i", i).startSpan()
              .end();
        }
        root.end();
        List<SpanData> batch = List.copyOf(memory.getFinishedSpanItems());
        memory.reset();
        CompletableResultCode result = exporter.export(batch).join(10, TimeUnit.SECONDS);
        if (result.isSuccess()) {
          failuresInARow = 0;
          for (SpanData s : batch) {
            acknowledged.computeIfAbsent(s.getTraceId(), k -> ConcurrentHashMap.newKeySet()).add(s.getSpanId());
          }
        } else {
          failed.incrementAndGet();
          failuresInARow++;
        }
      }
    }
  }

  private Process start(Path data, int httpPort, int grpcPort, String name) throws IOException {
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(config, """
        server:
          http: {endpoint: "127.0.0.1:%d"}
          data_dir: %s
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "127.0.0.1:%d"}
              http: {endpoint: "127.0.0.1:0"}
        service:
          pipelines:
            traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [sightline]}
        """.formatted(httpPort, data, grpcPort));
    return ServerProcess.start(config, dir.resolve(name + ".log"));
  }

  private void awaitReady(int port, Process process, String name) throws Exception {
    ServerProcess.awaitReady(port, process, dir.resolve(name + ".log"));
  }

  private static Set<String> spanIds(TracesData trace) {
    Set<String> ids = new HashSet<>();
    trace.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
        .forEach(s -> ids.add(hex(s.getSpanId())))));
    return ids;
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  /** tempopb.TraceByIDResponse: field 1 is the trace (OTLP's TracesData on the wire). */
  private static TracesData traceOf(byte[] body) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(body);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 == 1) {
        return TracesData.parseFrom(in.readBytes());
      }
      in.skipField(tag);
    }
    throw new AssertionError("no trace in the answer");
  }
}
