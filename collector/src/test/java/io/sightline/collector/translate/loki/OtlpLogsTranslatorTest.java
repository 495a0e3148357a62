package io.sightline.collector.translate.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sightline.collector.translate.loki.OtlpLogsConfig.Action;
import io.sightline.collector.translate.loki.OtlpLogsConfig.AttributeRule;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OtlpLogsTranslatorTest {
  private static final List<String> DISCOVER = List.of("service", "app", "application", "app_name", "name",
      "app_kubernetes_io_name", "container", "container_name", "k8s_container_name", "component", "workload", "job",
      "k8s_job_name");
  private static final long T = 1_700_000_000_123_456_789L;
  private static final long NOW = 1_800_000_000_000_000_000L;

  record Entry(Labels stream, long ts, String line, Labels metadata) {}

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static KeyValue kv(String key, String value) {
    return kv(key, str(value));
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static ResourceLogs resource(List<KeyValue> attributes, ScopeLogs... scopes) {
    return ResourceLogs.newBuilder().setResource(Resource.newBuilder().addAllAttributes(attributes))
        .addAllScopeLogs(List.of(scopes)).build();
  }

  static ScopeLogs scope(InstrumentationScope scope, LogRecord... records) {
    return ScopeLogs.newBuilder().setScope(scope).addAllLogRecords(List.of(records)).build();
  }

  static ScopeLogs scope(LogRecord... records) {
    return scope(InstrumentationScope.getDefaultInstance(), records);
  }

  static LogRecord record(String body) {
    return LogRecord.newBuilder().setTimeUnixNano(T).setBody(str(body)).build();
  }

  private static List<Entry> translate(OtlpLogsConfig config, ResourceLogs... resources) throws Exception {
    List<Entry> out = new ArrayList<>();
    new OtlpLogsTranslator(config, DISCOVER).translate(List.of(resources), NOW,
        (stream, ts, line, metadata) -> out.add(new Entry(stream, ts, line, metadata)));
    return out;
  }

  private static List<Entry> translate(ResourceLogs... resources) throws Exception {
    return translate(OtlpLogsConfig.DEFAULT, resources);
  }

  @Test
  void lokisDefaultMapping() throws Exception {
    byte[] traceId = HexFormat.of().parseHex("4bf92f3577b34da6a3ce929d0e0e4736");
    byte[] spanId = HexFormat.of().parseHex("00f067aa0ba902b7");
    LogRecord record = LogRecord.newBuilder().setTimeUnixNano(T).setObservedTimeUnixNano(T + 5)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO").setBody(str("paid"))
        .setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(spanId)).setFlags(1)
        .setDroppedAttributesCount(2).setEventName("order.paid")
        .addAttributes(kv("http.status_code", AnyValue.newBuilder().setIntValue(200).build()))
        .addAttributes(kv("user.id", "u1"))
        .addAttributes(kv("ok", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.5).build()))
        .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(str("a")).addValues(str("b"))).build()))
        .addAttributes(kv("nested", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(kv("a.x", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("b", "c"))).build()))).build()))
        .build();
    InstrumentationScope lib = InstrumentationScope.newBuilder().setName("io.shop.payments").setVersion("1.2.0")
        .addAttributes(kv("scope.attr", "x")).setDroppedAttributesCount(3).build();
    ResourceLogs rl = resource(List.of(kv("service.name", "shop"), kv("service.namespace", "prod"),
        kv("k8s.pod.name", "shop-1"), kv("host.name", "h1"),
        kv("process.pid", AnyValue.newBuilder().setIntValue(42).build())), scope(lib, record));

    List<Entry> entries = translate(rl);
    assertThat(entries).containsExactly(new Entry(
        Labels.of("service_name", "shop", "service_namespace", "prod", "k8s_pod_name", "shop-1"), T, "paid",
        Labels.of("http_status_code", "200", "user_id", "u1", "ok", "true", "ratio", "0.5", "tags", "[\"a\",\"b\"]",
            "nested_a_x_b", "c", "observed_timestamp", Long.toString(T + 5), "severity_number", "9",
            "severity_text", "INFO", "dropped_attributes_count", "2", "flags", "1",
            "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7", "event_name", "order.paid",
            "host_name", "h1", "process_pid", "42", "scope_attr", "x", "scope_name", "io.shop.payments",
            "scope_version", "1.2.0", "scope_dropped_attributes_count", "3")));
  }

  @Test
  void allDefaultIndexLabels() throws Exception {
    List<KeyValue> attributes = new ArrayList<>();
    for (String a : OtlpLogsConfig.DEFAULT_INDEX_LABELS) {
      attributes.add(kv(a, "v"));
    }
    Labels stream = translate(resource(attributes, scope(record("x")))).get(0).stream();
    assertThat(stream.size()).isEqualTo(18);
    assertThat(stream.get("deployment_environment_name")).isEqualTo("v");
    assertThat(stream.get("k8s_cronjob_name")).isEqualTo("v");
    assertThat(stream.get("cloud_availability_zone")).isEqualTo("v");
  }

  @Test
  void timestampFallsBackToObservedThenNow() throws Exception {
    LogRecord observed = LogRecord.newBuilder().setObservedTimeUnixNano(T + 7).setBody(str("o")).build();
    LogRecord none = LogRecord.newBuilder().setBody(str("n")).build();
    List<Entry> entries = translate(resource(List.of(kv("service.name", "s")), scope(observed, none)));
    assertThat(entries.get(0).ts()).isEqualTo(T + 7);
    assertThat(entries.get(0).metadata().get("observed_timestamp")).isEmpty(); // it is the timestamp already
    assertThat(entries.get(1).ts()).isEqualTo(NOW);
    assertThat(entries.get(1).metadata()).isEqualTo(Labels.EMPTY);
  }

  @Test
  void serviceNameIsDiscoveredFromIndexLabelsOrUnknown() throws Exception {
    assertThat(translate(resource(List.of(kv("k8s.container.name", "cart"), kv("k8s.job.name", "j")),
        scope(record("x")))).get(0).stream()).isEqualTo(Labels.of("k8s_container_name", "cart", "k8s_job_name", "j",
            "service_name", "cart"));
    // attributes that are only metadata are not looked at
    assertThat(translate(resource(List.of(kv("app", "a")), scope(record("x")))).get(0).stream())
        .isEqualTo(Labels.of("service_name", "unknown_service"));
    assertThat(translate(resource(List.of(kv("service.name", "")), scope(record("x")))).get(0).stream())
        .isEqualTo(Labels.of("service_name", "unknown_service"));
    assertThat(translate(resource(List.of(), scope(record("x")))).get(0).stream())
        .isEqualTo(Labels.of("service_name", "unknown_service"));
    // discovery off: no service_name at all
    List<Entry> out = new ArrayList<>();
    new OtlpLogsTranslator(OtlpLogsConfig.DEFAULT, List.of()).translate(
        List.of(resource(List.of(kv("host.name", "h")), scope(record("x")))), NOW,
        (s, ts, line, m) -> out.add(new Entry(s, ts, line, m)));
    assertThat(out.get(0).stream()).isEqualTo(Labels.EMPTY);
  }

  @Test
  void bodiesOfEveryKind() throws Exception {
    AnyValue[] bodies = {
        str("text"),
        AnyValue.newBuilder().setIntValue(-7).build(),
        AnyValue.newBuilder().setDoubleValue(1.5).build(),
        AnyValue.newBuilder().setDoubleValue(1e21).build(),
        AnyValue.newBuilder().setBoolValue(false).build(),
        AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build(),
        AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("a"))
            .addValues(AnyValue.newBuilder().setIntValue(1))).build(),
        AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("z", "<1>"))
            .addValues(kv("a", AnyValue.newBuilder().setDoubleValue(2).build()))).build(),
        AnyValue.getDefaultInstance()};
    ScopeLogs.Builder sl = ScopeLogs.newBuilder();
    for (AnyValue b : bodies) {
      sl.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T).setBody(b));
    }
    sl.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T)); // no body at all
    List<Entry> entries = translate(resource(List.of(), sl.build()));
    assertThat(entries).extracting(Entry::line).containsExactly("text", "-7", "1.5", "1e+21", "false", "aGk=",
        "[\"a\",1]", "{\"a\":2,\"z\":\"\\u003c1\\u003e\"}", "", "");
  }

  @Test
  void namesAreNormalizedAsLabelNames() throws Exception {
    LogRecord r = LogRecord.newBuilder().setTimeUnixNano(T).setBody(str("x"))
        .addAttributes(kv("0abc", "1")).addAttributes(kv("a..b", "2")).addAttributes(kv("läuft", "3"))
        .addAttributes(kv("__reserved__", "4")).build();
    assertThat(translate(resource(List.of(), scope(r))).get(0).metadata())
        .isEqualTo(Labels.of("key_0abc", "1", "a_b", "2", "l_uft", "3", "__reserved__", "4"));
    LogRecord bad = LogRecord.newBuilder().setTimeUnixNano(T).addAttributes(kv("", "x")).build();
    assertThatThrownBy(() -> translate(resource(List.of(), scope(bad))))
        .isInstanceOf(OtlpLogsTranslator.TranslationException.class)
        .hasMessage("symbolizer lookup: label name is empty");
    LogRecord underscores = LogRecord.newBuilder().setTimeUnixNano(T).addAttributes(kv("..", "x")).build();
    assertThatThrownBy(() -> translate(resource(List.of(), scope(underscores))))
        .hasMessage("symbolizer lookup: normalization for label name \"..\" resulted in invalid name \"_\"");
  }

  @Test
  void laterSourcesWinOnRepeatedNamesAndTheEventNameFieldBeatsTheAttribute() throws Exception {
    LogRecord r = LogRecord.newBuilder().setTimeUnixNano(T).setEventName("field")
        .addAttributes(kv("event_name", "attribute")).addAttributes(kv("dup", "record")).build();
    Labels m = translate(resource(List.of(kv("dup", "resource")), scope(r))).get(0).metadata();
    assertThat(m.get("event_name")).isEqualTo("field");
    assertThat(m.get("dup")).isEqualTo("resource");
    LogRecord attributeOnly = LogRecord.newBuilder().setTimeUnixNano(T).addAttributes(kv("event_name", "a")).build();
    assertThat(translate(resource(List.of(), scope(attributeOnly))).get(0).metadata().get("event_name"))
        .isEqualTo("a");
  }

  @Test
  void zeroIdsAndFlagsAreLeftOut() throws Exception {
    LogRecord r = LogRecord.newBuilder().setTimeUnixNano(T).setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[8])).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED)
        .build();
    assertThat(translate(resource(List.of(), scope(r))).get(0).metadata()).isEqualTo(Labels.EMPTY);
  }

  @Test
  void configuredActions() throws Exception {
    OtlpLogsConfig config = new OtlpLogsConfig(OtlpLogsConfig.DEFAULT_INDEX_LABELS, false,
        List.of(new AttributeRule(Action.INDEX_LABEL, List.of("team"), null),
            new AttributeRule(Action.DROP, List.of(), Pattern.compile("^(?:process\\..*)$"))),
        List.of(new AttributeRule(Action.DROP, List.of("noisy"), null)),
        List.of(new AttributeRule(Action.INDEX_LABEL, List.of("tenant"), null),
            new AttributeRule(Action.DROP, List.of("secret"), null)),
        true);
    LogRecord a = LogRecord.newBuilder().setTimeUnixNano(T).setSeverityText("WARN")
        .addAttributes(kv("tenant", "t1")).addAttributes(kv("secret", "s")).addAttributes(kv("keep", "k")).build();
    LogRecord b = LogRecord.newBuilder().setTimeUnixNano(T).addAttributes(kv("keep", "k")).build();
    InstrumentationScope s = InstrumentationScope.newBuilder().addAttributes(kv("noisy", "n")).build();
    List<Entry> entries = translate(config, resource(List.of(kv("service.name", "svc"), kv("team", "pay"),
        kv("process.pid", "1"), kv("process.owner", "root"), kv("host.name", "h")), scope(s, a, b)));
    assertThat(entries.get(0).stream()).isEqualTo(Labels.of("service_name", "svc", "team", "pay", "tenant", "t1",
        "severity_text", "WARN"));
    assertThat(entries.get(0).metadata()).isEqualTo(Labels.of("keep", "k", "severity_text", "WARN", "host_name",
        "h"));
    assertThat(entries.get(1).stream()).isEqualTo(Labels.of("service_name", "svc", "team", "pay"));
    assertThat(entries.get(1).metadata()).isEqualTo(Labels.of("keep", "k", "host_name", "h"));

    OtlpLogsConfig noDefaults = new OtlpLogsConfig(OtlpLogsConfig.DEFAULT_INDEX_LABELS, true, List.of(), List.of(),
        List.of(), false);
    Entry e = translate(noDefaults, resource(List.of(kv("service.name", "svc"), kv("k8s.pod.name", "p")),
        scope(record("x")))).get(0);
    // service.name is there, so nothing is discovered; it is metadata like the rest
    assertThat(e.stream()).isEqualTo(Labels.EMPTY);
    assertThat(e.metadata()).isEqualTo(Labels.of("service_name", "svc", "k8s_pod_name", "p"));
  }
}
