package io.sightline.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlicingTest {

  @Test
  void tracesSplitAtSpansKeepingResourceScopeAndOrder() {
    Traces all = TestData.traces(0, 3, 2, 7); // 42 spans
    List<Traces> pieces = Slicing.split(all, 10);
    assertThat(pieces).extracting(Traces::itemCount).containsExactly(10, 10, 10, 10, 2);
    assertThat(TestData.spanNames(pieces))
        .containsExactlyElementsOf(IntStream.range(0, 42).mapToObj(i -> "span-" + i).toList());
    for (Traces p : pieces) {
      p.resourceSpans().forEach(rs -> {
        assertThat(rs.getResource().getAttributes(0).getValue().getStringValue()).startsWith("svc-");
        rs.getScopeSpansList().forEach(ss -> assertThat(ss.getScope().getName()).startsWith("scope-"));
      });
    }
    // The second piece holds spans 10..19: 10..13 of svc-0/scope-1, then 14..19 of svc-1/scope-0.
    Traces second = pieces.get(1);
    assertThat(second.resourceSpans()).hasSize(2);
    assertThat(second.resourceSpans().get(0).getResource()).isEqualTo(all.resourceSpans().get(0).getResource());
    assertThat(second.resourceSpans().get(0).getScopeSpans(0).getScope().getName()).isEqualTo("scope-1");
    assertThat(second.resourceSpans().get(1).getResource()).isEqualTo(all.resourceSpans().get(1).getResource());
  }

  @Test
  void smallBatchesAreNotCopied() {
    Traces t = TestData.traces(0, 1, 1, 5);
    assertThat(Slicing.split(t, 5)).containsExactly(t);
    assertThat(Slicing.split(t, 0)).containsExactly(t);
    assertThat(Slicing.merge(List.of(t))).isSameAs(t);
  }

  @Test
  void logsSplitAtRecords() {
    List<Logs> pieces = Slicing.split(TestData.logs(0, 25), 8);
    assertThat(pieces).extracting(Logs::itemCount).containsExactly(8, 8, 8, 1);
    List<String> bodies = new ArrayList<>();
    pieces.forEach(p -> p.resourceLogs().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList()
        .forEach(r -> bodies.add(r.getBody().getStringValue())))));
    assertThat(bodies).containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> "log-" + i).toList());
  }

  @Test
  void metricsSplitAtDataPointsKeepingTheMetric() {
    Metrics all = TestData.metrics(0, 3, 7); // 21 points
    List<Metrics> pieces = Slicing.split(all, 5);
    assertThat(pieces).extracting(Metrics::itemCount).containsExactly(5, 5, 5, 5, 1);
    List<Long> values = new ArrayList<>();
    for (Metrics p : pieces) {
      for (var rm : p.resourceMetrics()) {
        for (var sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            assertThat(m.getUnit()).isEqualTo("s");
            assertThat(m.getName()).startsWith("m");
            m.getGauge().getDataPointsList().forEach(dp -> values.add(dp.getAsInt()));
          }
        }
      }
    }
    assertThat(values).containsExactlyElementsOf(IntStream.range(0, 21).mapToObj(i -> (long) i).toList());
  }

  @Test
  void mergeKeepsEveryItemInOrder() {
    Traces merged = Slicing.merge(List.of(TestData.traces(0, 1, 1, 3), TestData.traces(3, 2, 1, 2)));
    assertThat(merged.itemCount()).isEqualTo(7);
    assertThat(TestData.spanNames(List.of(merged))).containsExactly("span-0", "span-1", "span-2", "span-3", "span-4",
        "span-5", "span-6");
  }
}
