package io.sightline.collector.processor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
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
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.pipeline.Traces;
import io.sightline.collector.processor.attributes.AttributeActions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceProcessorTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);
  private static final String ACTIONS = """
      resource:
        attributes:
          - {key: deployment.environment, action: insert, value: staging}
          - {key: service.name, action: upsert, value: renamed}
          - {key: host.name, action: update, value: h2}
          - {key: team, action: insert, from_attribute: owner}
          - {key: user.id, action: hash}
          - {key: secret, action: delete}
          - {pattern: ^tmp\\., action: delete}
      """;

  @TempDir
  Path dataDir;

  private static AttributeActions config(String yaml) {
    return new ResourceProcessorFactory().parseConfig(LOADER.parse("t.yaml", yaml).map("resource"));
  }

  private static Map<String, Object> map(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      m.put(kv.getKey(), v.hasIntValue() ? (Object) v.getIntValue() : v.getStringValue());
    }
    return m;
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(TestData.attr("service.name", "svc"))
        .addAttributes(TestData.attr("host.name", "h1")).addAttributes(TestData.attr("owner", "payments"))
        .addAttributes(TestData.attr("user.id", "abc")).addAttributes(TestData.attr("secret", "s"))
        .addAttributes(TestData.attr("tmp.x", "1")).setDroppedAttributesCount(3).build();
  }

  private static final Map<String, Object> EXPECTED = expected();

  private static Map<String, Object> expected() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service.name", "renamed");
    m.put("host.name", "h2");
    m.put("owner", "payments");
    m.put("user.id", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    m.put("deployment.environment", "staging");
    m.put("team", "payments");
    return m;
  }

  private static List<Resource> resources(Telemetry t) {
    return switch (t) {
      case Traces x -> x.resourceSpans().stream().map(ResourceSpans::getResource).toList();
      case Metrics x -> x.resourceMetrics().stream().map(ResourceMetrics::getResource).toList();
      case Logs x -> x.resourceLogs().stream().map(ResourceLogs::getResource).toList();
    };
  }

  @Test
  void actsOnTheResourcesOfTraces() {
    Traces in = TestData.traces(0, 2, 2, 2);
    Traces batch = Traces.of(in.resourceSpans().stream().map(rs -> rs.toBuilder().setResource(resource()).build())
        .toList());
    Traces out = (Traces) ResourceProcessorFactory.apply(config(ACTIONS), batch);
    assertThat(resources(out)).hasSize(2).allSatisfy(r -> {
      assertThat(map(r.getAttributesList())).containsExactlyEntriesOf(EXPECTED);
      assertThat(r.getDroppedAttributesCount()).isEqualTo(3);
    });
    // spans and their attributes are not the resource processor's business
    assertThat(TestData.spanNames(List.of(out))).containsExactlyElementsOf(TestData.spanNames(List.of(in)));
    out.resourceSpans().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
        .forEach(s -> assertThat(map(s.getAttributesList())).containsExactly(Map.entry("k", "v")))));
    for (int i = 0; i < 2; i++) {
      assertThat(out.resourceSpans().get(i).getScopeSpansList()).isSameAs(batch.resourceSpans().get(i).getScopeSpansList());
    }
  }

  @Test
  void actsOnTheResourcesOfMetrics() {
    Metrics in = TestData.metrics(0, 2, 3);
    Metrics batch = Metrics.of(in.resourceMetrics().stream()
        .map(rm -> rm.toBuilder().setResource(resource()).build()).toList());
    Metrics out = (Metrics) ResourceProcessorFactory.apply(config(ACTIONS), batch);
    assertThat(resources(out)).singleElement()
        .satisfies(r -> assertThat(map(r.getAttributesList())).containsExactlyEntriesOf(EXPECTED));
    assertThat(out.resourceMetrics().get(0).getScopeMetricsList()).isEqualTo(in.resourceMetrics().get(0).getScopeMetricsList());
    assertThat(out.itemCount()).isEqualTo(6);
  }

  @Test
  void actsOnTheResourcesOfLogs() {
    Logs in = TestData.logs(0, 3);
    Logs batch = Logs.of(in.resourceLogs().stream().map(rl -> rl.toBuilder().setResource(resource()).build()).toList());
    Logs out = (Logs) ResourceProcessorFactory.apply(config(ACTIONS), batch);
    assertThat(resources(out)).singleElement()
        .satisfies(r -> assertThat(map(r.getAttributesList())).containsExactlyEntriesOf(EXPECTED));
    assertThat(out.resourceLogs().get(0).getScopeLogsList()).isEqualTo(in.resourceLogs().get(0).getScopeLogsList());
  }

  @Test
  void aResourceWithoutAttributesGetsTheInsertedOnes() {
    Traces batch = Traces.of(List.of(ResourceSpans.newBuilder()
        .addScopeSpans(TestData.traces(0, 1, 1, 1).resourceSpans().get(0).getScopeSpans(0)).build()));
    Traces out = (Traces) ResourceProcessorFactory.apply(config("""
        resource:
          attributes:
            - {key: deployment.environment, action: insert, value: prod}
            - {key: replicas, action: insert, value: 3}
        """), batch);
    assertThat(map(out.resourceSpans().get(0).getResource().getAttributesList()))
        .containsExactly(Map.entry("deployment.environment", "prod"), Map.entry("replicas", 3L));
  }

  @Test
  void onlyChangedResourceGroupsAreRebuiltAndAnUntouchedBatchIsPassedOnAsItWas() {
    AttributeActions a = config("resource: {attributes: [{key: service.name, action: update, value: x}]}");
    Traces two = TestData.traces(0, 2, 1, 1);
    Traces mixed = Traces.of(List.of(two.resourceSpans().get(0).toBuilder().setResource(Resource.getDefaultInstance())
        .build(), two.resourceSpans().get(1)));
    Traces out = (Traces) ResourceProcessorFactory.apply(a, mixed);
    assertThat(out.resourceSpans().get(0)).isSameAs(mixed.resourceSpans().get(0));
    assertThat(map(out.resourceSpans().get(1).getResource().getAttributesList())).containsExactly(Map.entry("service.name", "x"));

    AttributeActions none = config("resource: {attributes: [{key: absent, action: delete}]}");
    Traces t = TestData.traces(0, 2, 1, 1);
    Metrics m = TestData.metrics(0, 1, 1);
    Logs l = TestData.logs(0, 1);
    assertThat(ResourceProcessorFactory.apply(none, t)).isSameAs(t);
    assertThat(ResourceProcessorFactory.apply(none, m)).isSameAs(m);
    assertThat(ResourceProcessorFactory.apply(none, l)).isSameAs(l);
  }

  @Test
  void theProcessorPassesTheDownstreamsFutureBack() throws Exception {
    ResourceProcessorFactory f = new ResourceProcessorFactory();
    List<Metrics> seen = new ArrayList<>();
    CompletableFuture<ConsumeResult> downstream = new CompletableFuture<>();
    Processor<Metrics> p = f.create(new ComponentSettings(ComponentId.parse("resource"),
        new Host(dataDir, new ObsReport(new PrometheusRegistry()))), config(ACTIONS), Signal.METRICS, batch -> {
          seen.add(batch);
          return downstream;
        });
    p.start();
    CompletableFuture<ConsumeResult> result = p.consume(TestData.metrics(0, 1, 2));
    assertThat(map(seen.get(0).resourceMetrics().get(0).getResource().getAttributesList()))
        .containsEntry("service.name", "renamed").containsEntry("deployment.environment", "staging");
    assertThat(result).isNotDone();
    downstream.complete(ConsumeResult.ACCEPTED);
    assertThat(result).isCompletedWithValue(ConsumeResult.ACCEPTED);
    p.close();
  }

  @Test
  void factoryServesEverySignal() {
    assertThat(new ResourceProcessorFactory().type()).isEqualTo("resource");
    assertThat(new ResourceProcessorFactory().signals()).isEqualTo(EnumSet.allOf(Signal.class));
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> config("resource:")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("resource.attributes: at least one action is required");
    assertThatThrownBy(() -> config("resource: {actions: [{key: k, action: delete}]}"))
        .hasMessageContaining("resource.attributes: at least one action is required");
    assertThatThrownBy(() -> config("resource: {attributes: [{key: k, action: delete}], actions: []}"))
        .hasMessageContaining("resource.actions: unknown key \"actions\"");
    assertThatThrownBy(() -> config("resource: {attributes: [{key: k, action: insert}]}"))
        .hasMessageContaining("resource.attributes[0].value: action insert needs exactly one of value and from_attribute");
    assertThatThrownBy(() -> config("resource: {attributes: [{key: k, action: extract, pattern: x}]}"))
        .hasMessageContaining("resource.attributes[0].action: not supported yet");
  }
}
