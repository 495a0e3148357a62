package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * PromQL through the Prometheus HTTP API of a running server: result types, values computed over stored samples,
 * annotations, and errors and limits in Prometheus' shape (status code, {@code errorType}, message).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromqlApiTest {
  /** The data's last sample: a whole minute, 20 minutes ago, so that no sample is too far in the past or future. */
  private static final long END = (System.currentTimeMillis() / 60_000 - 20) * 60_000;

  @TempDir
  static Path dir;
  private Sightline sightline;
  private Sightline limited;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    sightline = TestServers.start("{}", dir.resolve("a"), new RecordingExporterFactory());
    limited = TestServers.start("server: {query: {max_samples: 50}}", dir.resolve("b"), new RecordingExporterFactory());
    for (Sightline s : new Sightline[] {sightline, limited}) {
      Appender a = s.metricStore().appender();
      // Two counters of one job, rising 10 and 5 per 15 s scrape, for 20 minutes; and a gauge.
      for (long t = END - 20 * 60_000; t <= END; t += 15_000) {
        long n = (t - (END - 20 * 60_000)) / 15_000;
        a.append(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a"), t, 10.0 * n);
        a.append(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "b"), t, 5.0 * n);
        a.append(Labels.of("__name__", "temperature", "room", "lab"), t, 20 + n % 3);
      }
      a.commit();
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (sightline != null) {
      sightline.close();
    }
    if (limited != null) {
      limited.close();
    }
  }

  private record Reply(int status, JsonNode body) {}

  private Reply get(Sightline server, String path, String... params) throws Exception {
    StringBuilder uri = new StringBuilder("http://127.0.0.1:" + server.httpPort() + path);
    for (int i = 0; i < params.length; i += 2) {
      uri.append(i == 0 ? '?' : '&').append(params[i]).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), new ObjectMapper().readTree(r.body()));
  }

  private Reply instant(Sightline server, String query) throws Exception {
    return get(server, "/api/v1/query", "query", query, "time", Double.toString(END / 1000.0));
  }

  @Test
  void ratesAndAggregationsOverStoredSamples() throws Exception {
    Reply r = instant(sightline, "sum by (job) (rate(http_requests_total[5m]))");
    assertThat(r.status()).isEqualTo(200);
    JsonNode result = r.body().at("/data/result");
    assertThat(r.body().at("/data/resultType").asText()).isEqualTo("vector");
    assertThat(result).hasSize(1);
    assertThat(result.get(0).at("/metric").toString()).isEqualTo("{\"job\":\"api\"}");
    // 10 and 5 per 15 s: 2/3 and 1/3 per second
    assertThat(Double.parseDouble(result.get(0).at("/value/1").asText())).isCloseTo(1.0, org.assertj.core.data.Offset
        .offset(1e-9));

    Reply name = instant(sightline, "rate(http_requests_total{instance=\"a\"}[5m])");
    assertThat(name.body().at("/data/result/0/metric").toString()).isEqualTo("{\"instance\":\"a\",\"job\":\"api\"}");

    Reply kept = instant(sightline, "last_over_time(temperature[1m])");
    assertThat(kept.body().at("/data/result/0/metric/__name__").asText()).isEqualTo("temperature");
  }

  @Test
  void rangeQueriesGiveAPointPerStep() throws Exception {
    Reply r = get(sightline, "/api/v1/query_range", "query", "sum(http_requests_total) / 15", "start",
        Double.toString((END - 600_000) / 1000.0), "end", Double.toString(END / 1000.0), "step", "60");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().at("/data/resultType").asText()).isEqualTo("matrix");
    JsonNode values = r.body().at("/data/result/0/values");
    assertThat(values).hasSize(11);
    // at END: n = 80 scrapes, (800 + 400) / 15
    assertThat(values.get(10).get(1).asText()).isEqualTo("80");
    assertThat(values.get(10).get(0).asDouble()).isEqualTo(END / 1000.0);
  }

  @Test
  void scalarAndStringResults() throws Exception {
    Reply scalar = instant(sightline, "1 + 2 * 3");
    assertThat(scalar.body().at("/data/resultType").asText()).isEqualTo("scalar");
    assertThat(scalar.body().at("/data/result/1").asText()).isEqualTo("7");
    Reply string = instant(sightline, "\"hello\"");
    assertThat(string.body().at("/data/resultType").asText()).isEqualTo("string");
    assertThat(string.body().at("/data/result/1").asText()).isEqualTo("hello");
  }

  @Test
  void annotationsAreReported() throws Exception {
    Reply info = instant(sightline, "rate(temperature[5m])");
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.body().at("/infos/0").asText()).isEqualTo("PromQL info: metric might not be a counter, name does "
        + "not end in _total/_sum/_count/_bucket: \"temperature\"");
    Reply warning = get(sightline, "/api/v1/query_range", "query", "sort(temperature)", "start",
        Double.toString((END - 60_000) / 1000.0), "end", Double.toString(END / 1000.0), "step", "15");
    assertThat(warning.body().at("/warnings/0").asText())
        .isEqualTo("PromQL warning: sort is ineffective for range queries since results are always ordered by labels");
  }

  @Test
  void errorsHavePrometheusShape() throws Exception {
    Reply parse = instant(sightline, "sum(rate(x[5m])");
    assertThat(parse.status()).isEqualTo(400);
    assertThat(parse.body().at("/errorType").asText()).isEqualTo("bad_data");
    assertThat(parse.body().at("/error").asText()).startsWith("invalid parameter \"query\": 1:16: parse error: ");

    Reply type = instant(sightline, "rate(temperature)");
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.body().at("/error").asText())
        .contains("expected type range vector in call to function \"rate\", got instant vector");

    Reply matching = instant(sightline, "http_requests_total + on(job) http_requests_total");
    assertThat(matching.status()).isEqualTo(422);
    assertThat(matching.body().at("/errorType").asText()).isEqualTo("execution");
    assertThat(matching.body().at("/error").asText()).contains("many-to-many matching not allowed");

    Reply rangeOfMatrix = get(sightline, "/api/v1/query_range", "query", "temperature[5m]", "start", "0", "end", "60",
        "step", "15");
    assertThat(rangeOfMatrix.status()).isEqualTo(400);
    assertThat(rangeOfMatrix.body().at("/error").asText()).isEqualTo("invalid parameter \"query\": invalid expression "
        + "type \"range vector\" for range query, must be Scalar or instant Vector");
  }

  @Test
  void limitsFailTheQueryNotTheServer() throws Exception {
    Reply samples = instant(limited, "sum(rate(http_requests_total[10m]))");
    assertThat(samples.status()).isEqualTo(422);
    assertThat(samples.body().at("/error").asText())
        .isEqualTo("query processing would load too many samples into memory in query execution");

    Reply steps = instant(sightline, "count_over_time(vector(1)[30d:1ms])");
    assertThat(steps.status()).isEqualTo(422);
    assertThat(steps.body().at("/error").asText()).contains("too many samples");

    Reply timeout = get(sightline, "/api/v1/query", "query", "sum(http_requests_total)", "time",
        Double.toString(END / 1000.0), "timeout", "0.000000001");
    assertThat(timeout.status()).isEqualTo(503);
    assertThat(timeout.body().at("/errorType").asText()).isEqualTo("timeout");

    // the limited server still answers what fits
    assertThat(instant(limited, "temperature").status()).isEqualTo(200);
  }
}
