package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import static io.sightline.collector.receiver.loki.PushMessages.entry;
import static io.sightline.collector.receiver.loki.PushMessages.message;
import static io.sightline.collector.receiver.loki.PushMessages.request;
import static io.sightline.collector.receiver.loki.PushMessages.snappy;
import static io.sightline.collector.receiver.loki.PushMessages.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PushBodyTest {
  private static final long MAX = 1 << 20;
  private static final String PROTO = "application/x-protobuf";
  private static final String JSON = "application/json";

  private static List<PushStream> decode(String type, String encoding, byte[] body) throws PushException {
    return PushBody.decode(type, encoding, body, MAX);
  }

  private static List<PushStream> json(String body) throws PushException {
    return decode(JSON, null, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void failsWith(int status, String message, ThrowingCallable decoding) {
    assertThatThrownBy(decoding).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.getMessage()).isEqualTo(message);
      assertThat(e.status()).isEqualTo(status);
    });
  }

  @Test
  void snappyProtobufWithStructuredMetadata() throws Exception {
    byte[] body = snappy(request(
        stream("{app=\"shop\", env=\"prod\"}", entry(1_700_000_000, 5, "paid", "trace_id", "4bf92f", "user", "u1"),
            entry(1_700_000_001, 0, "shipped")),
        stream("{app=\"cart\"}", entry(1_700_000_002, 0, "added"))));
    List<PushStream> streams = decode(PROTO, null, body);
    assertThat(streams).hasSize(2);
    assertThat(streams.get(0).labels().toString()).isEqualTo("{app=\"shop\", env=\"prod\"}");
    assertThat(streams.get(0).entries()).containsExactly(
        new LogEntry(1_700_000_000_000_000_005L, "paid", Labels.of("trace_id", "4bf92f", "user", "u1")),
        new LogEntry(1_700_000_001_000_000_000L, "shipped", Labels.EMPTY));
    assertThat(streams.get(1).entries()).extracting(LogEntry::line).containsExactly("added");
  }

  @Test
  void anyOtherContentTypeIsSnappyProtobufAndSnappyEncodingChangesNothing() throws Exception {
    byte[] body = snappy(request(stream("{a=\"1\"}", entry(1, 0, "x"))));
    assertThat(decode("text/plain", "snappy", body)).hasSize(1);
    assertThat(decode("application/x-protobuf; charset=binary", "", body)).hasSize(1);
  }

  @Test
  void unknownFieldsAndParsedLabelsAreSkipped() throws Exception {
    byte[] entryWithExtras = message(o -> {
      o.writeString(2, "line");
      o.writeByteArray(4, message(p -> { p.writeString(1, "parsed"); p.writeString(2, "x"); }));
      o.writeFixed64(9, 7);
      o.writeFixed32(10, 7);
      o.writeUInt64(11, 7);
    });
    byte[] s = message(o -> {
      o.writeString(1, "{a=\"1\"}");
      o.writeByteArray(2, entryWithExtras);
      o.writeUInt64(3, 12345); // hash
    });
    byte[] req = message(o -> {
      o.writeByteArray(1, s);
      o.writeString(2, "loki"); // format
    });
    List<PushStream> streams = decode(PROTO, null, snappy(req));
    assertThat(streams.get(0).entries()).containsExactly(new LogEntry(0, "line", Labels.EMPTY));
  }

  @Test
  void gzipAndDeflateBodies() throws Exception {
    String json = "{\"streams\":[{\"stream\":{\"a\":\"1\"},\"values\":[[\"5\",\"x\"]]}]}";
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(decode(JSON, "gzip", gz.toByteArray()).get(0).entries()).hasSize(1);
    for (boolean raw : new boolean[] {true, false}) {
      ByteArrayOutputStream df = new ByteArrayOutputStream();
      try (DeflaterOutputStream out = new DeflaterOutputStream(df, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(decode(JSON, "deflate", df.toByteArray()).get(0).entries()).hasSize(1);
    }
    // protobuf bodies are gzip'ed snappy: the gzip layer comes off first
    ByteArrayOutputStream gzProto = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzProto)) {
      out.write(snappy(request(stream("{a=\"1\"}", entry(1, 0, "x")))));
    }
    assertThat(decode(PROTO, "gzip", gzProto.toByteArray())).hasSize(1);
  }

  @Test
  void jsonBodies() throws Exception {
    List<PushStream> streams = json("""
        {"streams": [
          {"stream": {"env": "prod", "app": "shop"},
           "values": [["1700000000000000001", "paid", {"trace_id": "4bf92f", "user": "u1"}],
                      null,
                      ["1700000000000000002", "with extras", {}, "ignored", [1, 2]]]},
          {"values": [["3", "no labels"]], "unknown": {"x": [1]}},
          {"stream": {"n": 5, "b": true}, "values": null}
        ], "other": 1}""");
    assertThat(streams).hasSize(3);
    assertThat(streams.get(0).labels().toString()).isEqualTo("{app=\"shop\", env=\"prod\"}");
    assertThat(streams.get(0).entries()).containsExactly(
        new LogEntry(1_700_000_000_000_000_001L, "paid", Labels.of("trace_id", "4bf92f", "user", "u1")),
        new LogEntry(1_700_000_000_000_000_002L, "with extras", Labels.EMPTY));
    assertThat(streams.get(1).labels().isEmpty()).isTrue();
    assertThat(streams.get(1).entries()).containsExactly(new LogEntry(3, "no labels", Labels.EMPTY));
    assertThat(streams.get(2).labels().toString()).isEqualTo("{b=\"true\", n=\"5\"}");
    assertThat(streams.get(2).entries()).isEmpty();
  }

  @Test
  void jsonNullBodyAndNullStreamsAreNoStreams() throws Exception {
    assertThat(json("null")).isEmpty();
    assertThat(json("{\"streams\": null}")).isEmpty();
    assertThat(json("{}")).isEmpty();
  }

  @Test
  void jsonLabelNamesAreParsedAsLokiParsesItsLabelString() {
    failsWith(400, "couldn't parse labels: 1:3: parse error: unexpected character inside braces: '.'",
        () -> json("{\"streams\":[{\"stream\":{\"a.b\":\"c\"},\"values\":[[\"1\",\"x\"]]}]}"));
  }

  /** "… " stands for the path jsoniter puts before an error of one element of "streams". */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      ^^ | EOF
      [] | loghttp.PushRequest.ReadObjectCB: expect { or n, but found [
      {"streams": {}} | loghttp.PushRequest.Streams: []loghttp.LogProtoStream: decode slice: expect [ or n, but found {
      {"streams": [1]} | … Value looks like object, but can't find closing '}' symbol
      {"streams": [{"stream": null}]} | … Value looks like object, but can't find closing '}' symbol
      {"streams": [{"values": {}}]} | … Value is array, but can't find closing ']' symbol
      {"streams": [{"values": ["x"]}]} | … Value is array, but can't find closing ']' symbol
      {"streams": [{"values": [[1, "x"]]}]} | … Value is string, but can't find closing '"' symbol
      {"streams": [{"values": [["1", 2]]}]} | … Value is string, but can't find closing '"' symbol
      {"streams": [{"values": [["x", "a"]]}]} | … Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol
      {"streams": [{"values": [["1.5", "a"]]}]} | … Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol
      {"streams": [{"values": [["99999999999999999999", "a"]]}]} | … Value is number, but overflowed while parsing
      {"streams": [{"values": [["1", "a", "md"]]}]} | … Value looks like object, but can't find closing '}' symbol
      {"streams": [{"values": [["1", "a", {"k": 1}]]}]} | … Value is string, but can't find closing '"' symbol
      """)
  void malformedJson(String body, String message) {
    failsWith(400, message.replace("… ", PushJsonDecoder.STREAM_ERROR), () -> json(body));
  }

  @Test
  void jsonSyntaxErrorsAre400WithTheParsersWords() {
    assertThatThrownBy(() -> json("{\"streams\": [{\"stream\": {\"a\": \"1\"}, ")).isInstanceOfSatisfying(
        PushException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).startsWith("loghttp.PushRequest: Unexpected end-of-input");
        });
    assertThatThrownBy(() -> json("{\"streams\": [}")).isInstanceOfSatisfying(PushException.class,
        e -> assertThat(e.getMessage()).startsWith("loghttp.PushRequest: Unexpected close marker '}'"));
  }

  @Test
  void headersLokiRefuses() {
    byte[] body = snappy(request(stream("{a=\"1\"}", entry(1, 0, "x"))));
    failsWith(400, "mime: no media type", () -> decode(null, null, body));
    failsWith(400, "mime: no media type", () -> decode("  ; charset=utf-8", null, body));
    failsWith(400, "Content-Encoding \"br\" not supported", () -> decode(PROTO, "br", body));
  }

  @Test
  void malformedCompression() {
    failsWith(400, "snappy: corrupt input", () -> decode(PROTO, null, "not snappy".getBytes(StandardCharsets.UTF_8)));
    failsWith(400, "gzip: invalid header", () -> decode(JSON, "gzip", "not gzip".getBytes(StandardCharsets.UTF_8)));
    failsWith(400, "flate: corrupt input", () -> decode(JSON, "deflate", new byte[] {(byte) 0xff, 1, 2, 3}));
  }

  @Test
  void decompressedSizeLimits() throws Exception {
    byte[] big = new byte[(int) MAX + 10];
    Arrays.fill(big, (byte) ' ');
    failsWith(413, "request body too large: decompressed message size too large than max (1048586 vs 1048576)",
        () -> decode(PROTO, null, snappy(big)));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(big);
    }
    failsWith(413, "request body too large: decompressed message size too large than max (1048577 vs 1048576)",
        () -> decode(JSON, "gzip", gz.toByteArray()));
  }

  @Test
  void badLabelStringsRefuseTheWholePush() {
    byte[] body = snappy(request(stream("{a=\"1\"}", entry(1, 0, "ok")), stream("{a=\"1\"", entry(1, 0, "x"))));
    failsWith(400, "couldn't parse labels: 1:7: parse error: unexpected end of input inside braces",
        () -> decode(PROTO, null, body));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      truncated stream | 0a 05 0a 03 7b 7d | unexpected EOF
      truncated varint | 0a 80 | unexpected EOF
      overlong varint | 0a ff ff ff ff ff ff ff ff ff ff 01 | proto: integer overflow
      negative length | 0a ff ff ff ff ff ff ff ff ff 01 | proto: negative length found during unmarshaling
      streams as varint | 08 01 | proto: wrong wireType = 0 for field Streams
      end group | 0c | proto: PushRequest: wiretype end group for non-group
      field zero | 02 00 | proto: PushRequest: illegal tag 0 (wire type 2)
      illegal wire type | 7f | proto: illegal wireType 7
      labels as varint | 0a 02 08 01 | proto: wrong wireType = 0 for field StructuredMetadata
      line as varint | 0a 04 12 02 10 01 | proto: wrong wireType = 0 for field Line
      entry end group | 0a 03 12 01 14 | proto: EntryAdapter: wiretype end group for non-group
      metadata name varint | 0a 06 12 04 1a 02 08 01 | proto: wrong wireType = 0 for field Name
      seconds as bytes | 0a 06 12 04 0a 02 0a 00 | proto: wrong wireType = 2 for field Seconds
      nanos out of range | 0a 0a 12 08 0a 06 10 80 94 eb dc 03 | timestamp: &types.Timestamp{Seconds: 0,\\nNanos: 1000000000,\\n}: nanos not in range [0, 1e9)
      """)
  void malformedProtobufFailsWithGogosMessage(String what, String hex, String message) {
    byte[] raw = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
    failsWith(400, message.replace("\\n", "\n"), () -> decode(PROTO, null, snappy(raw)));
  }

  @Test
  void invalidUtf8IsReplacedNotRefused() throws Exception {
    byte[] line = {'a', (byte) 0xff, 'b'};
    byte[] e = message(o -> o.writeByteArray(2, line));
    List<PushStream> streams = decode(PROTO, null, snappy(request(stream("{a=\"1\"}", e))));
    assertThat(streams.get(0).entries().get(0).line()).isEqualTo("a\uFFFDb");
  }

  @Test
  void emptyBodiesDecodeToNoStreams() throws Exception {
    assertThat(decode(PROTO, null, snappy(new byte[0]))).isEmpty();
  }
}
