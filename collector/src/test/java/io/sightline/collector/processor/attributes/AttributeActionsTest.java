package io.sightline.collector.processor.attributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.pipeline.Traces;
import io.sightline.collector.processor.resource.ResourceProcessorFactoryAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeActionsTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);

  private static AttributeActions actions(String yaml) {
    return new AttributesProcessorFactory().parseConfig(LOADER.parse("t.yaml", yaml).map("attributes"));
  }

  private static Map<String, Object> map(List<KeyValue> kvs) {
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

  @Test
  void everyActionDoesWhatTheCollectorDoes() {
    AttributeActions a = actions("""
        attributes:
          actions:
            - {key: env, action: insert, value: prod}
            - {key: k, action: insert, value: ignored}
            - {key: missing, action: update, value: x}
            - {key: k, action: update, value: 42}
            - {key: ratio, action: upsert, value: 0.5}
            - {key: flag, action: upsert, value: true}
            - {key: copy, action: insert, from_attribute: env}
            - {key: user.email, action: hash}
            - {key: secret, action: delete}
        """);
    List<KeyValue> in = List.of(TestData.attr("k", "v"), TestData.attr("user.email", "a@b.c"), TestData.attr("secret", "s"));
    Map<String, Object> out = map(a.apply(in));
    assertThat(out).containsEntry("env", "prod").containsEntry("k", 42L).containsEntry("ratio", 0.5)
        .containsEntry("flag", true).containsEntry("copy", "prod").doesNotContainKey("secret").doesNotContainKey("missing");
    assertThat(out.get("user.email"))
        .isEqualTo(AttributeActions.hash(AnyValue.newBuilder().setStringValue("a@b.c").build()).getStringValue());
  }

  @Test
  void hashIsSha256Hex() {
    assertThat(AttributeActions.hash(AnyValue.newBuilder().setStringValue("abc").build()).getStringValue())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void untouchedListsAreNotCopied() {
    AttributeActions a = actions("attributes: {actions: [{key: nope, action: delete}]}");
    List<KeyValue> in = List.of(TestData.attr("k", "v"));
    assertThat(a.apply(in)).isSameAs(in);
  }

  @Test
  void appliesToSpansLogsAndDataPoints() {
    AttributeActions a = actions("attributes: {actions: [{key: k, action: update, value: changed}]}");
    Traces t = (Traces) AttributesProcessorFactory.apply(a, TestData.traces(0, 1, 2, 3));
    t.resourceSpans().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
        .forEach(s -> assertThat(map(s.getAttributesList())).containsEntry("k", "changed"))));
    assertThat(t.itemCount()).isEqualTo(6);
    Logs l = (Logs) AttributesProcessorFactory.apply(a, TestData.logs(0, 4));
    l.resourceLogs().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList()
        .forEach(r -> assertThat(map(r.getAttributesList())).containsEntry("k", "changed"))));
    Metrics m = (Metrics) AttributesProcessorFactory.apply(a, TestData.metrics(0, 2, 3));
    m.resourceMetrics().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(x -> x.getGauge()
        .getDataPointsList().forEach(dp -> assertThat(map(dp.getAttributesList())).containsEntry("k", "changed")))));
    // resource attributes are the resource processor's business, not this one's
    assertThat(map(t.resourceSpans().get(0).getResource().getAttributesList())).containsEntry("service.name", "svc-0");
  }

  @Test
  void resourceProcessorActsOnResources() {
    Traces t = (Traces) ResourceProcessorFactoryAccess.apply("""
        resource:
          attributes:
            - {key: deployment.environment, action: insert, value: staging}
            - {key: service.name, action: upsert, value: renamed}
        """, TestData.traces(0, 2, 1, 1));
    t.resourceSpans().forEach(rs -> assertThat(map(rs.getResource().getAttributesList()))
        .containsEntry("deployment.environment", "staging").containsEntry("service.name", "renamed"));
    t.resourceSpans().forEach(rs -> assertThat(map(rs.getScopeSpans(0).getSpans(0).getAttributesList()))
        .containsEntry("k", "v"));
  }

  @Test
  void badActionsNameTheKey() {
    assertThatThrownBy(() -> actions("attributes: {actions: [{key: k, action: frobnicate}]}"))
        .hasMessageContaining("attributes.actions[0].action: invalid action \"frobnicate\"");
    assertThatThrownBy(() -> actions("attributes: {actions: [{key: k, action: insert}]}"))
        .hasMessageContaining("needs exactly one of value and from_attribute");
    assertThatThrownBy(() -> actions("attributes: {actions: [{action: delete}]}"))
        .hasMessageContaining("attributes.actions[0].key: is required");
    assertThatThrownBy(() -> actions("attributes: {actions: [{key: k, action: extract, pattern: x}]}"))
        .hasMessageContaining("not supported yet");
    assertThatThrownBy(() -> actions("attributes: {}")).hasMessageContaining("at least one action is required");
    assertThatThrownBy(() -> actions("attributes: {actions: [{key: k, action: delete}], include: {}}"))
        .hasMessageContaining("attributes.include: not supported yet");
  }
}
