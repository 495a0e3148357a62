package io.sightline.traceql.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.traceql.syntax.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TraceQL metrics over three fixed traces, checked value by value against what Tempo's engine computes for them. The
 * range is [T0, T0+30s) at a 10s step; aligned as Tempo aligns it, it becomes four right-closed intervals reported at
 * T0, T0+10s, T0+20s and T0+30s. Spans: trace A (service api) a1 at +1s for 100ms (http.status_code 200) and a2 at +5s
 * for 300ms (500, error); trace B (db) b1 at +12s for 2ms and b2 exactly at +20s for 50ms; trace C (api) c1 at +25s for
 * 1s; and a span exactly at the aligned start, which no interval takes.
 */
class QueryRangeTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_700_000_000L * S;
  private static final long T0_MS = T0 / MS;
  private static final RangeRequest RANGE = new RangeRequest(T0, T0 + 30 * S, 10 * S, false, 10).aligned();

  private static final List<TracesData> TRACES = List.of(
      trace(1, "api", span(1, 'a', T0 + S, 100, 200, true), span(1, 'b', T0 + 5 * S, 300, 500, false)),
      trace(2, "db", span(2, 'a', T0 + 12 * S, 2, 0, true), span(2, 'b', T0 + 20 * S, 50, 0, true)),
      trace(3, "api", span(3, 'a', T0 + 25 * S, 1000, 0, true), span(3, 'b', T0 - 10 * S, 10, 0, true)));

  @Test
  void alignsAsTempoAndReportsEachIntervalAtItsEnd() {
    assertThat(RANGE.startNanos()).isEqualTo(T0 - 10 * S);
    assertThat(RANGE.endNanos()).isEqualTo(T0 + 30 * S);
    assertThat(run("{} | count_over_time()")).containsExactly(
        Map.entry("{__name__=count_over_time}", points(0, 0.0, 10, 2.0, 20, 2.0, 30, 1.0)));
  }

  @Test
  void rateDividesByTheStepPerService() {
    assertThat(run("{} | rate() by (resource.service.name)")).containsExactly(
        Map.entry("{resource.service.name=api}", points(0, 0.0, 10, 0.2, 20, 0.0, 30, 0.1)),
        Map.entry("{resource.service.name=db}", points(0, 0.0, 10, 0.0, 20, 0.2, 30, 0.0)));
  }

  @Test
  void minMaxAndSumLeaveIntervalsWithoutValuesOut() {
    assertThat(run("{} | max_over_time(duration) by (resource.service.name)")).containsExactly(
        Map.entry("{resource.service.name=api}", points(10, 0.3, 30, 1.0)),
        Map.entry("{resource.service.name=db}", points(20, 0.05)));
    assertThat(run("{} | min_over_time(span:duration)")).containsExactly(
        Map.entry("{__name__=min_over_time}", points(10, 0.1, 20, 0.002, 30, 1.0)));
    // Spans without the attribute add nothing.
    assertThat(run("{} | sum_over_time(span.http.status_code)")).containsExactly(
        Map.entry("{__name__=sum_over_time}", points(10, 700.0)));
  }

  @Test
  void averageIsTheRunningMean() {
    List<TimeSeries> series = evaluate("{} | avg_over_time(duration)");
    assertThat(series).hasSize(1);
    assertThat(series.getFirst().labels()).extracting(Label::name).containsExactly("__name__");
    List<Sample> samples = series.getFirst().samples();
    assertThat(samples).extracting(Sample::timestampMs).containsExactly(T0_MS + 10_000, T0_MS + 20_000,
        T0_MS + 30_000);
    assertThat(samples.get(0).value()).isCloseTo(0.2, within(1e-15));
    assertThat(samples.get(1).value()).isCloseTo(0.026, within(1e-15));
    assertThat(samples.get(2).value()).isEqualTo(1.0);
  }

  @Test
  void quantilesReadPowerOfTwoBucketsPerInterval() {
    // 100ms and 300ms fall in the buckets 2^27ns and 2^29ns; 2ms, 50ms and 1s in 2^21, 2^26 and 2^30.
    assertThat(run("{} | quantile_over_time(duration, .5, .9)")).containsExactly(
        Map.entry("{p=0.5}", points(0, 0.0, 10, 0.134217728, 20, 0.002097152, 30, 1.073741824)),
        Map.entry("{p=0.9}", points(0, 0.0, 10, 0.536870912, 20, 0.067108864, 30, 1.073741824)));
  }

  @Test
  void interpolatesInsideABucketExponentially() {
    List<Log2Histograms.Bucket> buckets = List.of(new Log2Histograms.Bucket(4, 2), new Log2Histograms.Bucket(8, 2));
    // p=0.75 needs 3 of 4 values: one into the bucket (4, 8], half of it: 2^(2 + 0.5).
    assertThat(Log2Histograms.quantile(0.75, buckets)).isEqualTo(Math.pow(2, 2.5));
    assertThat(Log2Histograms.quantile(0.5, buckets)).isEqualTo(4);
    assertThat(Log2Histograms.bucketize(5)).isEqualTo(8);
    assertThat(Log2Histograms.bucketize(8)).isEqualTo(8);
    assertThat(Log2Histograms.bucketize(1)).isEqualTo(-1);
  }

  @Test
  void histogramsCountPerBucket() {
    assertThat(run("{resource.service.name = \"db\"} | histogram_over_time(duration)")).containsExactly(
        Map.entry("{__bucket=0.002097152}", points(0, 0.0, 10, 0.0, 20, 1.0, 30, 0.0)),
        Map.entry("{__bucket=0.067108864}", points(0, 0.0, 10, 0.0, 20, 1.0, 30, 0.0)));
  }

  @Test
  void nilGroupValuesBecomeTheirOwnSeries() {
    assertThat(run("{} | count_over_time() by (span.http.status_code)")).containsExactly(
        Map.entry("{span.http.status_code=200}", points(0, 0.0, 10, 1.0, 20, 0.0, 30, 0.0)),
        Map.entry("{span.http.status_code=500}", points(0, 0.0, 10, 1.0, 20, 0.0, 30, 0.0)),
        Map.entry("{span.http.status_code=nil}", points(0, 0.0, 10, 0.0, 20, 2.0, 30, 1.0)));
  }

  @Test
  void filtersAndStructuralQueriesSelectTheSpans() {
    assertThat(run("{status = error} | count_over_time() by (name)")).containsExactly(
        Map.entry("{name=s1b}", points(0, 0.0, 10, 1.0, 20, 0.0, 30, 0.0)));
    assertThat(run("{resource.service.name = \"db\"} > {} | count_over_time()")).containsExactly(
        Map.entry("{__name__=count_over_time}", points(0, 0.0, 10, 0.0, 20, 1.0, 30, 0.0)));
  }

  @Test
  void topkAndBottomkKeepTheExtremesOfEachInterval() {
    assertThat(run("{} | rate() by (resource.service.name) | topk(1)")).containsExactly(
        Map.entry("{resource.service.name=api}", points(0, 0.0, 10, 0.2, 30, 0.1)),
        Map.entry("{resource.service.name=db}", points(20, 0.2)));
    assertThat(run("{} | rate() by (resource.service.name) | bottomk(1)")).containsExactly(
        Map.entry("{resource.service.name=api}", points(20, 0.0)),
        Map.entry("{resource.service.name=db}", points(0, 0.0, 10, 0.0, 30, 0.0)));
  }

  @Test
  void comparisonsKeepTheValuesThatPass() {
    assertThat(run("{} | rate() by (resource.service.name) > 0.15")).containsExactly(
        Map.entry("{resource.service.name=api}", points(10, 0.2)),
        Map.entry("{resource.service.name=db}", points(20, 0.2)));
  }

  @Test
  void instantQueriesHaveOneValueAtTheEnd() throws Exception {
    QueryRange q = QueryRange.compile("{} | rate()");
    Evaluation e = q.evaluate(RangeRequest.instant(T0, T0 + 30 * S));
    TRACES.forEach(e::observe);
    List<TimeSeries> series = e.results();
    assertThat(series).hasSize(1);
    assertThat(series.getFirst().samples()).containsExactly(new Sample(T0_MS + 30_000, 5.0 / 30));
  }

  @Test
  void exemplarsTakeOneSpanPerTraceAndTheirIntervalsRate() throws Exception {
    Evaluation e = QueryRange.compile("{} | rate() by (resource.service.name)").evaluate(RANGE);
    TRACES.forEach(e::observe);
    List<TimeSeries> series = e.results();
    assertThat(series.get(0).exemplars()).extracting(Exemplar::timestampMs, Exemplar::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(T0_MS + 1000, 0.2),
            org.assertj.core.groups.Tuple.tuple(T0_MS + 25_000, 0.1));
    assertThat(series.get(0).exemplars().getFirst().labels()).extracting(Label::name)
        .containsExactly("trace:id", "span:id");
    assertThat(series.get(1).exemplars()).extracting(Exemplar::timestampMs).containsExactly(T0_MS + 12_000);
  }

  @Test
  void defaultStepAimsAt240Points() {
    assertThat(RangeRequest.defaultStep(0, 3600 * S)).isEqualTo(15 * S);
    // 6 minutes rounds down to the 5-minute granularity.
    assertThat(RangeRequest.defaultStep(0, 24 * 3600 * S)).isEqualTo(5 * 60 * S);
    assertThat(RangeRequest.defaultStep(0, 30 * S)).isEqualTo(100 * MS);
    assertThat(RangeRequest.defaultStep(0, 5 * S)).isEqualTo(50 * MS);
    assertThat(RangeRequest.defaultStep(0, 120 * S)).isEqualTo(S);
  }

  @Test
  void refusesWhatItDoesNotEvaluate() {
    assertThatThrownBy(() -> QueryRange.compile("{}")).isInstanceOf(MetricsQueryException.class)
        .hasMessage("not a metrics query");
    assertThatThrownBy(() -> QueryRange.compile("{} | rate(")).isInstanceOf(ParseException.class)
        .hasMessageStartingWith("parse error at line 1, col");
  }

  private static Map<String, Map<Long, Double>> run(String query) {
    Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
    for (TimeSeries s : evaluate(query)) {
      StringBuilder name = new StringBuilder("{");
      for (Label l : s.labels()) {
        name.append(name.length() > 1 ? "," : "").append(l.name()).append('=').append(text(l));
      }
      Map<Long, Double> values = new LinkedHashMap<>();
      for (Sample p : s.samples()) {
        values.put((p.timestampMs() - T0_MS) / 1000, p.value());
      }
      out.put(name.append('}').toString(), values);
    }
    return out;
  }

  private static String text(Label l) {
    return switch (l.value().type()) {
      case STRING -> l.value().asString();
      case INT -> Long.toString(l.value().asLong());
      case FLOAT -> Double.toString(l.value().asDouble());
      default -> io.sightline.traceql.syntax.Printer.print(l.value());
    };
  }

  private static List<TimeSeries> evaluate(String query) {
    try {
      Evaluation e = QueryRange.compile(query).evaluate(RANGE);
      TRACES.forEach(e::observe);
      return e.results();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Seconds after T0 and values, in pairs. */
  private static Map<Long, Double> points(Object... pairs) {
    Map<Long, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(((Integer) pairs[i]).longValue(), (Double) pairs[i + 1]);
    }
    return m;
  }

  private static Span span(int trace, char label, long start, long durationMs, long statusCode, boolean ok) {
    Span.Builder s = Span.newBuilder().setTraceId(ByteString.copyFrom(id(16, trace)))
        .setSpanId(ByteString.copyFrom(id(8, trace * 16 + label))).setName("s" + trace + label)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + durationMs * MS)
        .setStatus(Status.newBuilder().setCode(ok ? Status.StatusCode.STATUS_CODE_OK
            : Status.StatusCode.STATUS_CODE_ERROR));
    if (label != 'a') {
      s.setParentSpanId(ByteString.copyFrom(id(8, trace * 16 + 'a')));
    }
    if (statusCode != 0) {
      s.addAttributes(KeyValue.newBuilder().setKey("http.status_code")
          .setValue(AnyValue.newBuilder().setIntValue(statusCode)));
    }
    return s.build();
  }

  private static byte[] id(int length, int n) {
    byte[] b = new byte[length];
    b[length - 1] = (byte) n;
    b[length - 2] = (byte) (n >> 8);
    b[0] = 1;
    return b;
  }

  private static TracesData trace(int n, String service, Span... spans) {
    List<Span> list = new ArrayList<>(List.of(spans));
    return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(list))).build();
  }
}
