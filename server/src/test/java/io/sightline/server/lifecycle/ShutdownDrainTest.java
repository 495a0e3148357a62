package io.sightline.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown with a request waiting in the batch processor: it is answered with success once its batch is exported,
 * and a request that arrives after shutdown began is refused with a retryable 503, never accepted and lost.
 */
class ShutdownDrainTest {
  @TempDir
  Path dataDir;

  @Test
  void requestsWaitingInABatchAreAnsweredAndNewOnesAreRefusedRetryably() throws Exception {
    RecordingExporterFactory recording = new RecordingExporterFactory();
    CompletableFuture<ConsumeResult> firstExport = new CompletableFuture<>();
    recording.onBatch(batch -> recording.batches().size() == 1 ? firstExport
        : CompletableFuture.completedFuture(ConsumeResult.ACCEPTED));
    Sightline server = TestServers.start("""
        processors:
          batch: {timeout: 30s, send_batch_size: 100000}
        exporters:
          recording: {}
        service:
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [recording]}
        """, dataDir, recording);
    HttpClient client = HttpClient.newHttpClient();
    int port = server.receiverPorts("otlp").get("http");
    CompletableFuture<HttpResponse<String>> first = post(client, port, "eee19b7ec3c1b171");
    waitFor(() -> recording.batches().size() == 1);
    // The exporter is busy with the first request, so the second waits in the batch processor.
    CompletableFuture<HttpResponse<String>> second = post(client, port, "eee19b7ec3c1b172");
    Thread.sleep(300);
    assertThat(second).isNotDone();

    Thread closer = Thread.ofPlatform().start(server::close);
    firstExport.complete(ConsumeResult.ACCEPTED);
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(recording.spans()).hasSize(2);
  }

  @Test
  void dataArrivingDuringShutdownIsRefusedWithRetryAfter() throws Exception {
    RecordingExporterFactory recording = new RecordingExporterFactory();
    CompletableFuture<ConsumeResult> held = new CompletableFuture<>();
    recording.onBatch(batch -> held);
    Sightline server = TestServers.start("""
        exporters:
          recording: {}
        service:
          pipelines:
            traces: {receivers: [otlp], exporters: [recording]}
        """, dataDir, recording);
    HttpClient client = HttpClient.newHttpClient();
    int port = server.receiverPorts("otlp").get("http");
    CompletableFuture<HttpResponse<String>> inFlight = post(client, port, "eee19b7ec3c1b171");
    waitFor(() -> recording.batches().size() == 1);
    Thread closer = Thread.ofPlatform().start(server::close);
    Thread.sleep(200); // close() has passed the gate and waits for the exporter
    HttpResponse<String> late = post(client, port, "eee19b7ec3c1b172").get(10, TimeUnit.SECONDS);
    assertThat(late.statusCode()).isEqualTo(503);
    assertThat(late.headers().firstValue("retry-after")).isPresent();
    assertThat(late.body()).contains("server is shutting down");
    held.complete(ConsumeResult.ACCEPTED);
    assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    closer.join(10_000);
  }

  private static CompletableFuture<HttpResponse<String>> post(HttpClient client, int port, String spanId) {
    return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
            + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"" + spanId + "\",\"name\":\"x\"}]}]}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(10);
    }
  }
}
