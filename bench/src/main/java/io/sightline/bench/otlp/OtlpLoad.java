package io.sightline.bench.otlp;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends OTLP at a fixed concurrency for a fixed time and reports what the server accepted. Only 2xx (HTTP) or
 * grpc-status 0 counts; nothing is retried, so a refusal shows as a failure by status.
 */
@Command(name = "otlp-load", mixinStandardHelpOptions = true,
    description = "OTLP load generator: items/s and MB/s accepted by a receiver.")
public final class OtlpLoad implements Callable<Integer> {

  @Option(names = "--endpoint", description = "Base URL (default http://127.0.0.1:4317 for grpc, :4318 for http).")
  String endpoint;

  @Option(names = "--protocol", defaultValue = "grpc", description = "grpc or http (OTLP/HTTP protobuf).")
  String protocol;

  @Option(names = "--signal", defaultValue = "traces", description = "traces, metrics or logs.")
  String signal;

  @Option(names = "--items-per-request", defaultValue = "100", description = "Spans, data points or log records.")
  int itemsPerRequest;

  @Option(names = "--concurrency", defaultValue = "32", description = "Requests in flight.")
  int concurrency;

  @Option(names = "--duration", defaultValue = "30", description = "Seconds measured.")
  int durationSeconds;

  @Option(names = "--warmup", defaultValue = "5", description = "Seconds sent first and not counted.")
  int warmupSeconds;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--distinct-requests", defaultValue = "64", description = "Different bodies built up front.")
  int distinctRequests;

  @Option(names = "--gzip", description = "Compress bodies.")
  boolean gzip;

  @Option(names = "--json-out", description = "Write the result as JSON to this file.")
  Path jsonOut;

  @Option(names = "--quiet", description = "No per-second lines.")
  boolean quiet;

  /** What a run measured; figures cover the measured period only. */
  public record Result(String protocol, String signal, int itemsPerRequest, int concurrency, double seconds,
      long requests, long items, long payloadBytes, Map<String, Long> failures, double p50Millis, double p99Millis) {

    public double itemsPerSecond() {
      return items / seconds;
    }

    public double megabytesPerSecond() {
      return payloadBytes / seconds / 1e6;
    }

    String json() {
      return String.format(Locale.ROOT, "{\"protocol\":\"%s\",\"signal\":\"%s\",\"items_per_request\":%d,"
              + "\"concurrency\":%d,\"seconds\":%.3f,\"requests\":%d,\"items\":%d,\"items_per_second\":%.1f,"
              + "\"mb_per_second\":%.2f,\"failures\":%s,\"p50_ms\":%.2f,\"p99_ms\":%.2f}",
          protocol, signal, itemsPerRequest, concurrency, seconds, requests, items, itemsPerSecond(),
          megabytesPerSecond(), failures.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
              .reduce((a, b) -> a + "," + b).map(s -> "{" + s + "}").orElse("{}"), p50Millis, p99Millis);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %s: %.0f %s/s, %.0f requests/s, %.1f MB/s, p50 %.1f ms, p99 %.1f ms, "
              + "failures %s", protocol, signal, itemsPerSecond(), signal.equals("traces") ? "spans"
              : signal.equals("metrics") ? "points" : "records", requests / seconds, megabytesPerSecond(), p50Millis,
          p99Millis, failures);
    }
  }

  @Override
  public Integer call() throws Exception {
    Result result = run();
    System.out.println(result);
    if (jsonOut != null) {
      Files.writeString(jsonOut, result.json() + "\n");
    }
    return result.items() > 0 ? 0 : 1;
  }

  /** Runs the load and returns the measured result. */
  public Result run() throws Exception {
    boolean grpc = switch (protocol) {
      case "grpc" -> true;
      case "http" -> false;
      default -> throw new IllegalArgumentException("--protocol must be grpc or http");
    };
    Payloads.Signal kind = Payloads.Signal.valueOf(signal.toUpperCase(Locale.ROOT));
    String base = endpoint != null ? endpoint : grpc ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318";
    byte[][] bodies = buildBodies(kind, grpc);
    String path = grpc
        ? "/opentelemetry.proto.collector." + (kind == Payloads.Signal.TRACES ? "trace" : signal) + ".v1." + serviceName(kind) + "/Export"
        : "/v1/" + signal;

    // gRPC needs HTTP/2; OTLP/HTTP senders mostly use HTTP/1.1 connections, one per request in flight.
    String scheme = grpc ? "h2c" : "h1c";
    String url = base.replaceFirst("^https?", scheme);
    try (ClientFactory factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(2).build()) {
      WebClient client = WebClient.builder(url).factory(factory).responseTimeout(Duration.ofSeconds(60))
          .maxResponseLength(16 * 1024 * 1024).build();
      RequestHeaders headers = headers(grpc, path);

      Semaphore inFlight = new Semaphore(concurrency);
      LongAdder requests = new LongAdder();
      LongAdder items = new LongAdder();
      LongAdder bytes = new LongAdder();
      Map<String, LongAdder> failures = new ConcurrentHashMap<>();
      long[] latencies = new long[1 << 16];
      AtomicLong latencyCount = new AtomicLong();
      long payloadPerRequest = rawSizes(kind, bodies.length);

      long startNanos = System.nanoTime();
      long measureFrom = startNanos + TimeUnit.SECONDS.toNanos(warmupSeconds);
      long end = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
      long nextReport = measureFrom + TimeUnit.SECONDS.toNanos(1);
      long lastItems = 0;
      int next = 0;
      while (System.nanoTime() < end) {
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        long sentAt = System.nanoTime();
        byte[] body = bodies[next++ % bodies.length];
        client.execute(headers, HttpData.wrap(body)).aggregate().handle((response, error) -> {
          if (sentAt < measureFrom) {
            inFlight.release();
            return null;
          }
          String failure = error != null ? error.getClass().getSimpleName() : failure(grpc, response);
          if (failure == null) {
            requests.increment();
            items.add(itemsPerRequest);
            bytes.add(payloadPerRequest);
            long i = latencyCount.getAndIncrement();
            latencies[(int) (i & (latencies.length - 1))] = System.nanoTime() - sentAt;
          } else {
            failures.computeIfAbsent(failure, k -> new LongAdder()).increment();
          }
          inFlight.release(); // after counting: the final wait for the permits must see every count
          return null;
        });
        long now = System.nanoTime();
        if (!quiet && now >= nextReport) {
          long total = items.sum();
          System.out.printf(Locale.ROOT, "%4ds  %,10d items/s  failures %s%n",
              TimeUnit.NANOSECONDS.toSeconds(now - measureFrom), total - lastItems, snapshot(failures));
          lastItems = total;
          nextReport += TimeUnit.SECONDS.toNanos(1);
        }
      }
      double seconds = (System.nanoTime() - measureFrom) / 1e9;
      // Let the requests in flight finish so that they are counted as what they were.
      inFlight.tryAcquire(concurrency, 60, TimeUnit.SECONDS);
      int n = (int) Math.min(latencyCount.get(), latencies.length);
      long[] sample = Arrays.copyOf(latencies, n);
      Arrays.sort(sample);
      return new Result(protocol, signal, itemsPerRequest, concurrency, seconds, requests.sum(), items.sum(),
          bytes.sum(), snapshot(failures), percentile(sample, 0.50), percentile(sample, 0.99));
    }
  }

  private RequestHeaders headers(boolean grpc, String path) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path);
    if (grpc) {
      h.contentType(MediaType.parse("application/grpc")).add("te", "trailers");
      if (gzip) {
        h.add("grpc-encoding", "gzip");
      }
    } else {
      h.contentType(MediaType.parse("application/x-protobuf"));
      if (gzip) {
        h.add("content-encoding", "gzip");
      }
    }
    return h.build();
  }

  /** The request bodies, built once: generation must not be what is measured. */
  private byte[][] buildBodies(Payloads.Signal kind, boolean grpc) throws IOException {
    Payloads payloads = new Payloads(seed);
    byte[][] bodies = new byte[distinctRequests][];
    rawSize = 0;
    for (int i = 0; i < bodies.length; i++) {
      byte[] message = payloads.build(kind, itemsPerRequest);
      rawSize += message.length;
      byte[] wire = gzip ? gzip(message) : message;
      if (grpc) {
        bodies[i] = ByteBuffer.allocate(5 + wire.length).put((byte) (gzip ? 1 : 0)).putInt(wire.length).put(wire).array();
      } else {
        bodies[i] = wire;
      }
    }
    return bodies;
  }

  private long rawSize;

  /** The average uncompressed message size, the unit of MB/s. */
  private long rawSizes(Payloads.Signal kind, int count) {
    return rawSize / count;
  }

  private static String failure(boolean grpc, AggregatedHttpResponse response) {
    int status = response.status().code();
    if (status / 100 != 2) {
      return "http " + status;
    }
    if (!grpc) {
      return null;
    }
    // A trailers-only response carries the status in its headers.
    String code = response.trailers().get("grpc-status");
    if (code == null) {
      code = response.headers().get("grpc-status");
    }
    return "0".equals(code) ? null : "grpc " + code;
  }

  private static String serviceName(Payloads.Signal kind) {
    return switch (kind) {
      case TRACES -> "TraceService";
      case METRICS -> "MetricsService";
      case LOGS -> "LogsService";
    };
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> failures) {
    Map<String, Long> out = new TreeMap<>();
    failures.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
