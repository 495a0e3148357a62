package io.sightline.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.server.Main;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command in its own JVM: {@code sightline server} started with a config file, then SIGTERM: it stops in
 * order and exits on its own. (That a request waiting in a batch is answered during shutdown is shown in-process by
 * {@link ShutdownDrainTest}, where the test can hold the exporter.)
 */
class GracefulShutdownTest {
  private static final Pattern HTTP_PORT = Pattern.compile("OTLP HTTP receiver listening.*endpoint=\"?(\\d+)");

  @TempDir
  Path dir;

  private static int awaitPort(Path output, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      Matcher m = HTTP_PORT.matcher(Files.readString(output));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("server did not start:\n" + Files.readString(output));
  }

  @Test
  void sigtermStopsTheServerInOrder() throws Exception {
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
    Path output = dir.resolve("server.log");
    Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "server", "--config", config.toString(), "--log-level", "info")
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      int otlpPort = awaitPort(output, process);
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<byte[]> accepted = client.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + otlpPort + "/v1/traces")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("""
              {"resourceSpans":[{"scopeSpans":[{"spans":[
                {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"in flight"}]}]}]}
              """)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(accepted.statusCode()).isEqualTo(200);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      String log = Files.readString(output);
      assertThat(log).containsPattern("Traces .*spans=\"?1\"?");
      assertThat(log).containsSubsequence("Sightline is ready", "pipelines stopped", "Sightline stopped");
      // 143 = 128 + SIGTERM: the JVM's status after running its shutdown hooks for a signal.
      assertThat(process.exitValue()).isEqualTo(143);
    } finally {
      process.destroyForcibly();
    }
  }
}
