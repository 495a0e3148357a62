package io.sightline.collector.processor.attributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.pipeline.Traces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributeActionsTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);

  @TempDir
  Path dataDir;

  private static AttributeActions actions(String yaml) {
    return new AttributesProcessorFactory().parseConfig(LOADER.parse("t.yaml", yaml).map("attributes"));
  }

  /** One action, written as the inside of a flow map: {@code key: k, action: delete}. */
  private static AttributeActions action(String flow) {
    return actions("attributes: {actions: [{" + flow + "}]}");
  }

  private static KeyValue kv(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (value) {
      case String s -> v.setStringValue(s);
      case Long l -> v.setIntValue(l);
      case Integer i -> v.setIntValue(i);
      case Double d -> v.setDoubleValue(d);
      case Boolean b -> v.setBoolValue(b);
      case byte[] b -> v.setBytesValue(ByteString.copyFrom(b));
      default -> throw new IllegalArgumentException(value.toString());
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  private static List<KeyValue> attrs(Object... keysAndValues) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.add(kv((String) keysAndValues[i], keysAndValues[i + 1]));
    }
    return List.copyOf(out);
  }

  static Map<String, Object> map(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      m.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> v.getIntValue();
        case DOUBLE_VALUE -> v.getDoubleValue();
        case BOOL_VALUE -> v.getBoolValue();
        default -> v.toString();
      });
    }
    return m;
  }

  private static Map<String, Object> applied(String flow, List<KeyValue> in) {
    return map(action(flow).apply(in));
  }

  // --- the actions ---

  @Test
  void insertAddsOnlyWhenTheKeyIsAbsent() {
    assertThat(applied("key: env, action: insert, value: prod", attrs("a", "1")))
        .containsExactly(Map.entry("a", "1"), Map.entry("env", "prod"));
    assertThat(applied("key: env, action: insert, value: prod", attrs("env", "dev"))).containsExactly(Map.entry("env", "dev"));
  }

  @Test
  void updateChangesOnlyWhenTheKeyIsPresentAndKeepsItsPosition() {
    assertThat(applied("key: env, action: update, value: prod", attrs("a", "1"))).containsExactly(Map.entry("a", "1"));
    assertThat(applied("key: env, action: update, value: prod", attrs("env", "dev", "b", "2")))
        .containsExactly(Map.entry("env", "prod"), Map.entry("b", "2"));
  }

  @Test
  void upsertInsertsOrUpdates() {
    assertThat(applied("key: env, action: upsert, value: prod", attrs("a", "1")))
        .containsExactly(Map.entry("a", "1"), Map.entry("env", "prod"));
    assertThat(applied("key: env, action: upsert, value: prod", attrs("env", "dev", "b", "2")))
        .containsExactly(Map.entry("env", "prod"), Map.entry("b", "2"));
  }

  @Test
  void fromAttributeCopiesTheValueWithItsTypeAndDoesNothingWhenTheSourceIsMissing() {
    assertThat(applied("key: copy, action: insert, from_attribute: n", attrs("n", 7L))).containsEntry("copy", 7L);
    assertThat(applied("key: n, action: update, from_attribute: missing", attrs("n", 7L))).containsExactly(Map.entry("n", 7L));
    assertThat(applied("key: copy, action: upsert, from_attribute: missing", attrs("n", 7L)))
        .doesNotContainKey("copy");
  }

  @Test
  void actionsApplyInOrderEachSeeingTheResultOfTheLast() {
    AttributeActions a = actions("""
        attributes:
          actions:
            - {key: tmp, action: insert, value: 5}
            - {key: copy, action: insert, from_attribute: tmp}
            - {key: tmp, action: delete}
            - {key: copy, action: update, value: 6}
        """);
    assertThat(map(a.apply(List.of()))).containsExactly(Map.entry("copy", 6L));
  }

  @Test
  void deleteRemovesByKeyAndByPattern() {
    assertThat(applied("key: secret, action: delete", attrs("secret", "s", "a", "1"))).containsExactly(Map.entry("a", "1"));
    assertThat(applied("pattern: ^http\\..*_token$, action: delete",
        attrs("http.auth_token", "x", "a", "1", "http.csrf_token", "y", "http.url", "u")))
        .containsExactly(Map.entry("a", "1"), Map.entry("http.url", "u"));
    assertThat(applied("key: a, pattern: token, action: delete", attrs("a", "1", "my_token", "t", "b", "2")))
        .containsExactly(Map.entry("b", "2"));
  }

  @Test
  void hashReplacesTheValueWithItsSha256HexAsTheCollectorComputesIt() {
    // Expected values from Python: hashlib.sha256(struct.pack('<q', 1)) etc., the bytes the Collector's Go hasher uses.
    Map<String, Object> out = applied("pattern: ., action: hash", attrs("s", "abc", "i", 1L, "neg", -1L, "d", 0.5,
        "t", true, "f", false, "u", "ünï", "empty", ""));
    assertThat(out).containsExactly(
        Map.entry("s", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Map.entry("i", "7c9fa136d4413fa6173637e883b6998d32e1d675f88cddff9dcbcf331820f4b8"),
        Map.entry("neg", "12a3ae445661ce5dee78d0650d33362dec29c4f82af05e7e57fb595bbbacf0ca"),
        Map.entry("d", "4cfa5b42ca669328764e67cd9a34bb8f90b16ed7ca8d85e8443783d7ccce15ed"),
        Map.entry("t", "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a"),
        Map.entry("f", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        Map.entry("u", "e975a52994d88fc7c7bf16c547779c6d0e3cd954f3bdacba332c8858a5ff4d58"),
        Map.entry("empty", ""));
  }

  @Test
  void hashBlanksWhatItCannotHashAndSkipsAbsentKeys() {
    List<KeyValue> in = List.of(kv("b", new byte[] {1, 2}), KeyValue.newBuilder().setKey("arr")
        .setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(kv("x", "y").getValue())))
        .build());
    assertThat(map(actions("attributes: {actions: [{key: b, action: hash}, {key: arr, action: hash}]}").apply(in)))
        .containsExactly(Map.entry("b", ""), Map.entry("arr", ""));
    List<KeyValue> untouched = attrs("a", "1");
    assertThat(action("key: missing, action: hash").apply(untouched)).isSameAs(untouched);
  }

  @Test
  void aKeyMatchedByBothKeyAndPatternIsHashedOnce() {
    assertThat(applied("key: s, pattern: ^s$, action: hash", attrs("s", "abc")))
        .containsEntry("s", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void everyActionTogether() {
    AttributeActions a = actions("""
        attributes:
          actions:
            - {key: env, action: insert, value: prod}
            - {key: k, action: insert, value: ignored}
            - {key: missing, action: update, value: x}
            - {key: k, action: update, value: 42}
            - {key: ratio, action: upsert, value: 0.5}
            - {key: flag, action: UPSERT, value: true}
            - {key: copy, action: Insert, from_attribute: env}
            - {key: user.email, action: hash}
            - {key: secret, action: delete}
        """);
    Map<String, Object> out = map(a.apply(attrs("k", "v", "user.email", "a@b.c", "secret", "s")));
    assertThat(out).containsExactly(Map.entry("k", 42L),
        Map.entry("user.email", "d648b243a3e817eaa3309e00e183483f2867baadf522099f0c2121770536b25a"),
        Map.entry("env", "prod"), Map.entry("ratio", 0.5), Map.entry("flag", true), Map.entry("copy", "prod"));
  }

  @Test
  void untouchedListsAreNotCopied() {
    List<KeyValue> in = attrs("k", "v");
    assertThat(action("key: nope, action: delete").apply(in)).isSameAs(in);
    assertThat(action("key: k, action: insert, value: x").apply(in)).isSameAs(in);
    assertThat(action("key: nope, action: update, value: x").apply(in)).isSameAs(in);
    assertThat(action("pattern: ^z, action: hash").apply(in)).isSameAs(in);
  }

  // --- value typing ---

  @Test
  void valuesAreTypedAsTheCollectorsYamlReaderTypesThem() {
    assertThat(AttributeActions.typed("42").getIntValue()).isEqualTo(42);
    assertThat(AttributeActions.typed("-7").getIntValue()).isEqualTo(-7);
    assertThat(AttributeActions.typed("+7").getIntValue()).isEqualTo(7);
    assertThat(AttributeActions.typed("0x1F").getIntValue()).isEqualTo(31);
    assertThat(AttributeActions.typed("0o17").getIntValue()).isEqualTo(15);
    assertThat(AttributeActions.typed("017").getIntValue()).isEqualTo(15);
    assertThat(AttributeActions.typed("0b101").getIntValue()).isEqualTo(5);
    assertThat(AttributeActions.typed("1_000").getIntValue()).isEqualTo(1000);
    assertThat(AttributeActions.typed("018").getDoubleValue()).isEqualTo(18.0);
    assertThat(AttributeActions.typed("0.5").getDoubleValue()).isEqualTo(0.5);
    assertThat(AttributeActions.typed("1e3").getDoubleValue()).isEqualTo(1000.0);
    assertThat(AttributeActions.typed(".5").getDoubleValue()).isEqualTo(0.5);
    assertThat(AttributeActions.typed("-.inf").getDoubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(AttributeActions.typed(".NaN").getDoubleValue()).isNaN();
    assertThat(AttributeActions.typed("99999999999999999999").getDoubleValue()).isEqualTo(1e20);
    assertThat(AttributeActions.typed("True").getBoolValue()).isTrue();
    assertThat(AttributeActions.typed("FALSE").hasBoolValue()).isTrue();
    for (String s : List.of("yes", "on", "1.2.3", "0x", "abc", "", "12ab", "tRue", "-")) {
      assertThat(AttributeActions.typed(s).getStringValue()).as(s).isEqualTo(s);
    }
  }

  @Test
  void valuesInAConfigAreTyped() {
    AttributeActions a = actions("""
        attributes:
          actions:
            - {key: i, action: insert, value: 42}
            - {key: d, action: insert, value: 2.5}
            - {key: b, action: insert, value: false}
            - {key: s, action: insert, value: hello}
            - {key: e, action: insert, value: ""}
        """);
    assertThat(map(a.apply(List.of()))).containsExactly(Map.entry("i", 42L), Map.entry("d", 2.5), Map.entry("b", false),
        Map.entry("s", "hello"), Map.entry("e", ""));
  }

  // --- the processor on every signal ---

  private static Metrics allMetricTypes() {
    List<KeyValue> a = attrs("k", "v", "keep", "x");
    List<KeyValue> none = attrs("keep", "y");
    Metric gauge = Metric.newBuilder().setName("g").setUnit("1").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1).addAllAttributes(a))
        .addDataPoints(NumberDataPoint.newBuilder().setAsInt(2).addAllAttributes(none))).build();
    Metric sum = Metric.newBuilder().setName("s").setSum(Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1.5).addAllAttributes(a))).build();
    Metric histogram = Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(HistogramDataPoint.newBuilder().setCount(3).addAllAttributes(a))).build();
    Metric exponential = Metric.newBuilder().setName("e").setExponentialHistogram(ExponentialHistogram.newBuilder()
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(2).addAllAttributes(a))).build();
    Metric summary = Metric.newBuilder().setName("q").setSummary(Summary.newBuilder()
        .addDataPoints(SummaryDataPoint.newBuilder().setCount(4).addAllAttributes(a))).build();
    return Metrics.of(List.of(ResourceMetrics.newBuilder().setResource(TestData.resource("svc"))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(sum).addMetrics(histogram)
            .addMetrics(exponential).addMetrics(summary)).build()));
  }

  private static List<Map<String, Object>> pointAttributes(Metrics m) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Metric x : m.resourceMetrics().get(0).getScopeMetrics(0).getMetricsList()) {
      switch (x.getDataCase()) {
        case GAUGE -> x.getGauge().getDataPointsList().forEach(p -> out.add(map(p.getAttributesList())));
        case SUM -> x.getSum().getDataPointsList().forEach(p -> out.add(map(p.getAttributesList())));
        case HISTOGRAM -> x.getHistogram().getDataPointsList().forEach(p -> out.add(map(p.getAttributesList())));
        case EXPONENTIAL_HISTOGRAM ->
            x.getExponentialHistogram().getDataPointsList().forEach(p -> out.add(map(p.getAttributesList())));
        case SUMMARY -> x.getSummary().getDataPointsList().forEach(p -> out.add(map(p.getAttributesList())));
        case DATA_NOT_SET -> { }
      }
    }
    return out;
  }

  @Test
  void appliesToTheDataPointsOfEveryMetricTypeKeepingTheMetric() {
    Metrics in = allMetricTypes();
    Metrics out = (Metrics) AttributesProcessorFactory.apply(action("key: k, action: update, value: changed"), in);
    assertThat(pointAttributes(out)).containsExactly(Map.of("k", "changed", "keep", "x"), Map.of("keep", "y"),
        Map.of("k", "changed", "keep", "x"), Map.of("k", "changed", "keep", "x"), Map.of("k", "changed", "keep", "x"),
        Map.of("k", "changed", "keep", "x"));
    // everything but the attributes is as it was
    Metrics restored = (Metrics) AttributesProcessorFactory.apply(action("key: k, action: update, value: v"), out);
    assertThat(restored.toRequest()).isEqualTo(in.toRequest());
    // the point without k was not rebuilt
    NumberDataPoint untouched = in.resourceMetrics().get(0).getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(1);
    assertThat(out.resourceMetrics().get(0).getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(1))
        .isSameAs(untouched);
  }

  @Test
  void appliesToSpansAndLogRecordsButNotToResources() {
    AttributeActions a = actions("""
        attributes:
          actions:
            - {key: k, action: update, value: changed}
            - {key: service.name, action: upsert, value: not-a-resource}
        """);
    Traces t = (Traces) AttributesProcessorFactory.apply(a, TestData.traces(0, 2, 2, 3));
    assertThat(t.itemCount()).isEqualTo(12);
    assertThat(TestData.spanNames(List.of(t))).containsExactlyElementsOf(TestData.spanNames(List.of(TestData.traces(0, 2, 2, 3))));
    t.resourceSpans().forEach(rs -> {
      assertThat(map(rs.getResource().getAttributesList())).containsExactly(Map.entry("service.name",
          rs.getResource().getAttributes(0).getValue().getStringValue()));
      assertThat(rs.getResource().getAttributes(0).getValue().getStringValue()).startsWith("svc-");
      rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> assertThat(map(s.getAttributesList()))
          .containsExactly(Map.entry("k", "changed"), Map.entry("service.name", "not-a-resource"))));
    });
    Logs l = (Logs) AttributesProcessorFactory.apply(a, TestData.logs(0, 4));
    assertThat(l.itemCount()).isEqualTo(4);
    l.resourceLogs().forEach(rl -> {
      assertThat(map(rl.getResource().getAttributesList())).containsEntry("service.name", "svc");
      rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList().forEach(r -> {
        assertThat(map(r.getAttributesList())).containsEntry("k", "changed");
        assertThat(r.getBody().getStringValue()).startsWith("log-");
      }));
    });
  }

  @Test
  void aBatchNoActionTouchesIsPassedOnAsItWas() {
    AttributeActions a = action("key: absent, action: delete");
    Traces t = TestData.traces(0, 2, 2, 3);
    Logs l = TestData.logs(0, 3);
    Metrics m = allMetricTypes();
    assertThat(AttributesProcessorFactory.apply(a, t)).isSameAs(t);
    assertThat(AttributesProcessorFactory.apply(a, l)).isSameAs(l);
    assertThat(AttributesProcessorFactory.apply(a, m)).isSameAs(m);
  }

  @Test
  void onlyTheChangedSpansScopesAndResourcesAreRebuilt() {
    Traces in = TestData.traces(0, 2, 1, 2);
    AttributeActions a = action("key: k, action: update, value: x");
    // give only the second resource's spans the attribute
    Traces mixed = (Traces) AttributesProcessorFactory.apply(action("key: k, action: delete"),
        Traces.of(List.of(in.resourceSpans().get(0))));
    Traces both = Traces.of(List.of(mixed.resourceSpans().get(0), in.resourceSpans().get(1)));
    Traces out = (Traces) AttributesProcessorFactory.apply(a, both);
    assertThat(out.resourceSpans().get(0)).isSameAs(both.resourceSpans().get(0));
    assertThat(out.resourceSpans().get(1)).isNotSameAs(both.resourceSpans().get(1));
    Span changed = out.resourceSpans().get(1).getScopeSpans(0).getSpans(0);
    assertThat(map(changed.getAttributesList())).containsExactly(Map.entry("k", "x"));
    assertThat(changed.getName()).isEqualTo("span-2");
  }

  @Test
  void theProcessorHandsTheRewrittenBatchOnAndReturnsTheDownstreamsFuture() throws Exception {
    AttributesProcessorFactory f = new AttributesProcessorFactory();
    List<Logs> seen = new ArrayList<>();
    CompletableFuture<ConsumeResult> downstream = new CompletableFuture<>();
    Processor<Logs> p = f.create(new ComponentSettings(ComponentId.parse("attributes/x"),
        new Host(dataDir, new ObsReport(new PrometheusRegistry()))), action("key: k, action: delete"), Signal.LOGS,
        batch -> {
          seen.add(batch);
          return downstream;
        });
    p.start();
    CompletableFuture<ConsumeResult> result = p.consume(TestData.logs(0, 2));
    assertThat(seen).hasSize(1);
    for (LogRecord r : seen.get(0).resourceLogs().get(0).getScopeLogs(0).getLogRecordsList()) {
      assertThat(r.getAttributesList()).isEmpty();
    }
    assertThat(result).isNotDone();
    downstream.complete(ConsumeResult.partial(1, "one too old"));
    assertThat(result).isCompletedWithValue(new ConsumeResult(1, "one too old"));
    p.close();
  }

  @Test
  void factoryServesEverySignal() {
    assertThat(new AttributesProcessorFactory().type()).isEqualTo("attributes");
    assertThat(new AttributesProcessorFactory().signals()).isEqualTo(EnumSet.allOf(Signal.class));
  }

  // --- config errors ---

  @Test
  void badActionsNameTheKey() {
    assertThatThrownBy(() -> action("key: k, action: frobnicate")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("attributes.actions[0].action: invalid action \"frobnicate\" (valid values: insert,");
    assertThatThrownBy(() -> action("key: k")).hasMessageContaining("attributes.actions[0].action: is required");
    assertThatThrownBy(() -> action("action: insert, value: 1")).hasMessageContaining("attributes.actions[0].key: is required");
    assertThatThrownBy(() -> action("action: delete")).hasMessageContaining("attributes.actions[0].key: is required (or pattern)");
    assertThatThrownBy(() -> action("key: k, action: insert"))
        .hasMessageContaining("attributes.actions[0].value: action insert needs exactly one of value and from_attribute");
    assertThatThrownBy(() -> action("key: k, action: upsert, value: 1, from_attribute: j"))
        .hasMessageContaining("attributes.actions[0].from_attribute: action upsert needs exactly one of value and");
    assertThatThrownBy(() -> action("key: k, action: delete, value: 1"))
        .hasMessageContaining("attributes.actions[0].value: action delete takes no value");
    assertThatThrownBy(() -> action("key: k, action: hash, from_attribute: j"))
        .hasMessageContaining("attributes.actions[0].from_attribute: action hash takes no value");
    assertThatThrownBy(() -> action("key: k, action: insert, value: 1, pattern: x"))
        .hasMessageContaining("attributes.actions[0].pattern: action insert does not use pattern");
    assertThatThrownBy(() -> action("pattern: '(', action: delete"))
        .hasMessageContaining("attributes.actions[0].pattern: invalid regular expression");
    assertThatThrownBy(() -> action("key: k, action: delete, vlaue: 1"))
        .hasMessageContaining("attributes.actions[0].vlaue: unknown key \"vlaue\"");
    assertThatThrownBy(() -> action("key: k, action: insert, value: {a: 1}"))
        .hasMessageContaining("attributes.actions[0].value: expected a value, got a map");
    assertThatThrownBy(() -> actions("""
        attributes:
          actions:
            - {key: k, action: delete}
            - {key: k, action: insert, value: 1}
            - {key: j, action: nope}
        """)).hasMessageContaining("t.yaml:5:").hasMessageContaining("attributes.actions[2].action: invalid action");
  }

  @Test
  void unsupportedOptionsAreRefusedByName() {
    assertThatThrownBy(() -> action("key: k, action: extract, pattern: '^(?P<a>.*)$'"))
        .hasMessageContaining("attributes.actions[0].action: not supported yet: action \"extract\"");
    assertThatThrownBy(() -> action("key: k, action: convert"))
        .hasMessageContaining("attributes.actions[0].action: not supported yet: action \"convert\"");
    assertThatThrownBy(() -> action("key: k, action: insert, from_context: metadata.tenant"))
        .hasMessageContaining("attributes.actions[0].from_context: not supported yet");
    assertThatThrownBy(() -> action("key: k, action: convert, converted_type: int"))
        .hasMessageContaining("attributes.actions[0].converted_type: not supported yet");
    assertThatThrownBy(() -> actions("attributes: {actions: [{key: k, action: delete}], include: {match_type: strict}}"))
        .hasMessageContaining("attributes.include: not supported yet");
    assertThatThrownBy(() -> actions("attributes: {actions: [{key: k, action: delete}], exclude: {}}"))
        .hasMessageContaining("attributes.exclude: not supported yet");
  }

  @Test
  void aProcessorWithoutActionsOrWithUnknownKeysIsRefused() {
    assertThatThrownBy(() -> actions("attributes: {}")).hasMessageContaining("attributes.actions: at least one action is required");
    assertThatThrownBy(() -> actions("attributes: {actions: []}")).hasMessageContaining("at least one action is required");
    assertThatThrownBy(() -> actions("attributes: {actions: [{key: k, action: delete}], action: []}"))
        .hasMessageContaining("attributes.action: unknown key \"action\"");
    assertThatThrownBy(() -> actions("attributes: {actions: {key: k}}"))
        .hasMessageContaining("attributes.actions: expected a list");
  }
}
