package io.sightline.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
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
  void tracesReadFromProtobufKeepEachResourcesWireEncodingThroughAMerge() throws Exception {
    Traces a = TestData.traces(0, 2, 2, 3);
    Traces b = TestData.traces(100, 1, 1, 4);
    Traces wireA = Traces.of(a.toRequest(), a.toRequest().toByteArray());
    Traces wireB = Traces.of(b.toRequest(), b.toRequest().toByteArray());
    for (var rs : wireA.resourceSpans()) {
      assertThat(wireA.encoding(rs)).isEqualTo(rs.toByteArray());
    }
    assertThat(a.encoding(a.resourceSpans().get(0))).isNull(); // not read from protobuf: no encoding kept
    Traces merged = Slicing.merge(List.of(wireA, wireB));
    assertThat(merged.resourceSpans()).hasSize(3);
    for (var rs : merged.resourceSpans()) {
      assertThat(merged.encoding(rs)).isEqualTo(rs.toByteArray());
    }
    // A resource a processor changed is a new instance: it has no encoding to reuse.
    var changed = merged.resourceSpans().get(0).toBuilder().clearSchemaUrl().setSchemaUrl("x").build();
    assertThat(merged.encoding(changed)).isNull();
    assertThat(Traces.of(List.of(changed)).encoding(changed)).isNull();
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
  /** One metric of each type with {@code points} points each, point values numbered in order across metrics. */
  private static Metrics everyType(int points) {
    int n = 0;
    Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    Histogram.Builder histogram = Histogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    ExponentialHistogram.Builder exponential = ExponentialHistogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    Summary.Builder summary = Summary.newBuilder();
    for (int i = 0; i < points; i++) {
      sum.addDataPoints(NumberDataPoint.newBuilder().setAsInt(n++));
    }
    for (int i = 0; i < points; i++) {
      histogram.addDataPoints(HistogramDataPoint.newBuilder().setCount(n++));
    }
    for (int i = 0; i < points; i++) {
      exponential.addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(n++));
    }
    for (int i = 0; i < points; i++) {
      summary.addDataPoints(SummaryDataPoint.newBuilder().setCount(n++));
    }
    ScopeMetrics scope = ScopeMetrics.newBuilder().setSchemaUrl("https://schema/1")
        .addMetrics(Metric.newBuilder().setName("sum").setDescription("a sum").setUnit("By").setSum(sum))
        .addMetrics(Metric.newBuilder().setName("empty").setDescription("no points"))
        .addMetrics(Metric.newBuilder().setName("hist").setHistogram(histogram))
        .addMetrics(Metric.newBuilder().setName("exp").setExponentialHistogram(exponential))
        .addMetrics(Metric.newBuilder().setName("summary").setSummary(summary)).build();
    return Metrics.of(List.of(ResourceMetrics.newBuilder().setResource(TestData.resource("svc"))
        .setSchemaUrl("https://schema/r").addScopeMetrics(scope).build()));
  }

  private static List<String> pointsOf(List<Metrics> pieces) {
    List<String> out = new ArrayList<>();
    for (Metrics p : pieces) {
      for (var rm : p.resourceMetrics()) {
        assertThat(rm.getSchemaUrl()).isEqualTo("https://schema/r");
        assertThat(rm.getResource()).isEqualTo(TestData.resource("svc"));
        for (var sm : rm.getScopeMetricsList()) {
          assertThat(sm.getSchemaUrl()).isEqualTo("https://schema/1");
          for (Metric m : sm.getMetricsList()) {
            switch (m.getDataCase()) {
              case SUM -> {
                assertThat(m.getSum().getIsMonotonic()).isTrue();
                assertThat(m.getSum().getAggregationTemporality())
                    .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
                assertThat(m.getDescription()).isEqualTo("a sum");
                assertThat(m.getUnit()).isEqualTo("By");
                m.getSum().getDataPointsList().forEach(dp -> out.add("sum:" + dp.getAsInt()));
              }
              case HISTOGRAM -> {
                assertThat(m.getHistogram().getAggregationTemporality())
                    .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
                m.getHistogram().getDataPointsList().forEach(dp -> out.add("hist:" + dp.getCount()));
              }
              case EXPONENTIAL_HISTOGRAM -> {
                assertThat(m.getExponentialHistogram().getAggregationTemporality())
                    .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
                m.getExponentialHistogram().getDataPointsList().forEach(dp -> out.add("exp:" + dp.getCount()));
              }
              case SUMMARY -> m.getSummary().getDataPointsList().forEach(dp -> out.add("summary:" + dp.getCount()));
              case GAUGE -> m.getGauge().getDataPointsList().forEach(dp -> out.add("gauge:" + dp.getAsInt()));
              case DATA_NOT_SET -> out.add(m.getName());
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void everyMetricTypeSplitsAtDataPointsKeepingItsKindTemporalityAndMetadata() {
    Metrics all = everyType(3); // 12 points, and one metric without any
    for (int max = 1; max <= 13; max++) {
      List<Metrics> pieces = Slicing.split(all, max);
      int m = max;
      assertThat(pieces).as("max %d", max).allMatch(p -> p.itemCount() <= m);
      assertThat(pieces.stream().mapToInt(Metrics::itemCount).sum()).isEqualTo(12);
      assertThat(pointsOf(pieces)).as("max %d", max).containsExactly("sum:0", "sum:1", "sum:2", "empty", "hist:3",
          "hist:4", "hist:5", "exp:6", "exp:7", "exp:8", "summary:9", "summary:10", "summary:11");
    }
  }

  @Test
  void everySpanComesOutOnceInOrderWhateverTheMaximum() {
    Traces all = TestData.traces(0, 3, 3, 4); // 36 spans
    List<String> expected = IntStream.range(0, 36).mapToObj(i -> "span-" + i).toList();
    for (int max = 1; max <= 37; max++) {
      List<Traces> pieces = Slicing.split(all, max);
      int m = max;
      assertThat(pieces).allMatch(p -> p.itemCount() <= m && p.itemCount() > 0);
      assertThat(pieces).hasSize((36 + max - 1) / max);
      assertThat(TestData.spanNames(pieces)).as("max %d", max).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void mergeOfMetricsAndLogsConcatenatesTheirResources() {
    Metrics m = Slicing.merge(List.of(TestData.metrics(0, 1, 2), TestData.metrics(2, 2, 1)));
    assertThat(m.itemCount()).isEqualTo(4);
    assertThat(m.resourceMetrics()).hasSize(2);
    Logs l = Slicing.merge(List.of(TestData.logs(0, 2), TestData.logs(2, 3), TestData.logs(5, 1)));
    assertThat(l.itemCount()).isEqualTo(6);
    List<String> bodies = new ArrayList<>();
    l.resourceLogs().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList()
        .forEach(r -> bodies.add(r.getBody().getStringValue()))));
    assertThat(bodies).containsExactly("log-0", "log-1", "log-2", "log-3", "log-4", "log-5");
    assertThatThrownBy(() -> Slicing.merge(List.<Traces>of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBatchOfManySmallResourcesSplitsWithoutLosingAny() {
    List<Traces> parts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      parts.add(TestData.traces(i, 1, 1, 1));
    }
    Traces merged = Slicing.merge(parts);
    List<Traces> pieces = Slicing.split(merged, 6);
    assertThat(pieces).extracting(Traces::itemCount).containsExactly(6, 6, 6, 2);
    assertThat(pieces.get(0).resourceSpans()).hasSize(6);
    assertThat(TestData.spanNames(pieces)).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "span-" + i).toList());
  }
}
