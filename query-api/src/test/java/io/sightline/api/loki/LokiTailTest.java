package io.sightline.api.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logql.engine.EngineLimits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /loki/api/v1/tail} over a real WebSocket: history, new lines, filters, encodings and the limits. */
class LokiTailTest {
  private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path dir;
  private static io.sightline.logstore.LogStore store;
  private static final long START = System.currentTimeMillis() * 1_000_000L;
  private static Server server;
  /** One tail at a time, each for at most 1.5 s. */
  private static Server limited;

  @BeforeAll
  static void start() throws Exception {
    store = io.sightline.logstore.db.LogDb.open(dir, io.sightline.logstore.LogStoreConfig.defaults());
    Stores.push(store, Labels.of("app", "tail"), new LogEntry(START - 3_000_000_000L, "old one", Labels.EMPTY),
        new LogEntry(START - 2_000_000_000L, "old two", Labels.of("trace_id", "t2")));
    server = serve(LokiApi.Options.DEFAULTS);
    limited = serve(new LokiApi.Options(EngineLimits.defaults(), 1, Duration.ofMillis(1500), 1000));
  }

  private static Server serve(LokiApi.Options options) {
    ServerBuilder sb = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0);
    new LokiApi(() -> store, options, Clock.systemUTC()).addRoutes(sb);
    Server s = sb.build();
    s.start().join();
    return s;
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop().join();
    store.close();
    limited.stop().join();
  }

  /** Collects a connection's text frames and its close. */
  static final class Frames implements WebSocket.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        texts.add(part.toString());
        part.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status + " " + reason);
      return null;
    }

    String next() throws InterruptedException {
      String t = texts.poll(10, TimeUnit.SECONDS);
      assertThat(t).as("a frame within 10 s").isNotNull();
      return t;
    }
  }

  static WebSocket connect(Server s, String query, Frames frames, String... headers) {
    WebSocket.Builder b = client.newWebSocketBuilder();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.buildAsync(URI.create("ws://127.0.0.1:" + s.activeLocalPort() + "/loki/api/v1/tail?" + query), frames)
        .join();
  }

  static String q(String logql) {
    return "query=" + URLEncoder.encode(logql, StandardCharsets.UTF_8);
  }

  @Test
  void sendsTheHistoryThenEachNewLine() throws Exception {
    Frames f = new Frames();
    WebSocket ws = connect(server, q("{app=\"tail\"} != \"skip\"") + "&start=" + (START - 10_000_000_000L), f);
    try {
      assertThat(f.next()).isEqualTo("{\"streams\":[{\"stream\":{\"app\":\"tail\"},\"values\":[[\""
          + (START - 3_000_000_000L) + "\",\"old one\"]]},{\"stream\":{\"app\":\"tail\",\"trace_id\":\"t2\"},"
          + "\"values\":[[\"" + (START - 2_000_000_000L) + "\",\"old two\"]]}]}");
      long t = System.currentTimeMillis() * 1_000_000L;
      Stores.push(store, Labels.of("app", "tail"), new LogEntry(t, "skip me", Labels.EMPTY),
          new LogEntry(t + 1, "fresh", Labels.EMPTY));
      assertThat(f.next()).isEqualTo("{\"streams\":[{\"stream\":{\"app\":\"tail\"},\"values\":[[\"" + (t + 1)
          + "\",\"fresh\"]]}]}");
      long t2 = System.currentTimeMillis() * 1_000_000L;
      Stores.push(store, Labels.of("app", "other"), new LogEntry(t2, "not selected", Labels.EMPTY));
      Stores.push(store, Labels.of("app", "tail"), new LogEntry(t2, "again", Labels.EMPTY));
      assertThat(f.next()).contains("\"again\"").doesNotContain("fresh").doesNotContain("not selected");
      // A line pushed a little after its time (as shippers batch) is still found.
      Thread.sleep(300);
      long late = System.currentTimeMillis() * 1_000_000L - 1_000_000_000L;
      Stores.push(store, Labels.of("app", "tail", "shipper", "batched"), new LogEntry(late, "late", Labels.EMPTY));
      assertThat(f.next()).isEqualTo("{\"streams\":[{\"stream\":{\"app\":\"tail\",\"shipper\":\"batched\"},"
          + "\"values\":[[\"" + late + "\",\"late\"]]}]}");
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
  }

  @Test
  void categorizedLabelsAndLimit() throws Exception {
    Frames f = new Frames();
    WebSocket ws = connect(server, q("{app=\"tail\"} |= \"old\"") + "&limit=1&start=" + (START - 10_000_000_000L),
        f, "X-Loki-Response-Encoding-Flags", "categorize-labels");
    try {
      // The newest line of the history only; its metadata beside the line, the stream keeps its own labels.
      assertThat(f.next()).isEqualTo("{\"streams\":[{\"stream\":{\"app\":\"tail\"},\"values\":[[\""
          + (START - 2_000_000_000L) + "\",\"old two\",{\"structuredMetadata\":{\"trace_id\":\"t2\"}}]]}],"
          + "\"encodingFlags\":[\"categorize-labels\"]}");
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
  }

  @Test
  void badRequestsAreRefusedBeforeTheUpgrade() {
    assertHandshake(q("{app=\"tail\""), 400);
    assertHandshake(q("count_over_time({app=\"tail\"}[1m])"), 400);
    assertHandshake(q("{app=\"tail\"}") + "&delay_for=6", 400);
    assertHandshake(q("{app=\"tail\"}") + "&limit=0", 400);
  }

  private static void assertHandshake(String query, int status) {
    assertThatThrownBy(() -> connect(server, query, new Frames())).isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(status));
  }

  @Test
  void concurrentTailsAndDurationAreBounded() throws Exception {
    Frames first = new Frames();
    WebSocket ws = connect(limited, q("{app=\"tail\"}"), first);
    first.next();
    Frames second = new Frames();
    connect(limited, q("{app=\"tail\"}"), second);
    assertThat(second.closed.get(10, TimeUnit.SECONDS))
        .isEqualTo("1011 max concurrent tail requests limit exceeded, count > limit (2 > 1)");
    // The first one reaches its maximum duration.
    assertThat(first.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1011 reached tail max duration limit");
    ws.abort();
  }
}
