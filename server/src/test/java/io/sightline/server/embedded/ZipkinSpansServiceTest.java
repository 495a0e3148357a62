package io.sightline.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Before the trace store opens (and after it is gone), Zipkin reporters are told to come back later. */
class ZipkinSpansServiceTest {

  @Test
  void aStoreThatIsNotOpenIsA503WithRetryAfter() throws Exception {
    Server server = Server.builder().http(0)
        .service("/api/v2/spans", new ZipkinSpansService(() -> null, 1 << 20, new PrometheusRegistry())).build();
    server.start().join();
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/api/v2/spans"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("[{\"traceId\":\"1\",\"id\":\"2\"}]")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(r.body()).isEqualTo("the trace store is not open: retry later\n");
    } finally {
      server.stop().join();
    }
  }
}
