package io.sightline.collector.exporter.otlphttp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.sightline.collector.exporter.client.ClientSettings;
import io.sightline.collector.exporter.otlp.OtlpBodies;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.queue.Sender;
import io.sightline.collector.remotewrite.RemoteWriteClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OTLP/HTTP POST per attempt. The answer is judged as the Collector's otlphttp exporter judges it: 2xx is done
 * (a {@code partial_success} is logged), 429, 502, 503 and 504 are worth another try after the server's
 * {@code Retry-After}, a network error or a timeout too; every other status is permanent, with the server's
 * {@code google.rpc.Status} message in the error.
 */
final class OtlpHttpSender<T extends Telemetry> implements Sender<T>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OtlpHttpSender.class);
  private static final int MAX_ERROR_MESSAGE = 1024;

  private final String exporter;
  private final URI url;
  private final Signal signal;
  private final ClientSettings settings;
  private final boolean json;
  private final ExecutorService executor;
  private final HttpClient http;

  OtlpHttpSender(String exporter, URI url, Signal signal, ClientSettings settings, boolean json) {
    this.exporter = exporter;
    this.url = url;
    this.signal = signal;
    this.settings = settings;
    this.json = json;
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
  }

  @Override
  public CompletableFuture<Void> send(T batch) {
    byte[] body = json ? OtlpJsonBodies.encode(batch) : OtlpBodies.encode(batch);
    HttpRequest.Builder request = HttpRequest.newBuilder(url);
    if (settings.timeout().isPositive()) {
      request.timeout(settings.timeout());
    }
    for (Map.Entry<String, String> h : settings.headers().entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    request.header("Content-Type", json ? "application/json" : "application/x-protobuf");
    if (settings.gzip()) {
      body = gzip(body);
      request.header("Content-Encoding", "gzip");
    }
    request.POST(HttpRequest.BodyPublishers.ofByteArray(body));
    HttpRequest built = request.build();
    // A blocking send on a virtual thread rather than sendAsync: the JDK's client hands every sendAsync result to the
    // common fork-join pool, whose one thread on a two-core machine may be the one closing this exporter and
    // waiting for that result.
    return CompletableFuture.supplyAsync(() -> {
      HttpResponse<byte[]> response;
      try {
        response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new RetryableException("failed to make an HTTP request: " + describe(e), null, false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetryableException("interrupted", null, false);
      }
      int status = response.statusCode();
      if (status / 100 == 2) {
        partialSuccess(response.body());
        return null;
      }
      String message = "error exporting items, request to " + url + " responded with HTTP Status Code " + status
          + errorMessage(response);
      if (status == 429 || status == 502 || status == 503 || status == 504) {
        Duration after = RemoteWriteClient.retryAfter(response.headers().firstValue("Retry-After").orElse(""));
        throw new RetryableException(message, after, status == 429);
      }
      throw new PermanentException(message);
    }, executor);
  }

  /** The server's {@code google.rpc.Status} message when the body is one, else the start of the body. */
  private String errorMessage(HttpResponse<byte[]> response) {
    byte[] body = response.body();
    if (body == null || body.length == 0) {
      return "";
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith("application/x-protobuf") || type.startsWith("application/protobuf")) {
      try {
        com.google.rpc.Status s = com.google.rpc.Status.parseFrom(body);
        return ", Message=" + s.getMessage() + ", Details=" + s.getDetailsList();
      } catch (InvalidProtocolBufferException notAStatus) {
        // fall through to the text
      }
    }
    int n = Math.min(body.length, MAX_ERROR_MESSAGE);
    return ", Message=" + new String(body, 0, n, StandardCharsets.UTF_8).strip();
  }

  private void partialSuccess(byte[] body) {
    if (json || body == null || body.length == 0) {
      return;
    }
    long rejected;
    String message;
    try {
      switch (signal) {
        case TRACES -> {
          var p = ExportTraceServiceResponse.parseFrom(body).getPartialSuccess();
          rejected = p.getRejectedSpans();
          message = p.getErrorMessage();
        }
        case METRICS -> {
          var p = ExportMetricsServiceResponse.parseFrom(body).getPartialSuccess();
          rejected = p.getRejectedDataPoints();
          message = p.getErrorMessage();
        }
        default -> {
          var p = ExportLogsServiceResponse.parseFrom(body).getPartialSuccess();
          rejected = p.getRejectedLogRecords();
          message = p.getErrorMessage();
        }
      }
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    if (rejected > 0 || !message.isEmpty()) {
      log.atWarn().addKeyValue("exporter", exporter).addKeyValue("message", message)
          .addKeyValue("dropped_" + signal.itemName(), rejected).log("Partial success response");
    }
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String describe(Throwable e) {
    Throwable t = io.sightline.collector.pipeline.Consumers.unwrap(e);
    StringBuilder b = new StringBuilder(t.getClass().getSimpleName());
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        return b.append(": ").append(c.getMessage()).toString();
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    http.shutdownNow();
    executor.shutdownNow();
  }
}
