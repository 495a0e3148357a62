package io.sightline.bench.promql;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times a corpus of PromQL range queries against one server's {@code /api/v1/query_range}, one query at a time, as a
 * dashboard refresh would send them: after {@code --warmup-passes} untimed passes over the whole corpus, each query
 * is run {@code --runs} times after one more unmeasured run, and the
 * median latency is reported. A query that fails (non-200 or an error status) is reported as failed, not timed.
 */
@Command(name = "promql-query-load", mixinStandardHelpOptions = true,
    description = "Median latency per PromQL range query against one Prometheus-compatible server.")
public final class QueryLoad implements Callable<Integer> {

  @Option(names = "--url", required = true, description = "Base URL, e.g. http://127.0.0.1:9090")
  String url;

  @Option(names = "--queries", required = true, description = "A file with one query per line; # starts a comment.")
  Path queries;

  @Option(names = "--start", required = true, description = "Range start, Unix seconds.")
  double start;

  @Option(names = "--end", required = true, description = "Range end, Unix seconds.")
  double end;

  @Option(names = "--step", defaultValue = "60", description = "Step in seconds.")
  double step;

  @Option(names = "--runs", defaultValue = "5")
  int runs;

  @Option(names = "--warmup-passes", defaultValue = "3", description = "Untimed passes over the whole corpus first.")
  int warmupPasses;

  @Option(names = "--json-out")
  Path jsonOut;

  @Override
  public Integer call() throws Exception {
    // HTTP/1.1 for every peer: Prometheus and VictoriaMetrics speak no cleartext HTTP/2, so the JDK client's h2c
    // upgrade would give Sightline alone its HTTP/2 path; Grafana and promtool use HTTP/1.1 over http:// too.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    List<String> corpus = new ArrayList<>();
    for (String line : Files.readAllLines(queries)) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        corpus.add(line.strip());
      }
    }
    // Whole passes over the corpus first, untimed: what a server that has been answering dashboards for a while has
    // behind it (a JIT compiles the query paths it runs); a peer with nothing to warm loses nothing by them.
    for (int pass = 0; pass < warmupPasses; pass++) {
      for (String query : corpus) {
        client.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query_range?query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8)
            + String.format(Locale.ROOT, "&start=%.3f&end=%.3f&step=%.3f", start, end, step)))
            .timeout(Duration.ofMinutes(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
      }
    }
    StringBuilder json = new StringBuilder("[");
    int failures = 0;
    double total = 0;
    for (String query : corpus) {
      String uri = url + "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
          + String.format(Locale.ROOT, "&start=%.3f&end=%.3f&step=%.3f", start, end, step);
      HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMinutes(2)).GET().build();
      double[] ms = new double[runs];
      String error = null;
      for (int r = -1; r < runs && error == null; r++) {
        long t0 = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        long t1 = System.nanoTime();
        if (response.statusCode() != 200 || !response.body().contains("\"status\":\"success\"")) {
          error = response.statusCode() + " " + response.body().substring(0, Math.min(200, response.body().length()));
        } else if (r >= 0) {
          ms[r] = (t1 - t0) / 1e6;
        }
      }
      if (error != null) {
        failures++;
        System.out.printf(Locale.ROOT, "%10s  %s%n", "FAILED", query);
        System.out.println("            " + error);
        json.append(String.format(Locale.ROOT, "%s{\"query\":%s,\"failed\":true}", json.length() > 1 ? "," : "",
            quote(query)));
        continue;
      }
      Arrays.sort(ms);
      double median = ms[runs / 2];
      total += median;
      System.out.printf(Locale.ROOT, "%9.1f ms  %s%n", median, query);
      json.append(String.format(Locale.ROOT, "%s{\"query\":%s,\"median_ms\":%.3f}", json.length() > 1 ? "," : "",
          quote(query), median));
    }
    System.out.printf(Locale.ROOT, "%9.1f ms  total of medians, %d queries, %d failed%n", total, corpus.size(),
        failures);
    if (jsonOut != null) {
      Files.writeString(jsonOut, json.append("]\n").toString());
    }
    return failures == 0 ? 0 : 1;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
