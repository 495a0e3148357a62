package io.sightline.bench.traces;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trace-by-id and search latency, one request at a time as a user clicking through a UI makes them: ids drawn
 * (seeded) from what {@code trace-load} wrote, each looked up through the peer's own API, a 200 with the trace
 * required; then one search (service, operation, minimum duration) repeated. Prints median and 99th percentile.
 */
@Command(name = "trace-query", mixinStandardHelpOptions = true,
    description = "Trace by id and search latency against Sightline (Tempo or Jaeger API) or Zipkin.")
public final class TraceQuery implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "The peer's base URL, e.g. http://127.0.0.1:3000")
  String url;

  @Option(names = "--api", defaultValue = "tempo", description = "tempo, jaeger or zipkin.")
  String api;

  @Option(names = "--ids", required = true, description = "The file trace-load wrote with --ids-out.")
  Path ids;

  @Option(names = "--lookups", defaultValue = "1000")
  int lookups;

  @Option(names = "--searches", defaultValue = "20")
  int searches;

  @Option(names = "--service", defaultValue = "payment-service")
  String service;

  @Option(names = "--operation", defaultValue = "POST /payments")
  String operation;

  @Option(names = "--min-duration-ms", defaultValue = "120", description = "About a fifth of the traces' spans.")
  long minDurationMs;

  @Option(names = "--seed", defaultValue = "7")
  long seed;

  @Override
  public Integer call() throws Exception {
    List<String> all = Files.readAllLines(ids);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    SplittableRandom random = new SplittableRandom(seed);
    long[] byId = new long[lookups];
    int failures = 0;
    long newest = 0;
    for (String line : all) {
      newest = Math.max(newest, Long.parseLong(line.substring(line.indexOf(' ') + 1)));
    }
    for (int i = -Math.min(50, lookups); i < lookups; i++) { // the first 50 warm up and are not counted
      String line = all.get(random.nextInt(all.size()));
      String id = line.substring(0, line.indexOf(' '));
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + switch (api) {
        case "tempo" -> "/api/v2/traces/" + id;
        case "jaeger" -> "/jaeger/api/traces/" + id;
        case "zipkin" -> "/api/v2/trace/" + id;
        default -> throw new IllegalArgumentException("--api must be tempo, jaeger or zipkin");
      })).timeout(Duration.ofSeconds(30));
      if (api.equals("tempo")) {
        request.header("Accept", "application/protobuf"); // as Grafana asks
      }
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      long t1 = System.nanoTime();
      if (r.statusCode() != 200 || r.body().length < 100) {
        failures++;
      }
      if (i >= 0) {
        byId[i] = t1 - t0;
      }
    }
    Arrays.sort(byId);
    long endMs = newest / 1_000_000 + 60_000;
    long lookbackMs = 24L * 3600 * 1000;
    String search = url + switch (api) {
      case "tempo" -> "/api/search?limit=20&start=" + (endMs - lookbackMs) / 1000 + "&end=" + endMs / 1000 + "&q="
          + enc("{resource.service.name=\"" + service + "\" && name=\"" + operation + "\" && duration>"
          + minDurationMs + "ms}");
      case "jaeger" -> "/jaeger/api/traces?limit=20&service=" + enc(service) + "&operation=" + enc(operation)
          + "&minDuration=" + minDurationMs + "ms&start=" + (endMs - lookbackMs) * 1000 + "&end=" + endMs * 1000;
      default -> "/api/v2/traces?limit=20&serviceName=" + enc(service) + "&spanName=" + enc(operation)
          + "&minDuration=" + minDurationMs * 1000 + "&endTs=" + endMs + "&lookback=" + lookbackMs;
    };
    long[] searchNanos = new long[searches];
    int found = -1;
    for (int i = -2; i < searches; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(search)).timeout(Duration.ofMinutes(2))
          .build(), HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      if (r.statusCode() != 200) {
        failures++;
        System.err.println("search: " + r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length())));
      }
      found = r.body().split("\"traceI[dD]\"", -1).length - 1;
      if (i >= 0) {
        searchNanos[i] = t1 - t0;
      }
    }
    Arrays.sort(searchNanos);
    System.out.printf(Locale.ROOT, "{\"api\":\"%s\",\"traces_known\":%d,\"by_id_p50_ms\":%.2f,\"by_id_p99_ms\":%.2f,"
        + "\"search_median_ms\":%.1f,\"search_ids_in_body\":%d,\"failures\":%d}%n", api, all.size(),
        byId[lookups / 2] / 1e6, byId[(int) (lookups * 0.99)] / 1e6, searchNanos[searches / 2] / 1e6, found,
        failures);
    return failures == 0 ? 0 : 1;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
