package io.sightline.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Overload: an exporter that keeps everything (as a store's head does until it flushes) fills the heap; the memory
 * limiter must refuse with 429 / RESOURCE_EXHAUSTED before the hard limit is reached; once memory is freed, the
 * SDK's own retries succeed, and every span that was sent is there exactly once. When the refusal comes depends on
 * when the JVM collects, so the client sends until it has seen one (at most {@code MAX_EXPORTS} batches).
 */
class MemoryLimiterOverloadTest {
  private static final long MIB = 1 << 20;
  private static final int SPANS_PER_EXPORT = 40;
  /** Exports go on until the limiter has refused (when a GC shows it is needed), then this many more. */
  private static final int EXPORTS_AFTER_REFUSAL = 20;
  private static final int MAX_EXPORTS = 1000;
  /** Each span carries this much payload, so that 2400 spans are ~150 MiB of live data. */
  private static final int PAYLOAD_BYTES = 64 * 1024;

  @TempDir
  Path dataDir;

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void refusesUnderOverloadAndLosesNothing(String protocol) throws Exception {
    System.gc();
    long baseline = heapUsed();
    long limitMib = baseline / MIB + 160;
    String config = """
        processors:
          memory_limiter:
            check_interval: 50ms
            limit_mib: %d
            spike_limit_mib: 64
            min_gc_interval_when_soft_limited: 200ms
        exporters:
          recording: {}
        service:
          pipelines:
            traces: {receivers: [otlp], processors: [memory_limiter], exporters: [recording]}
        """.formatted(limitMib);
    RecordingExporterFactory recording = new RecordingExporterFactory();
    AtomicLong maxAfterGc = new AtomicLong();
    AtomicLong fullCollections = new AtomicLong();
    Runnable stopWatching = watchHeapAfterGc(maxAfterGc, fullCollections);
    Set<String> drained = new HashSet<>();
    try (Sightline server = TestServers.start(config, dataDir, recording)) {
      int port = server.receiverPorts("otlp").get(protocol);
      RetryPolicy retry = RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofMillis(500))
          .setMaxBackoff(Duration.ofSeconds(2)).setBackoffMultiplier(1.5).build();
      SpanExporter exporter = protocol.equals("grpc")
          ? OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + port).setRetryPolicy(retry)
              .setTimeout(Duration.ofSeconds(30)).build()
          : OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + port + "/v1/traces").setRetryPolicy(retry)
              .setTimeout(Duration.ofSeconds(30)).build();

      // The "store" flushes only when the limiter has started refusing, so that the test sees refusals for sure.
      Thread flusher = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            if (refusing(server)) {
              drain(recording, drained);
            }
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }, "flusher");
      flusher.setDaemon(true);
      flusher.start();

      Set<String> sent = new HashSet<>();
      String payload = "p".repeat(PAYLOAD_BYTES);
      int stopAt = MAX_EXPORTS;
      for (int e = 0; e < stopAt; e++) {
        List<SpanData> spans = new ArrayList<>();
        for (int i = 0; i < SPANS_PER_EXPORT; i++) {
          SpanData span = span(e, i, payload);
          spans.add(span);
          sent.add(span.getSpanId());
        }
        CompletableResultCode result = exporter.export(spans).join(60, TimeUnit.SECONDS);
        assertThat(result.isSuccess()).as("export %d", e).isTrue();
        if (stopAt == MAX_EXPORTS && e % 5 == 0 && refused(server, protocol) > 0) {
          stopAt = e + EXPORTS_AFTER_REFUSAL;
        }
      }
      exporter.shutdown().join(10, TimeUnit.SECONDS);
      flusher.interrupt();
      flusher.join();
      drain(recording, drained);

      assertThat(refused(server, protocol)).as("spans refused with 429/RESOURCE_EXHAUSTED").isPositive();
      assertThat(drained).isEqualTo(sent);
      assertThat(fullCollections.get()).as("full collections (forced by the limiter)").isPositive();
      assertThat(maxAfterGc.get()).as("heap after GC stays under the hard limit").isLessThan(limitMib * MIB);
    } finally {
      stopWatching.run();
    }
  }

  /**
   * Takes the batches out one at a time: reading a batch builds its messages beside the wire bytes it keeps, so
   * reading all held batches before letting any go would double what the "store" holds just as memory is short.
   */
  private static synchronized void drain(RecordingExporterFactory recording, Set<String> drained) {
    List<Telemetry> held = recording.batches();
    while (!held.isEmpty()) {
      Telemetry batch = held.remove(0);
      for (var rs : ((Traces) batch).resourceSpans()) {
        for (var ss : rs.getScopeSpansList()) {
          for (var span : ss.getSpansList()) {
            String id = HexFormat.of().formatHex(span.getSpanId().toByteArray());
            assertThat(drained.add(id)).as("span %s arrived twice", id).isTrue();
          }
        }
      }
    }
  }

  private static SpanData span(int export, int i, String payload) {
    String traceId = String.format("%032x", export + 1L);
    String spanId = String.format("%016x", export * 1000L + i + 1);
    return TestSpanData.builder()
        .setSpanContext(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
        .setName("load").setKind(SpanKind.INTERNAL).setStartEpochNanos(1).setEndEpochNanos(2)
        .setAttributes(Attributes.of(AttributeKey.stringKey("payload"), payload))
        .setStatus(StatusData.unset()).setHasEnded(true).setTotalRecordedEvents(0).setTotalRecordedLinks(0)
        .setTotalAttributeCount(1).build();
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String scrape(Sightline server) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static boolean refusing(Sightline server) throws Exception {
    return scrape(server).contains("sightline_memory_limiter_refusing{processor=\"memory_limiter\"} 1.0");
  }

  private static double refused(Sightline server, String transport) throws Exception {
    Matcher m = Pattern.compile("otelcol_receiver_refused_spans_total\\{receiver=\"otlp\",transport=\"" + transport
        + "\"} (\\S+)").matcher(scrape(server));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Records the largest heap in use right after a full collection, the live data the limit is about. A young
   * collection's figure also counts old-generation garbage (batches already drained but not yet collected), so it
   * says little about what the server holds; the limiter itself forces full collections when it is over its limits.
   */
  private static Runnable watchHeapAfterGc(AtomicLong max, AtomicLong fullCollections) {
    Set<String> heapPools = new HashSet<>();
    ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .forEach(p -> heapPools.add(p.getName()));
    NotificationListener listener = (n, h) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (!info.getGcAction().equals("end of major GC")) {
          return;
        }
        fullCollections.incrementAndGet();
        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
            .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
        max.accumulateAndGet(used, Math::max);
      }
    };
    List<NotificationEmitter> emitters = new ArrayList<>();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
    return () -> emitters.forEach(e -> {
      try {
        e.removeNotificationListener(listener);
      } catch (Exception ignored) {
        // gone already
      }
    });
  }
}
