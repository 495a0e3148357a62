package io.sightline.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.sightline.core.model.Labels;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Loki's push API on the server's HTTP port, as Promtail, Alloy and the Loki Docker driver use it: JSON and snappy
 * protobuf bodies into the embedded log store, and Loki's answers (status and message) for what it refuses.
 */
class LokiPushTest {
  private static final long NOW_NS = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());

  @TempDir
  Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void jsonPushIsStoredWithItsStructuredMetadata() throws Exception {
    try (Sightline server = start("")) {
      String body = """
          {"streams": [
            {"stream": {"app": "shop", "env": "prod"},
             "values": [["%d", "GET /cart 200", {"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}],
                        ["%d", "GET /pay 500"]]},
            {"stream": {"app": "db"}, "values": [["%d", "slow query"]]}
          ]}""".formatted(NOW_NS, NOW_NS + 1, NOW_NS + 2);
      HttpResponse<String> r = post(server, "/loki/api/v1/push", "application/json", body.getBytes());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

      List<StoredLines> stored = StoredLines.all(server.logStore());
      assertThat(stored).extracting(StoredLines::line).containsExactly("GET /cart 200", "GET /pay 500", "slow query");
      StoredLines first = stored.get(0);
      // service_name comes from "app", the first of discover_service_name's labels that the stream has.
      assertThat(first.stream()).isEqualTo(Labels.of("app", "shop", "env", "prod", "service_name", "shop"));
      assertThat(first.timestampNanos()).isEqualTo(NOW_NS);
      assertThat(first.metadata().get("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(stored.get(2).stream()).isEqualTo(Labels.of("app", "db", "service_name", "db"));
    }
  }

  @Test
  void snappyProtobufPushIsStored() throws Exception {
    try (Sightline server = start("")) {
      byte[] body = Snappy.compress(request(stream("{job=\"varlogs\", host=\"h1\"}",
          entry(NOW_NS, "proto line one", "span_id", "00f067aa0ba902b7"), entry(NOW_NS + 5, "proto line two"))));
      HttpResponse<String> r = post(server, "/loki/api/v1/push", "application/x-protobuf", body);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

      List<StoredLines> stored = StoredLines.all(server.logStore());
      assertThat(stored).extracting(StoredLines::line).containsExactly("proto line one", "proto line two");
      assertThat(stored.get(0).stream()).isEqualTo(Labels.of("host", "h1", "job", "varlogs", "service_name",
          "varlogs"));
      assertThat(stored.get(0).metadata().get("span_id")).isEqualTo("00f067aa0ba902b7");
      assertThat(stored.get(1).timestampNanos()).isEqualTo(NOW_NS + 5);
    }
  }

  @Test
  void tooLongLinesAndTooManyLabelsGetLokisErrorsAndTheRestIsKept() throws Exception {
    try (Sightline server = start("""
        storage:
          logs:
            limits: {max_line_size: 20, max_label_names_per_series: 2}
        """)) {
      String body = """
          {"streams": [
            {"stream": {"app": "a"}, "values": [["%d", "short"], ["%d", "a line that is far longer than twenty"]]},
            {"stream": {"app": "b", "x": "1", "y": "2"}, "values": [["%d", "labels"]]}
          ]}""".formatted(NOW_NS, NOW_NS + 1, NOW_NS + 2);
      HttpResponse<String> r = post(server, "/loki/api/v1/push", "application/json", body.getBytes());

      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("max entry size '20' bytes exceeded for stream '{app=\"a\", service_name=\"a\"}'"
          + " while adding an entry with length '37' bytes");
      assertThat(r.body()).contains("entry for stream '{app=\"b\", service_name=\"b\", x=\"1\", y=\"2\"}' has 3 label"
          + " names; limit 2");
      assertThat(StoredLines.all(server.logStore())).extracting(StoredLines::line).containsExactly("short");
    }
  }

  @Test
  void aStreamPastTheLimitIsRefusedWith429() throws Exception {
    try (Sightline server = start("storage: {logs: {max_streams: 1}}")) {
      assertThat(post(server, "/loki/api/v1/push", "application/json", json("one", NOW_NS, "first")).statusCode())
          .isEqualTo(204);
      HttpResponse<String> r = post(server, "/loki/api/v1/push", "application/json", json("two", NOW_NS, "second"));

      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.body()).startsWith("maximum active stream limit exceeded when trying to create stream"
          + " {app=\"two\", service_name=\"two\"}");
      assertThat(StoredLines.all(server.logStore())).extracting(StoredLines::line).containsExactly("first");
    }
  }

  @Test
  void entriesOlderThanTheOutOfOrderWindowAreRefusedOneByOne() throws Exception {
    try (Sightline server = start("storage: {logs: {out_of_order_time_window: 1h}}")) {
      assertThat(post(server, "/loki/api/v1/push", "application/json", json("shop", NOW_NS, "newest")).statusCode())
          .isEqualTo(204);
      long old = NOW_NS - TimeUnit.HOURS.toNanos(2);
      HttpResponse<String> r = post(server, "/loki/api/v1/push", "application/json", json("shop", old, "too old"));

      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("ignored, reason: 'entry too far behind, entry timestamp is: ")
          .contains("user 'fake', total ignored: 1 out of 1 for stream: {app=\"shop\", service_name=\"shop\"}");
      assertThat(StoredLines.all(server.logStore())).extracting(StoredLines::line).containsExactly("newest");
    }
  }

  @Test
  void badBodiesAreRefusedAndStoreNothing() throws Exception {
    try (Sightline server = start("server: {http: {max_request_body_size: 1KiB}}")) {
      HttpResponse<String> json = post(server, "/loki/api/v1/push", "application/json", "{\"streams\": [".getBytes());
      assertThat(json.statusCode()).isEqualTo(400);

      HttpResponse<String> snappy = post(server, "/loki/api/v1/push", "application/x-protobuf", new byte[] {1, 2, 3});
      assertThat(snappy.statusCode()).isEqualTo(400);

      HttpResponse<String> large = post(server, "/loki/api/v1/push", "application/json", new byte[4096]);
      assertThat(large.statusCode()).isEqualTo(413);
      assertThat(large.body()).startsWith("request body too large: message size too large than max");

      HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
          + "/loki/api/v1/push")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(StoredLines.all(server.logStore())).isEmpty();
    }
  }

  private Sightline start(String yaml) throws Exception {
    return TestServers.start(yaml, dataDir, new RecordingExporterFactory());
  }

  private HttpResponse<String> post(Sightline server, String path, String contentType, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] json(String app, long nanos, String line) {
    return ("{\"streams\": [{\"stream\": {\"app\": \"" + app + "\"}, \"values\": [[\"" + nanos + "\", \"" + line
        + "\"]]}]}").getBytes();
  }

  /** {@code logproto.EntryAdapter}: timestamp, line, structured metadata pairs. */
  private static byte[] entry(long nanos, String line, String... metadata) throws IOException {
    return message(o -> {
      o.writeByteArray(1, message(t -> {
        t.writeInt64(1, nanos / 1_000_000_000L);
        t.writeInt32(2, (int) (nanos % 1_000_000_000L));
      }));
      o.writeString(2, line);
      for (int i = 0; i < metadata.length; i += 2) {
        String name = metadata[i];
        String value = metadata[i + 1];
        o.writeByteArray(3, message(p -> {
          p.writeString(1, name);
          p.writeString(2, value);
        }));
      }
    });
  }

  private static byte[] stream(String labels, byte[]... entries) throws IOException {
    return message(o -> {
      o.writeString(1, labels);
      for (byte[] e : entries) {
        o.writeByteArray(2, e);
      }
    });
  }

  private static byte[] request(byte[]... streams) throws IOException {
    return message(o -> {
      for (byte[] s : streams) {
        o.writeByteArray(1, s);
      }
    });
  }

  private interface Fields {
    void write(CodedOutputStream o) throws IOException;
  }

  private static byte[] message(Fields fields) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(bytes);
    fields.write(o);
    o.flush();
    return bytes.toByteArray();
  }
}
