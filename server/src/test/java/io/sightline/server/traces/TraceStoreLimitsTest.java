package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace store's memory limit over OTLP/HTTP: past {@code storage.traces.max_live_bytes} a request is refused whole
 * with 429 and Retry-After, the Collector's answer to overload, nothing of it is stored, and once a block cut has taken
 * the complete traces out of memory the same request is accepted.
 */
class TraceStoreLimitsTest {
  @TempDir
  Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void spansPastMaxLiveBytesAreRefusedRetryablyUntilABlockCutMakesRoom() throws Exception {
    Sightline server = TestServers.start("""
        storage:
          traces:
            max_live_bytes: 4000
            max_trace_idle: 200ms
            max_block_duration: 200ms
        """, dataDir, new RecordingExporterFactory());
    try {
      byte[] first = request("4bf92f3577b34da6a3ce929d0e0e4736", 40);
      byte[] second = request("0af7651916cd43dd8448eb211c80319c", 40);
      assertThat(first.length).isLessThan(4000);
      assertThat(post(server, first).statusCode()).isEqualTo(200);
      HttpResponse<String> refused = post(server, second);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      assertThat(refused.body()).contains("max live traces bytes exceeded");
      assertThat(trace(server, "0af7651916cd43dd8448eb211c80319c").statusCode()).isEqualTo(404);
      // The first trace goes idle and into a block; the retry then fits.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int status;
      do {
        Thread.sleep(200);
        status = post(server, second).statusCode();
      } while (status == 429 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(200);
      assertThat(trace(server, "0af7651916cd43dd8448eb211c80319c").statusCode()).isEqualTo(200);
      assertThat(trace(server, "4bf92f3577b34da6a3ce929d0e0e4736").statusCode()).isEqualTo(200);
    } finally {
      server.close();
    }
  }

  private HttpResponse<String> post(Sightline server, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.receiverPorts("otlp").get("http")
        + "/v1/traces")).header("Content-Type", "application/x-protobuf").timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
  }

  private HttpResponse<String> trace(Sightline server, String id) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/traces/" + id))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One trace of {@code spans} spans with a few attributes each: a few hundred bytes a span. */
  private static byte[] request(String traceId, int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long start = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < spans; i++) {
      byte[] id = new byte[8];
      id[7] = (byte) (i + 1);
      scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
          .setSpanId(ByteString.copyFrom(id)).setName("GET /items/" + i).setStartTimeUnixNano(start + i)
          .setEndTimeUnixNano(start + i + 1_000_000).addAttributes(KeyValue.newBuilder().setKey("http.route")
              .setValue(AnyValue.newBuilder().setStringValue("/items/{id}"))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue("shop")))).addScopeSpans(scope)).build().toByteArray();
  }
}
