package io.sightline.bench.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One LogQL query through Loki's HTTP API ({@code /loki/api/v1/query_range}, or {@code /query} with
 * {@code --instant}), run {@code --runs} times one after the other after {@code --warmup} unmeasured runs; prints
 * the minimum, median and maximum latency and, given the raw size of the logs the query covers, the scan speed in
 * GB/s of raw log at the median. The answer is checked: the lines returned (a log query) or the sum of the samples
 * (a metric query) against {@code --expect}, so that a fast wrong answer shows; the server's own statistics (bytes
 * and lines processed) are printed beside it.
 */
@Command(name = "log-query", mixinStandardHelpOptions = true,
    description = "LogQL query latency and scan speed through Loki's query API, with the answer checked.")
public final class LogQuery implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:3100", description = "The base URL.")
  String url;

  @Option(names = "--query", required = true)
  String query;

  @Option(names = "--instant", description = "An instant query (/loki/api/v1/query at --end) instead of a range.")
  boolean instant;

  @Option(names = "--start", description = "Range start, Unix ns.")
  String start;

  @Option(names = "--end", required = true, description = "Range end, or the instant query's time, Unix ns.")
  String end;

  @Option(names = "--limit", defaultValue = "100")
  int limit;

  @Option(names = "--runs", defaultValue = "5")
  int runs;

  @Option(names = "--warmup", defaultValue = "1")
  int warmup;

  @Option(names = "--raw-bytes", defaultValue = "0", description = "The raw size of the logs the query covers.")
  long rawBytes;

  @Option(names = "--expect", defaultValue = "-1", description = "Lines (or the sum of the samples) expected.")
  double expect;

  @Option(names = "--name", defaultValue = "query")
  String name;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    StringBuilder u = new StringBuilder(url).append(instant ? "/loki/api/v1/query" : "/loki/api/v1/query_range")
        .append("?query=").append(URLEncoder.encode(query, StandardCharsets.UTF_8)).append("&limit=").append(limit);
    if (instant) {
      u.append("&time=").append(end);
    } else {
      u.append("&end=").append(end);
      if (start != null) {
        u.append("&start=").append(start);
      }
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(u.toString())).timeout(Duration.ofMinutes(10)).build();
    long[] nanos = new long[runs];
    double returned = Double.NaN;
    long bytesProcessed = -1;
    long linesProcessed = -1;
    String error = null;
    for (int i = -warmup; i < runs; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      if (i >= 0) {
        nanos[i] = t1 - t0;
      }
      if (r.statusCode() != 200) {
        error = r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length())).strip();
        continue;
      }
      JsonNode data = JSON.readTree(r.body()).path("data");
      returned = count(data);
      JsonNode summary = data.path("stats").path("summary");
      bytesProcessed = summary.path("totalBytesProcessed").asLong(-1);
      linesProcessed = summary.path("totalLinesProcessed").asLong(-1);
    }
    Arrays.sort(nanos);
    double medianSeconds = (runs % 2 == 1 ? nanos[runs / 2] : (nanos[runs / 2 - 1] + nanos[runs / 2]) / 2) / 1e9;
    boolean ok = error == null && (expect < 0 || returned == expect);
    System.out.printf(Locale.ROOT, "{\"name\":\"%s\",\"runs\":%d,\"min_ms\":%.1f,\"median_ms\":%.1f,"
        + "\"max_ms\":%.1f,\"gb_per_second\":%.2f,\"returned\":%s,\"expected\":%s,\"ok\":%b,"
        + "\"server_bytes_processed\":%d,\"server_lines_processed\":%d%s}%n", name, runs, nanos[0] / 1e6,
        medianSeconds * 1e3, nanos[runs - 1] / 1e6, rawBytes / medianSeconds / 1e9, number(returned),
        number(expect), ok, bytesProcessed, linesProcessed,
        error == null ? "" : ",\"error\":" + JSON.writeValueAsString(error));
    return ok ? 0 : 1;
  }

  /** Lines in a streams answer; the sum of the (last) sample values in a vector, matrix or scalar answer. */
  static double count(JsonNode data) {
    JsonNode result = data.path("result");
    switch (data.path("resultType").asText()) {
      case "streams" -> {
        long lines = 0;
        for (JsonNode stream : result) {
          lines += stream.path("values").size();
        }
        return lines;
      }
      case "vector" -> {
        double sum = 0;
        for (JsonNode sample : result) {
          sum += Double.parseDouble(sample.path("value").path(1).asText());
        }
        return sum;
      }
      case "matrix" -> {
        double sum = 0;
        for (JsonNode series : result) {
          JsonNode values = series.path("values");
          sum += values.isEmpty() ? 0 : Double.parseDouble(values.path(values.size() - 1).path(1).asText());
        }
        return sum;
      }
      case "scalar" -> {
        return Double.parseDouble(result.path(1).asText());
      }
      default -> {
        return Double.NaN;
      }
    }
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "null" : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
