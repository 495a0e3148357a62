package io.sightline.server.testing;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.server.Sightline;
import io.sightline.server.config.ConfigSources;
import java.nio.file.Path;

/** Starts servers for tests on free loopback ports, with a data directory of the test's own. */
public final class TestServers {
  private TestServers() {}

  /**
   * A server whose config is the defaults with {@code yaml} laid over them, every port moved to 127.0.0.1:0, and a
   * {@code recording} exporter available.
   */
  public static Sightline start(String yaml, Path dataDir, RecordingExporterFactory recording) throws Exception {
    ConfigMap config = config(yaml, dataDir);
    return Sightline.builder(config).exporter(recording).build().start();
  }

  /** {@code GET} of a server API with query parameters (name, value, ...), asserting a 200, as JSON. */
  public static com.fasterxml.jackson.databind.JsonNode getJson(java.net.http.HttpClient http, int port, String path,
      String... params) throws Exception {
    StringBuilder uri = new StringBuilder("http://127.0.0.1:" + port + path);
    for (int i = 0; i < params.length; i += 2) {
      uri.append(i == 0 ? '?' : '&')
          .append(java.net.URLEncoder.encode(params[i], java.nio.charset.StandardCharsets.UTF_8)).append('=')
          .append(java.net.URLEncoder.encode(params[i + 1], java.nio.charset.StandardCharsets.UTF_8));
    }
    java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(uri.toString())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
  }

  public static ConfigMap config(String yaml, Path dataDir) {
    YamlConfigLoader loader = new YamlConfigLoader(k -> null);
    ConfigSources sources = new ConfigSources(loader);
    ConfigMap config = ConfigSources.layer(ConfigSources.defaults(), loader.parse("test.yaml", yaml));
    config = sources.set(config, "server.http.endpoint=127.0.0.1:0");
    config = sources.set(config, "server.data_dir='" + dataDir + "'");
    if (config.map("receivers").has("otlp")) {
      config = sources.set(config, "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:0");
      config = sources.set(config, "receivers.otlp.protocols.http.endpoint=127.0.0.1:0");
    }
    return config;
  }
}
