package io.sightline.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * logcli's and Grafana's live tail: a WebSocket on {@code /loki/api/v1/tail} receives a line pushed after it opened,
 * and only lines its query selects. The delivery time is printed (the goal is under a second; the assertion only
 * waits generously, as timing belongs to benchmarks).
 */
class LokiTailEndToEndTest {
  @TempDir
  Path dataDir;

  @Test
  void aPushedLineReachesTheTail() throws Exception {
    try (Sightline server = TestServers.start("", dataDir, new RecordingExporterFactory())) {
      HttpClient http = HttpClient.newHttpClient();
      LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
      String query = URLEncoder.encode("{app=\"tail\"} |= \"wanted\"", StandardCharsets.UTF_8);
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort()
          + "/loki/api/v1/tail?query=" + query), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
              text.append(data);
              if (last) {
                frames.add(text.toString());
                text.setLength(0);
              }
              webSocket.request(1);
              return null;
            }
          }).join();
      try {
        Thread.sleep(300); // the tail is registered before the push
        long pushed = System.nanoTime();
        long nowNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        String body = "{\"streams\": [{\"stream\": {\"app\": \"tail\"}, \"values\": [[\"" + nowNs
            + "\", \"not this one\"], [\"" + (nowNs + 1) + "\", \"the wanted line\"]]}, {\"stream\": {\"app\": "
            + "\"other\"}, \"values\": [[\"" + nowNs + "\", \"wanted elsewhere\"]]}]}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
            + "/loki/api/v1/push")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);

        String frame = frames.poll(10, TimeUnit.SECONDS);
        while (frame != null && !frame.contains("the wanted line")) {
          assertThat(frame).doesNotContain("not this one").doesNotContain("wanted elsewhere");
          frame = frames.poll(10, TimeUnit.SECONDS);
        }
        System.out.printf("tail delivered a pushed line in %.0f ms%n", (System.nanoTime() - pushed) / 1e6);
        assertThat(frame).as("a tail frame with the pushed line").isNotNull();
        assertThat(frame).contains("\"app\":\"tail\"").doesNotContain("not this one")
            .doesNotContain("wanted elsewhere");
      } finally {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
      }
    }
  }
}
