package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import static io.sightline.collector.receiver.loki.PushMessages.entry;
import static io.sightline.collector.receiver.loki.PushMessages.request;
import static io.sightline.collector.receiver.loki.PushMessages.snappy;
import static io.sightline.collector.receiver.loki.PushMessages.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LokiDistributorTest {
  /** 2024-06-01T12:00:00Z. */
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final long NOW_NS = NOW.getEpochSecond() * 1_000_000_000L;
  private static final long MINUTE = 60_000_000_000L;

  private final RecordingLogSink sink = new RecordingLogSink();
  private final AtomicLong monotonic = new AtomicLong(1_000);

  private LokiDistributor distributor(LokiLimits limits) {
    return new LokiDistributor(limits, sink, Clock.fixed(NOW, ZoneOffset.UTC), monotonic::get);
  }

  private final LokiDistributor loki = distributor(LokiLimits.DEFAULT);

  private static LokiLimits.Builder limits() {
    return LokiLimits.builder();
  }

  private static PushResult json(LokiDistributor d, String body) {
    return d.push("application/json", null, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON push of one stream whose labels are a JSON object and whose entries are (ns, line) pairs. */
  private static String oneStream(String labels, Object... tsAndLines) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < tsAndLines.length; i += 2) {
      values.append(values.isEmpty() ? "" : ",").append("[\"").append(tsAndLines[i]).append("\",\"")
          .append(tsAndLines[i + 1]).append("\"]");
    }
    return "{\"streams\":[{\"stream\":" + labels + ",\"values\":[" + values + "]}]}";
  }

  @Test
  void aValidPushIsStoredAnd204() {
    PushResult r = json(loki, oneStream("{\"app\":\"shop\",\"env\":\"prod\"}", NOW_NS, "level=info paid",
        NOW_NS + 1, "level=error failed"));
    assertThat(r).isEqualTo(new PushResult(204, ""));
    assertThat(sink.committed).hasSize(1);
    assertThat(sink.committed.get(0).stream()).isEqualTo(Labels.of("app", "shop", "env", "prod", "service_name",
        "shop"));
    assertThat(sink.entries()).containsExactly(
        new LogEntry(NOW_NS, "level=info paid", Labels.of("detected_level", "info")),
        new LogEntry(NOW_NS + 1, "level=error failed", Labels.of("detected_level", "error")));
  }

  @Test
  void serviceNameIsDiscoveredInLokisOrder() {
    json(loki, oneStream("{\"job\":\"j\",\"container\":\"c\",\"name\":\"\"}", NOW_NS, "x"));
    json(loki, oneStream("{\"service_name\":\"given\",\"app\":\"a\"}", NOW_NS, "x"));
    json(loki, oneStream("{\"other\":\"o\"}", NOW_NS, "x"));
    json(loki, oneStream("{}", NOW_NS, "x"));
    assertThat(sink.committed).extracting(RecordingLogSink.Stored::stream).containsExactly(
        Labels.of("job", "j", "container", "c", "service_name", "c"),
        Labels.of("service_name", "given", "app", "a"),
        Labels.of("other", "o", "service_name", "unknown_service"),
        Labels.of("service_name", "unknown_service"));
  }

  @Test
  void withoutDiscoveryAStreamWithoutLabelsIsRefused() {
    LokiDistributor d = distributor(limits().discoverServiceName(List.of()).build());
    PushResult r = json(d, oneStream("{}", NOW_NS, "x"));
    assertThat(r).isEqualTo(new PushResult(400, "error at least one label pair is required per stream"));
    assertThat(sink.committed).isEmpty();
  }

  @Test
  void internalStreamsGetNoServiceNameAndNoLabelChecks() {
    json(loki, oneStream("{\"__pattern__\":\"p\"}", NOW_NS, "x"));
    assertThat(sink.committed.get(0).stream()).isEqualTo(Labels.of("__pattern__", "p"));
  }

  @Test
  void tooManyLabelsNotCountingServiceName() {
    StringBuilder labels = new StringBuilder("{");
    for (int i = 1; i <= 16; i++) {
      labels.append(i > 1 ? "," : "").append("\"l").append(String.format("%02d", i)).append("\":\"v\"");
    }
    PushResult r = json(loki, oneStream(labels.append('}').toString(), NOW_NS, "x"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).isEqualTo("entry for stream '{l01=\"v\", l02=\"v\", l03=\"v\", l04=\"v\", l05=\"v\","
        + " l06=\"v\", l07=\"v\", l08=\"v\", l09=\"v\", l10=\"v\", l11=\"v\", l12=\"v\", l13=\"v\", l14=\"v\","
        + " l15=\"v\", l16=\"v\", service_name=\"unknown_service\"}' has 16 label names; limit 15");
    // fifteen and a service_name are fine
    String fifteen = labels.toString().replace(",\"l16\":\"v\"", "");
    assertThat(json(loki, oneStream(fifteen, NOW_NS, "x")).status()).isEqualTo(204);
  }

  @Test
  void labelNameAndValueLengths() {
    String longName = "n".repeat(1025);
    String longValue = "v".repeat(2049);
    assertThat(json(loki, oneStream("{\"" + longName + "\":\"v\"}", NOW_NS, "x")).message()).isEqualTo(
        "stream '{" + longName + "=\"v\", service_name=\"unknown_service\"}' has label name too long: '" + longName
            + "'");
    assertThat(json(loki, oneStream("{\"app\":\"" + longValue + "\"}", NOW_NS, "x")).message()).isEqualTo(
        "stream '{app=\"" + longValue + "\", service_name=\"" + longValue + "\"}' has label value too long: '"
            + longValue + "'");
    // at the limits
    String name = "n".repeat(1024);
    assertThat(json(loki, oneStream("{\"" + name + "\":\"" + "v".repeat(2048) + "\"}", NOW_NS, "x")).status())
        .isEqualTo(204);
  }

  @Test
  void duplicateLabelNames() {
    byte[] body = snappy(request(stream("{a=\"1\", a=\"2\"}", entry(NOW.getEpochSecond(), 0, "x"))));
    PushResult r = loki.push("application/x-protobuf", null, body);
    assertThat(r).isEqualTo(new PushResult(400,
        "stream '{a=\"1\", a=\"2\", service_name=\"unknown_service\"}' has duplicate label name: 'a'"));
  }

  @Test
  void tooOldAndTooNew() {
    long eightDays = Duration.ofDays(8).toNanos();
    PushResult old = json(loki, oneStream("{\"app\":\"shop\"}", NOW_NS - eightDays, "x"));
    assertThat(old).isEqualTo(new PushResult(400, "entry for stream '{app=\"shop\", service_name=\"shop\"}' has"
        + " timestamp too old: 2024-05-24T12:00:00Z, oldest acceptable timestamp is: 2024-05-25T12:00:00Z"));
    PushResult future = json(loki, oneStream("{\"app\":\"shop\"}", NOW_NS + 11 * MINUTE, "x"));
    assertThat(future).isEqualTo(new PushResult(400, "entry for stream '{app=\"shop\", service_name=\"shop\"}' has"
        + " timestamp too new: 2024-06-01T12:11:00Z"));
    // within the grace period and the age
    assertThat(json(loki, oneStream("{\"app\":\"shop\"}", NOW_NS + 10 * MINUTE, "x",
        NOW_NS - Duration.ofDays(7).toNanos(), "y")).status()).isEqualTo(204);
    assertThat(sink.entries()).hasSize(2);
    // reject_old_samples: false lets old entries in
    LokiDistributor lenient = distributor(limits().rejectOldSamples(false).build());
    assertThat(json(lenient, oneStream("{\"app\":\"shop\"}", 5, "from 1970")).status()).isEqualTo(204);
  }

  @Test
  void lineTooLongOrTruncated() {
    String line = "x".repeat(256 * 1024 + 1);
    assertThat(json(loki, oneStream("{\"app\":\"shop\"}", NOW_NS, line))).isEqualTo(new PushResult(400,
        "max entry size '262144' bytes exceeded for stream '{app=\"shop\", service_name=\"shop\"}' while adding an"
            + " entry with length '262145' bytes"));
    String multibyte = "é".repeat(3); // 6 bytes
    LokiDistributor small = distributor(limits().maxLineSize(5).build());
    assertThat(json(small, oneStream("{\"app\":\"shop\"}", NOW_NS, multibyte)).message())
        .contains("max entry size '5' bytes exceeded", "with length '6' bytes");
    LokiDistributor truncating = distributor(limits().maxLineSize(10).maxLineSizeTruncate(true)
        .maxLineSizeTruncateIdentifier("...").build());
    assertThat(json(truncating, oneStream("{\"app\":\"shop\"}", NOW_NS, "0123456789abc", NOW_NS + 1, "short"))
        .status()).isEqualTo(204);
    assertThat(sink.entries()).extracting(LogEntry::line).containsExactly("0123456...", "short");
  }

  @Test
  void structuredMetadataLimits() {
    String big = "{\"streams\":[{\"stream\":{\"app\":\"shop\"},\"values\":[[\"" + NOW_NS + "\",\"x\",{\"k\":\""
        + "v".repeat(64 * 1024) + "\"}]]}]}";
    assertThat(json(loki, big)).isEqualTo(new PushResult(400, "stream '{app=\"shop\", service_name=\"shop\"}' has"
        + " structured metadata too large: '65537' bytes, limit: '65536' bytes. Please see"
        + " `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it"));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 129; i++) {
      many.append(i > 0 ? "," : "").append("\"k").append(i).append("\":\"v\"");
    }
    String tooMany = "{\"streams\":[{\"stream\":{\"app\":\"shop\"},\"values\":[[\"" + NOW_NS + "\",\"x\",{" + many
        + "}]]}]}";
    assertThat(json(loki, tooMany)).isEqualTo(new PushResult(400, "stream '{app=\"shop\", service_name=\"shop\"}'"
        + " has too many structured metadata labels: '129', limit: '128'. Please see"
        + " `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator to increase"
        + " it"));
    LokiDistributor disallowed = distributor(limits().allowStructuredMetadata(false).build());
    String some = "{\"streams\":[{\"stream\":{\"app\":\"shop\"},\"values\":[[\"" + NOW_NS + "\",\"x\",{\"k\":"
        + "\"v\"}]]}]}";
    assertThat(json(disallowed, some)).isEqualTo(new PushResult(400, "stream '{app=\"shop\", service_name=\"shop\"}'"
        + " includes structured metadata, but this feature is disallowed. Please see"
        + " `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it"));
    assertThat(sink.committed).isEmpty();
  }

  @Test
  void detectedLevelDoesNotCountTowardsTheMetadataSize() {
    LokiDistributor d = distributor(limits().maxStructuredMetadataSize(2).build());
    String body = "{\"streams\":[{\"stream\":{\"app\":\"shop\"},\"values\":[[\"" + NOW_NS + "\",\"x\",{\"k\":\"v\","
        + "\"detected_level\":\"WARNING\"}]]}]}";
    assertThat(json(d, body).status()).isEqualTo(204);
    assertThat(sink.entries().get(0).structuredMetadata()).isEqualTo(Labels.of("k", "v", "detected_level", "warn"));
  }

  @Test
  void aPartiallyInvalidPushStoresTheValidStreamsAndAnswers400WithGroupedErrors() {
    String body = "{\"streams\":["
        + "{\"stream\":{\"app\":\"ok\"},\"values\":[[\"" + NOW_NS + "\",\"kept\"],[\"5\",\"old\"],[\"6\",\"older\"]]},"
        + "{\"stream\":{\"app\":\"old\"},\"values\":[[\"7\",\"old too\"]]},"
        + "{\"stream\":{\"app\":\"ok2\"},\"values\":[[\"" + NOW_NS + "\",\"kept too\"]]}"
        + "]}";
    PushResult r = json(loki, body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).isEqualTo(
        "2 errors like: entry for stream '{app=\"ok\", service_name=\"ok\"}' has timestamp too old:"
            + " 1970-01-01T00:00:00Z, oldest acceptable timestamp is: 2024-05-25T12:00:00Z; "
            + "1 errors like: entry for stream '{app=\"old\", service_name=\"old\"}' has timestamp too old:"
            + " 1970-01-01T00:00:00Z, oldest acceptable timestamp is: 2024-05-25T12:00:00Z");
    assertThat(sink.entries()).extracting(LogEntry::line).containsExactly("kept", "kept too");
  }

  @Test
  void repeatedErrorsAreCounted() {
    PushResult r = json(loki, oneStream("{\"app\":\"a\"}", 5, "old", 6, "old"));
    assertThat(r.message()).isEqualTo("2 errors like: entry for stream '{app=\"a\", service_name=\"a\"}' has"
        + " timestamp too old: 1970-01-01T00:00:00Z, oldest acceptable timestamp is: 2024-05-25T12:00:00Z");
  }

  @Test
  void pushesWithoutStreamsAre422AndStreamsWithoutEntriesAreIgnored() {
    assertThat(json(loki, "{\"streams\":[]}")).isEqualTo(new PushResult(422,
        "error at least one valid stream is required for ingestion"));
    assertThat(loki.push("application/x-protobuf", null, snappy(new byte[0])).status()).isEqualTo(422);
    assertThat(json(loki, "{\"streams\":[{\"stream\":{\"a\":\"1\"},\"values\":[]}]}").status()).isEqualTo(204);
    assertThat(sink.committed).isEmpty();
  }

  @Test
  void theIngestionRateLimitRefusesWholePushesWith429() {
    // 100 bytes a second, bursts of 200 bytes
    LokiDistributor d = distributor(limits().ingestionRateMb(100 / LokiLimits.BYTES_IN_MB)
        .ingestionBurstSizeMb(200 / LokiLimits.BYTES_IN_MB).build());
    String line150 = "y".repeat(150);
    assertThat(json(d, oneStream("{\"app\":\"a\"}", NOW_NS, line150)).status()).isEqualTo(204);
    PushResult refused = json(d, oneStream("{\"app\":\"a\"}", NOW_NS, "z".repeat(60), NOW_NS + 1, "w".repeat(40)));
    assertThat(refused).isEqualTo(new PushResult(429, "ingestion rate limit exceeded for user fake (limit: 100"
        + " bytes/sec) while attempting to ingest '2' lines totaling '100' bytes, reduce log volume or contact your"
        + " Loki administrator to see if the limit can be increased"));
    assertThat(sink.entries()).hasSize(1);
    monotonic.addAndGet(500_000_000L); // half a second: 50 bytes back, 100 in the bucket
    assertThat(json(d, oneStream("{\"app\":\"a\"}", NOW_NS, "z".repeat(60), NOW_NS + 1, "w".repeat(40))).status())
        .isEqualTo(204);
    // more than a burst never goes in
    monotonic.addAndGet(60_000_000_000L);
    assertThat(json(d, oneStream("{\"app\":\"a\"}", NOW_NS, "q".repeat(201))).status()).isEqualTo(429);
  }

  @Test
  void invalidEntriesAreNotCharged() {
    LokiDistributor d = distributor(limits().ingestionRateMb(1 / LokiLimits.BYTES_IN_MB)
        .ingestionBurstSizeMb(10 / LokiLimits.BYTES_IN_MB).build());
    assertThat(json(d, oneStream("{\"app\":\"a\"}", 5, "x".repeat(100), NOW_NS, "ok")).status()).isEqualTo(400);
    assertThat(sink.entries()).extracting(LogEntry::line).containsExactly("ok");
  }

  @Test
  void theSinksRefusalIsTheAnswerAndTheRestIsKept() {
    sink.refuse = (labels, entries) -> labels.get("app").equals("full")
        ? new LogSink.Refusal(429, LokiErrors.streamLimit(labels), entries.size()) : null;
    String body = "{\"streams\":["
        + "{\"stream\":{\"app\":\"full\"},\"values\":[[\"" + NOW_NS + "\",\"x\"]]},"
        + "{\"stream\":{\"app\":\"fine\"},\"values\":[[\"" + NOW_NS + "\",\"y\"]]}]}";
    PushResult r = json(loki, body);
    assertThat(r).isEqualTo(new PushResult(429, "maximum active stream limit exceeded when trying to create stream"
        + " {app=\"full\", service_name=\"full\"}, reduce the number of active streams (reduce labels or reduce label"
        + " values), or contact your Loki administrator to see if the limit can be increased, user: 'fake'"));
    assertThat(sink.entries()).extracting(LogEntry::line).containsExactly("y");
  }

  @Test
  void aFailedCommitIs500AndRolledBack() {
    sink.commitFailure = new IOException("disk full");
    assertThat(json(loki, oneStream("{\"app\":\"a\"}", NOW_NS, "x"))).isEqualTo(new PushResult(500,
        "failed to store the push: disk full"));
    assertThat(sink.rollbacks).isEqualTo(1);
    assertThat(sink.committed).isEmpty();
  }

  @Test
  void structuredMetadataNamesAreNormalized() {
    String body = "{\"streams\":[{\"stream\":{\"app\":\"a\"},\"values\":["
        + "[\"" + NOW_NS + "\",\"x\",{\"trace.id\":\"t1\",\"user-agent\":\"curl\",\"a__b\":\"1\",\"ok_name\":\"2\"}],"
        + "[\"" + NOW_NS + "\",\"y\",{\"\":\"nameless\"}]]}]}";
    PushResult r = json(loki, body);
    assertThat(r).isEqualTo(new PushResult(400, "label name is empty"));
    assertThat(sink.entries()).containsExactly(new LogEntry(NOW_NS, "x", Labels.of("trace_id", "t1", "user_agent",
        "curl", "a_b", "1", "ok_name", "2", "detected_level", "unknown")));
  }

  @Test
  void levelsCanBeLeftUndetected() {
    LokiDistributor d = distributor(limits().discoverLogLevels(false).build());
    json(d, oneStream("{\"app\":\"a\"}", NOW_NS, "level=error"));
    assertThat(sink.entries().get(0).structuredMetadata()).isEqualTo(Labels.EMPTY);
  }

  @Test
  void duplicateTimestampsCanBeIncremented() {
    LokiDistributor d = distributor(limits().incrementDuplicateTimestamp(true).discoverLogLevels(false).build());
    json(d, oneStream("{\"app\":\"a\"}", NOW_NS, "a", NOW_NS, "b", NOW_NS, "b", NOW_NS, "c", NOW_NS + 9, "d"));
    assertThat(sink.entries()).extracting(LogEntry::timestampNanos)
        .containsExactly(NOW_NS, NOW_NS + 1, NOW_NS, NOW_NS + 1, NOW_NS + 9);
    // and left alone by default
    json(loki, oneStream("{\"app\":\"b\"}", NOW_NS, "a", NOW_NS, "b"));
    assertThat(sink.committed.get(1).entries()).extracting(LogEntry::timestampNanos).containsExactly(NOW_NS, NOW_NS);
  }

  @Test
  void badBodiesAreAnsweredWithoutAnException() {
    assertThat(loki.push("application/x-protobuf", null, new byte[] {1, 2, 3})).isEqualTo(new PushResult(400,
        "snappy: corrupt input"));
    assertThat(loki.push("application/x-protobuf", null, snappy(new byte[] {0x0a, 0x05}))).isEqualTo(
        new PushResult(400, "unexpected EOF"));
    assertThat(json(loki, "{\"streams\": [")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.message()).startsWith("loghttp.PushRequest: Unexpected end-of-input");
    });
    assertThat(loki.push(null, null, new byte[0])).isEqualTo(new PushResult(400, "mime: no media type"));
  }

  private static ResourceLogs otlpResource(String service, LogRecord... records) {
    return ResourceLogs.newBuilder().setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
        .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))).build();
  }

  private static LogRecord otlpRecord(long ts, String body, int severityNumber) {
    return LogRecord.newBuilder().setTimeUnixNano(ts).setSeverityNumberValue(severityNumber)
        .setBody(AnyValue.newBuilder().setStringValue(body)).build();
  }

  @Test
  void otlpRecordsAreGroupedIntoStreamsAndValidatedAsPushes() {
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(otlpResource("a", otlpRecord(NOW_NS, "one", 13)))
        .addResourceLogs(otlpResource("b", otlpRecord(NOW_NS, "two", 0)))
        .addResourceLogs(otlpResource("a", otlpRecord(NOW_NS + 1, "three", 21), otlpRecord(5, "too old", 9)))
        .build();
    PushResult r = loki.pushOtlp(request);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).startsWith("entry for stream '{service_name=\"a\"}' has timestamp too old:");
    assertThat(sink.committed).hasSize(2);
    assertThat(sink.committed.get(0).stream()).isEqualTo(Labels.of("service_name", "a"));
    assertThat(sink.committed.get(0).entries()).containsExactly(
        new LogEntry(NOW_NS, "one", Labels.of("severity_number", "13", "detected_level", "warn")),
        new LogEntry(NOW_NS + 1, "three", Labels.of("severity_number", "21", "detected_level", "fatal")));
    assertThat(sink.committed.get(1).entries()).containsExactly(new LogEntry(NOW_NS, "two",
        Labels.of("detected_level", "unknown")));
  }

  @Test
  void otlpWithoutRecordsIs422AndBadAttributeNamesAre400() {
    assertThat(loki.pushOtlp(ExportLogsServiceRequest.getDefaultInstance()).status()).isEqualTo(422);
    ExportLogsServiceRequest bad = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("")))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(otlpRecord(NOW_NS, "x", 9)))).build();
    assertThat(loki.pushOtlp(bad)).isEqualTo(new PushResult(400, "symbolizer lookup: label name is empty"));
    assertThat(sink.committed).isEmpty();
  }
}
