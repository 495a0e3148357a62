package io.sightline.bench.traces;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends generated traces (fresh ids for every trace, {@link TraceShapes}) until a number of spans was accepted, at a
 * fixed concurrency, as OTLP/HTTP protobuf or as Zipkin v2 JSON, and reports spans/s and MB/s accepted. Only 2xx
 * counts; a push-back (429, 503) is retried as the OpenTelemetry SDK retries it, so that the rate is what the server
 * sustains, and the retries are reported. Writes the trace ids it sent (with their start) for the query benchmark.
 */
@Command(name = "trace-load", mixinStandardHelpOptions = true,
    description = "Trace load generator: spans/s accepted over OTLP/HTTP or Zipkin v2 JSON.")
public final class TraceLoad implements Callable<Integer> {
  @Option(names = "--url", required = true,
      description = "Where to send: http://host:4318/v1/traces (otlp) or http://host:9411/api/v2/spans (zipkin).")
  String url;

  @Option(names = "--format", defaultValue = "otlp", description = "otlp (OTLP/HTTP protobuf) or zipkin (JSON v2).")
  String format;

  @Option(names = "--spans", defaultValue = "1000000", description = "Spans to have accepted, then stop.")
  long spans;

  @Option(names = "--traces-per-request", defaultValue = "10", description = "Ten spans each.")
  int tracesPerRequest;

  @Option(names = "--concurrency", defaultValue = "16", description = "Requests in flight.")
  int concurrency;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--ids-out", description = "Write every sent trace id and start (unix ns) here, one a line.")
  Path idsOut;

  private static final int MAX_ATTEMPTS = 5;
  private static final double INITIAL_BACKOFF_MS = 1000;
  private static final double MAX_BACKOFF_MS = 5000;
  private static final double BACKOFF_MULTIPLIER = 1.5;
  private final LongAdder retries = new LongAdder();
  private final ScheduledExecutorService retryTimer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retry-timer");
        t.setDaemon(true);
        return t;
      });

  @Override
  public Integer call() throws Exception {
    boolean zipkin = switch (format) {
      case "otlp" -> false;
      case "zipkin" -> true;
      default -> throw new IllegalArgumentException("--format must be otlp or zipkin");
    };
    TraceShapes shapes = new TraceShapes(seed);
    java.net.URI uri = java.net.URI.create(url);
    String base = "h1c://" + uri.getHost() + ":" + uri.getPort();
    RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, uri.getPath())
        .contentType(zipkin ? MediaType.JSON : MediaType.parse("application/x-protobuf")).build();
    BufferedWriter ids = idsOut == null ? null : Files.newBufferedWriter(idsOut);
    LongAdder acceptedSpans = new LongAdder();
    LongAdder acceptedBytes = new LongAdder();
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(concurrency);
    int spansPerRequest = tracesPerRequest * TraceShapes.SPANS_PER_TRACE;
    long requestsWanted = (spans + spansPerRequest - 1) / spansPerRequest;
    long start = System.nanoTime();
    try (ClientFactory factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(2).build()) {
      WebClient client = WebClient.builder(base).factory(factory).responseTimeout(Duration.ofSeconds(60)).build();
      for (long r = 0; r < requestsWanted; r++) {
        List<TraceShapes.TraceId> sent = new ArrayList<>(tracesPerRequest);
        long now = System.currentTimeMillis() * 1_000_000L;
        byte[] body = zipkin ? shapes.zipkin(tracesPerRequest, now, sent) : shapes.otlp(tracesPerRequest, now, sent);
        inFlight.acquire();
        send(client, headers, body, 1, () -> {
          acceptedSpans.add(spansPerRequest);
          acceptedBytes.add(body.length);
          inFlight.release();
        }, why -> {
          failures.computeIfAbsent(why, k -> new LongAdder()).increment();
          inFlight.release();
        });
        if (ids != null) {
          for (TraceShapes.TraceId id : sent) {
            ids.write(id.hex() + " " + id.startNanos() + "\n");
          }
        }
      }
      inFlight.acquire(concurrency);
    } finally {
      if (ids != null) {
        ids.close();
      }
    }
    retryTimer.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    long accepted = acceptedSpans.sum();
    System.out.printf(Locale.ROOT, "{\"format\":\"%s\",\"spans\":%d,\"seconds\":%.2f,\"spans_per_second\":%.0f,"
        + "\"mb_per_second\":%.1f,\"retries\":%d,\"failures\":\"%s\"}%n", format, accepted, seconds,
        accepted / seconds, acceptedBytes.sum() / seconds / 1e6, retries.sum(), failures);
    return failures.isEmpty() ? 0 : 1;
  }

  /**
   * Posts {@code body}, retrying as the OpenTelemetry SDK's exporters do: on 429, 502, 503 and 504, after 1 s, then
   * 1.5 times longer each time up to 5 s, with jitter, five attempts in all. The request keeps its slot meanwhile, so
   * a server that pushes back slows the load down, as it slows an SDK's batch processor.
   */
  private void send(WebClient client, RequestHeaders headers, byte[] body, int attempt, Runnable accepted,
      Consumer<String> failed) {
    client.execute(headers, HttpData.wrap(body)).aggregate().handle((response, error) -> {
      if (error == null && response.status().isSuccess()) {
        accepted.run();
        return null;
      }
      int code = error == null ? response.status().code() : 0;
      boolean retryable = code == 429 || code == 502 || code == 503 || code == 504;
      if (retryable && attempt < MAX_ATTEMPTS) {
        retries.increment();
        double backoff = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * Math.pow(BACKOFF_MULTIPLIER, attempt - 1));
        long delay = (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        retryTimer.schedule(() -> send(client, headers, body, attempt + 1, accepted, failed), delay,
            TimeUnit.MILLISECONDS);
        return null;
      }
      failed.accept(error != null ? error.getClass().getSimpleName()
          : code + " " + response.contentUtf8().lines().findFirst().orElse(""));
      return null;
    });
  }
}
