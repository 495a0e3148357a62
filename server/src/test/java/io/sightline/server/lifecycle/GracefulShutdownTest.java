package io.sightline.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.server.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command in its own JVM: {@code sightline server} started with a config file, then SIGTERM. A request
 * that is waiting in the batch processor when the signal arrives is still answered with success, because the
 * pipelines drain before the ports close.
 */
class GracefulShutdownTest {
  private static final Pattern HTTP_PORT = Pattern.compile("OTLP HTTP receiver listening.*endpoint=\"?(\\d+)");

  @TempDir
  Path dir;

  @Test
  void sigtermDrainsThePipelinesAndAnswersRequestsInFlight() throws Exception {
    Path config = dir.resolve("sightline.yaml");
    Files.writeString(config, """
        server:
          http: {endpoint: "127.0.0.1:0"}
          data_dir: %s
        receivers:
          otlp:
            protocols:
              http: {endpoint: "127.0.0.1:0"}
        processors:
          batch: {timeout: 30s, send_batch_size: 100000}
        exporters:
          debug: {verbosity: basic}
        service:
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [debug]}
        """.formatted(dir.resolve("data")));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "server", "--config", config.toString(), "--log-level", "info")
        .redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
          Matcher m = HTTP_PORT.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (Exception ignored) {
        // the process ended
      }
    });
    reader.start();
    try {
      int otlpPort = port.get(60, TimeUnit.SECONDS);
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<byte[]>> inFlight = client.sendAsync(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + otlpPort + "/v1/traces")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("""
              {"resourceSpans":[{"scopeSpans":[{"spans":[
                {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"in flight"}]}]}]}
              """)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
      Thread.sleep(500); // the request now waits in the batch processor, whose timeout is 30 s
      assertThat(inFlight).isNotDone();

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      reader.join(5000);
      String log = String.join("\n", lines);
      assertThat(log).contains("Traces").contains("spans=1");
      assertThat(log).containsSubsequence("pipelines stopped", "Sightline stopped");
      // 143 = 128 + SIGTERM: the JVM's status after running its shutdown hooks for a signal.
      assertThat(process.exitValue()).isEqualTo(143);
    } finally {
      process.destroyForcibly();
    }
  }
}
