package io.sightline.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sightline.collector.config.ConfigMap;
import io.sightline.server.Main;
import io.sightline.server.Sightline;
import io.sightline.server.config.ConfigSources;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * No Docker engine runs here, so the files in deploy/ are checked against what the server really serves: every port
 * the compose file publishes is one the server or the shop listens on by default, every command parses as a
 * {@code sightline} command, and every Grafana data source answers the health check Grafana sends it, on a running
 * server, at the URL's path.
 */
class DeployFilesTest {
  private static final Path DEPLOY = repositoryRoot().resolve("deploy");
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dataDir;

  @Test
  void composePublishesThePortsTheServerAndTheShopListenOn() throws Exception {
    JsonNode services = yaml.readTree(DEPLOY.resolve("docker-compose.yaml").toFile()).path("services");
    ConfigMap defaults = ConfigSources.defaults();
    Set<Integer> serverPorts = Set.of(port(defaults.map("server").map("http").string("endpoint", "")),
        port(defaults.map("receivers").map("otlp").map("protocols").map("grpc").string("endpoint", "")),
        port(defaults.map("receivers").map("otlp").map("protocols").map("http").string("endpoint", "")));
    assertThat(serverPorts).containsExactlyInAnyOrder(3000, 4317, 4318);

    JsonNode sightline = services.path("sightline");
    assertThat(containerPorts(sightline)).containsExactlyInAnyOrderElementsOf(serverPorts);
    assertThat(parses(strings(sightline.path("command")))).isEqualTo("server");

    JsonNode shop = services.path("shop");
    List<String> shopCommand = strings(shop.path("command"));
    assertThat(parses(shopCommand)).isEqualTo("shop");
    URI otlp = URI.create(shopCommand.get(shopCommand.indexOf("--otlp-endpoint") + 1));
    assertThat(services.has(otlp.getHost())).as("the shop exports to a compose service").isTrue();
    assertThat(otlp.getPort()).isEqualTo(4318);
    assertThat(containerPorts(shop)).containsExactly(Integer.parseInt(shopCommand.get(shopCommand.indexOf("--port")
        + 1)));
    assertThat(shop.path("image").asText()).isEqualTo(sightline.path("image").asText());

    for (JsonNode volume : services.path("grafana").path("volumes")) {
      Path source = DEPLOY.resolve(volume.asText().split(":")[0]).normalize();
      assertThat(source).as("grafana mounts %s", volume.asText()).exists();
    }
  }

  @Test
  void theDockerfileBuildsAndRunsTheServerJar() throws Exception {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    Matcher copy = Pattern.compile("COPY --from=build /src/(\\S+) (\\S+)").matcher(dockerfile);
    assertThat(copy.find()).isTrue();
    assertThat(copy.group(1)).isEqualTo("server/target/sightline.jar");
    assertThat(Files.readString(repositoryRoot().resolve("server/pom.xml"))).contains("<finalName>sightline</finalName>");
    assertThat(dockerfile).contains("\"-jar\", \"" + copy.group(2) + "\"");
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(dockerfile);
    assertThat(expose.find()).isTrue();
    assertThat(expose.group(1).split(" ")).contains("3000", "4317", "4318", "8080");
    Matcher cmd = Pattern.compile("(?m)^CMD \\[(.+)]$").matcher(dockerfile);
    assertThat(cmd.find()).isTrue();
    List<String> args = new ArrayList<>();
    for (String a : cmd.group(1).split(",")) {
      args.add(a.strip().replace("\"", ""));
    }
    assertThat(parses(args)).isEqualTo("server");
  }

  @Test
  void everyGrafanaDataSourceAnswersGrafanasHealthCheckOnARunningServer() throws Exception {
    JsonNode sources = yaml.readTree(DEPLOY.resolve("grafana/provisioning/datasources/sightline.yaml").toFile())
        .path("datasources");
    Map<String, String> typeByUid = new HashMap<>();
    sources.forEach(s -> typeByUid.put(s.path("uid").asText(), s.path("type").asText()));
    assertThat(typeByUid.values()).containsExactlyInAnyOrder("prometheus", "tempo", "loki", "jaeger");

    try (Sightline server = TestServers.start("", dataDir, new RecordingExporterFactory())) {
      for (JsonNode source : sources) {
        URI url = URI.create(source.path("url").asText());
        assertThat(url.getHost()).isEqualTo("sightline");
        assertThat(url.getPort()).as("the sightline service's HTTP port").isEqualTo(3000);
        String base = "http://127.0.0.1:" + server.httpPort() + url.getPath();
        switch (source.path("type").asText()) {
          case "prometheus" -> assertThat(post(base + "/api/v1/query", "query=1%2B1")).contains("\"success\"");
          case "tempo" -> assertThat(get(base + "/api/echo")).isEqualTo("echo");
          case "loki" -> {
            assertThat(get(base + "/loki/api/v1/query?query="
                + URLEncoder.encode("vector(1)+vector(1)", StandardCharsets.UTF_8))).contains("\"success\"");
            assertThat(get(base + "/loki/api/v1/labels")).contains("\"success\"");
          }
          case "jaeger" -> assertThat(get(base + "/api/services")).contains("\"data\"");
          default -> throw new AssertionError("unexpected data source " + source);
        }
      }
    }

    // Every link names a data source that exists, of the kind the link needs.
    Set<String> links = new HashSet<>();
    for (JsonNode source : sources) {
      JsonNode j = source.path("jsonData");
      j.path("exemplarTraceIdDestinations").forEach(d -> assertThat(typeByUid.get(d.path("datasourceUid").asText()))
          .isEqualTo("tempo"));
      j.path("derivedFields").forEach(d -> assertThat(typeByUid.get(d.path("datasourceUid").asText()))
          .isEqualTo("tempo"));
      for (String key : List.of("tracesToLogs", "tracesToLogsV2", "lokiSearch")) {
        if (j.has(key)) {
          assertThat(typeByUid.get(j.path(key).path("datasourceUid").asText())).as(key).isEqualTo("loki");
          links.add(key);
        }
      }
      for (String key : List.of("tracesToMetrics", "serviceMap")) {
        if (j.has(key)) {
          assertThat(typeByUid.get(j.path(key).path("datasourceUid").asText())).as(key).isEqualTo("prometheus");
          links.add(key);
        }
      }
    }
    assertThat(links).contains("tracesToLogs", "tracesToMetrics");
  }

  /** The subcommand {@code args} run, once picocli has parsed them as {@code sightline} would. */
  private static String parses(List<String> args) {
    CommandLine.ParseResult result = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
    assertThat(result.hasSubcommand()).as("%s is a sightline command", args).isTrue();
    return result.subcommand().commandSpec().name();
  }

  private static List<Integer> containerPorts(JsonNode service) {
    List<Integer> ports = new ArrayList<>();
    service.path("ports").forEach(p -> {
      String[] parts = p.asText().split(":");
      ports.add(Integer.parseInt(parts[parts.length - 1]));
    });
    return ports;
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  private String get(String uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", uri, r.body()).isEqualTo(200);
    return r.body();
  }

  private String post(String uri, String form) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("POST %s: %s", uri, r.body()).isEqualTo(200);
    return r.body();
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no deploy/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
