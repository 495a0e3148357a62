package io.sightline.collector.generator;

import static io.sightline.collector.generator.Spans.resource;
import static io.sightline.collector.generator.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.sightline.collector.config.YamlConfigLoader;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The generator as the server uses it: slack, both processors on one registry, start and the last collection. */
class MetricsGeneratorTest {
  private static final long NOW = 1_700_000_010_000L;

  private static GeneratorConfig config(String yaml) {
    return GeneratorConfig.parse(new YamlConfigLoader(k -> null).parse("gen.yaml", yaml));
  }

  @Test
  void spansEndedOutsideTheSlackAreLeftOut() {
    RecordingSink sink = new RecordingSink();
    AtomicLong clock = new AtomicLong(NOW);
    MetricsGenerator g = new MetricsGenerator(config("{}"), sink, clock::get);
    g.push(List.of(resource("api",
        span("now", SpanKind.SPAN_KIND_SERVER, "00000000000000a1", null, NOW - 10, 5),
        span("old", SpanKind.SPAN_KIND_SERVER, "00000000000000a2", null, NOW - 60_000, 5),
        span("future", SpanKind.SPAN_KIND_SERVER, "00000000000000a3", null, NOW + 40_000, 5))));
    g.collect();
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total")).containsOnlyKeys("traces_spanmetrics_calls_total{"
        + "service=\"api\", span_kind=\"SPAN_KIND_SERVER\", span_name=\"now\", status_code=\"STATUS_CODE_UNSET\"}");
    assertThat(g.spansOutsideSlack()).isEqualTo(2);
  }

  @Test
  void startedItCollectsEveryIntervalAndOnceMoreAtClose() throws Exception {
    RecordingSink sink = new RecordingSink();
    MetricsGenerator g = new MetricsGenerator(config("registry: {collection_interval: 50ms}"), sink);
    g.start();
    long now = System.currentTimeMillis();
    g.push(List.of(resource("api", span("GET", SpanKind.SPAN_KIND_SERVER, "00000000000000a1", null, now, 5))));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (sink.commits < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(sink.commits).isGreaterThanOrEqualTo(2);
    // One span-metrics label set (calls, 17 latency series, size); the lone server half made no series yet.
    assertThat(g.activeSeries()).isEqualTo(19);
    g.push(List.of(resource("api", span("POST", SpanKind.SPAN_KIND_SERVER, "00000000000000a2", null, now, 5))));
    g.close();
    int commits = sink.commits;
    assertThat(sink.samples).anySatisfy(s -> assertThat(s.labels().get("span_name")).isEqualTo("POST"));
    Thread.sleep(120);
    assertThat(sink.commits).isEqualTo(commits);
  }

  @Test
  void aSinkThatFailsIsCountedNotThrown() {
    AtomicLong clock = new AtomicLong(NOW);
    MetricsGenerator g = new MetricsGenerator(config("{}"), () -> {
      throw new IllegalStateException("the metric store is not open");
    }, clock::get);
    g.push(List.of(resource("api", span("GET", SpanKind.SPAN_KIND_SERVER, "00000000000000a1", null, NOW, 5))));
    g.collect();
    assertThat(g.failedCollections()).isEqualTo(1);
  }
}
