package io.sightline.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.logstore.LogStoreConfig;
import io.sightline.logstore.db.LogDb;
import io.sightline.server.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in its own process takes Loki pushes from two senders and is killed with SIGKILL while they keep pushing;
 * every line of a push the server had answered with 204 is then in its log store, read from the data directory.
 */
class LogDurabilityTest {
  private static final int SENDERS = 2;
  private static final int LINES_PER_PUSH = 50;
  private static final Duration STREAM_BEFORE_KILL = Duration.ofSeconds(3);

  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void everyAcknowledgedLineIsInTheStoreAfterAKill9() throws Exception {
    Path data = dir.resolve("data");
    int httpPort = ServerProcess.freePort();
    Process server = start(data, httpPort);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> senders = new ArrayList<>();
    try {
      ServerProcess.awaitReady(httpPort, server, dir.resolve("server.log"));
      for (int i = 0; i < SENDERS; i++) {
        int sender = i;
        senders.add(Thread.ofPlatform().name("pusher-" + i).start(() -> push(httpPort, sender, stop, acknowledged)));
      }
      Thread.sleep(STREAM_BEFORE_KILL.toMillis());
      server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      for (Thread t : senders) {
        t.join(TimeUnit.SECONDS.toMillis(20));
      }
    } finally {
      stop.set(true);
      server.destroyForcibly();
    }
    assertThat(acknowledged).as("lines acknowledged before the kill; server log:\n%s",
        Files.readString(dir.resolve("server.log"))).hasSizeGreaterThan(500);

    try (LogDb store = LogDb.open(data.resolve("logs"), LogStoreConfig.defaults())) {
      Set<String> stored = new HashSet<>();
      for (StoredLines line : StoredLines.all(store)) {
        assertThat(stored.add(line.line())).as("line %s stored twice", line.line()).isTrue();
      }
      assertThat(stored).containsAll(acknowledged);
    }
  }

  /** Pushes batches of numbered lines, one stream per sender, until told to stop or the server is gone. */
  private void push(int port, int sender, AtomicBoolean stop, Set<String> acknowledged) {
    long base = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    int failuresInARow = 0;
    for (int batch = 0; !stop.get() && failuresInARow < 3; batch++) {
      List<String> lines = new ArrayList<>();
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < LINES_PER_PUSH; i++) {
        String line = "sender=" + sender + " batch=" + batch + " line=" + i + " msg=\"payment accepted\"";
        lines.add(line);
        values.append(i == 0 ? "" : ",").append("[\"").append(base + (long) batch * LINES_PER_PUSH + i)
            .append("\",\"").append(line.replace("\"", "\\\"")).append("\"]");
      }
      String body = "{\"streams\":[{\"stream\":{\"app\":\"durability\",\"sender\":\"" + sender + "\"},\"values\":["
          + values + "]}]}";
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/loki/api/v1/push")).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 204) {
          acknowledged.addAll(lines);
          failuresInARow = 0;
        } else {
          failuresInARow++;
        }
      } catch (IOException e) {
        failuresInARow++;
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Process start(Path data, int httpPort) throws IOException {
    Path config = dir.resolve("server.yaml");
    Files.writeString(config, """
        server:
          http: {endpoint: "127.0.0.1:%d"}
          data_dir: %s
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "127.0.0.1:0"}
              http: {endpoint: "127.0.0.1:0"}
        """.formatted(httpPort, data));
    return ServerProcess.start(config, dir.resolve("server.log"));
  }
}
