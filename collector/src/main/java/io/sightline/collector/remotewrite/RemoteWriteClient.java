package io.sightline.collector.remotewrite;

import com.linecorp.armeria.common.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * POSTs one snappy-compressed {@code WriteRequest} to an endpoint and says what Prometheus' remote-write client would
 * make of the answer: 2xx is done; a network error, a timeout or a 5xx is worth retrying (429 too, when configured),
 * with the {@code Retry-After} the server gave; anything else is final and the data is dropped.
 */
public final class RemoteWriteClient {
  /** Prometheus reads at most this much of an error body into its message. */
  private static final int MAX_ERROR_MESSAGE = 1024;

  /** What came of one attempt. */
  public sealed interface Outcome {
    record Sent() implements Outcome {}

    /** Worth another try; {@code retryAfter} is what the server asked for, or null. */
    record Recoverable(String message, Duration retryAfter) implements Outcome {}

    record Failed(String message) implements Outcome {}
  }

  private final RemoteWriteConfig config;
  private final String userAgent;
  /** Made at the first request: a JDK client starts a thread, which a config built only to be checked must not. */
  private HttpClient http;
  private boolean closed;

  public RemoteWriteClient(RemoteWriteConfig config, String userAgent) {
    this.config = config;
    this.userAgent = userAgent;
  }

  private synchronized HttpClient http() throws IOException {
    if (closed) {
      throw new IOException("the remote-write client is closed");
    }
    if (http == null) {
      http = HttpClient.newBuilder()
          .version(config.enableHttp2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
          .connectTimeout(config.remoteTimeout())
          .followRedirects(config.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
          .build();
    }
    return http;
  }

  /**
   * Sends {@code body} once; {@code attempt} counts the tries before this one, told to the server as Prometheus does
   * ({@code Retry-Attempt}).
   */
  public Outcome store(byte[] body, int attempt) throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(config.url()).timeout(config.remoteTimeout())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    request.header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-protobuf")
        .header("User-Agent", userAgent)
        .header("X-Prometheus-Remote-Write-Version", "0.1.0");
    if (config.authorization() != null) {
      request.header("Authorization", config.authorization());
    }
    if (attempt > 0) {
      request.header("Retry-Attempt", Integer.toString(attempt));
    }
    HttpResponse<InputStream> response;
    try {
      response = http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      // Connection refused or reset, a timeout: the data may go through next time.
      return new Outcome.Recoverable("Post \"" + config.redactedUrl() + "\": " + describe(e), null);
    }
    int status = response.statusCode();
    String message;
    try (InputStream in = response.body()) {
      if (status / 100 == 2) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return new Outcome.Sent();
      }
      message = "server returned HTTP status " + HttpStatus.valueOf(status) + ": "
          + new String(in.readNBytes(MAX_ERROR_MESSAGE), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      if (status / 100 == 2) {
        return new Outcome.Sent();
      }
      message = "server returned HTTP status " + HttpStatus.valueOf(status);
    }
    if (status / 100 == 5 || status == 429 && config.queue().retryOnHttp429()) {
      return new Outcome.Recoverable(message, retryAfter(response.headers().firstValue("Retry-After").orElse("")));
    }
    return new Outcome.Failed(message);
  }

  /** The exception and its causes' messages: the JDK's connection errors often carry theirs only in the cause. */
  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        b.append(": ").append(t.getMessage());
        break;
      }
    }
    return b.toString();
  }

  /** {@code Retry-After} in seconds or as an HTTP date; null when absent, unreadable or not in the future. */
  public static Duration retryAfter(String header) {
    String v = header.strip();
    if (v.isEmpty()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(v);
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(ZonedDateTime.now(),
            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isPositive() ? until : null;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** Drops the connections; a request still under way fails. */
  public synchronized void close() {
    closed = true;
    if (http != null) {
      http.shutdownNow();
    }
  }
}
