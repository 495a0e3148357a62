package io.sightline.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.resource.v1.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.translate.prometheus.OtlpMetricsTranslator;
import io.sightline.collector.translate.prometheus.TranslatorConfig;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.SeriesRef;
import io.sightline.metricstore.StoreStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What the exporter answers: accepted, partial, permanent or retryable failure, and what reaches the appender. */
class SightlineMetricsExporterTest {
  private final RecordingAppender appender = new RecordingAppender();

  private CompletableFuture<ConsumeResult> export(Supplier<MetricStore> store, Metric... metrics) {
    SightlineMetricsExporter exporter = new SightlineMetricsExporter("sightline", store,
        new OtlpMetricsTranslator(TranslatorConfig.DEFAULT), Runnable::run,
        new MetricsExporterCounters(new PrometheusRegistry()));
    ResourceMetrics rm = ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(
        KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("cart"))))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))).build();
    return exporter.consume(Metrics.of(List.of(rm)));
  }

  private MetricStore store() {
    return new FakeStore(appender);
  }

  private static Metric gauge(String name, double... values) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < values.length; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano((i + 1) * 1_000_000_000L).setAsDouble(values[i]));
    }
    return Metric.newBuilder().setName(name).setGauge(g).build();
  }

  @Test
  void samplesAndMetadataReachTheAppenderAndAreCommitted() throws Exception {
    assertThat(export(this::store, gauge("queue.depth", 3, 4)).get()).isEqualTo(ConsumeResult.ACCEPTED);
    assertThat(appender.samples).containsExactly("queue_depth{job=\"cart\"}@1000=3.0",
        "queue_depth{job=\"cart\"}@2000=4.0");
    assertThat(appender.metadata).containsExactly("queue_depth=gauge");
    assertThat(appender.committed).isTrue();
  }

  @Test
  void untranslatablePointsArePartialRejectionsAndExponentialHistogramsAreStored() throws Exception {
    Metric exp = Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(1_000_000_000L).setCount(3)
            .setSum(6).setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                .addBucketCounts(1).addBucketCounts(2))))
        .build();
    ConsumeResult result = export(this::store, gauge("ok", 1), gauge("", 1), exp).get();
    assertThat(result.rejected()).isEqualTo(1);
    assertThat(result.message()).startsWith("1 data points could not be translated; first: invalid_metric_name")
        .doesNotContain("histogram");
    assertThat(appender.samples).containsExactly("ok{job=\"cart\"}@1000=1.0",
        "exp{job=\"cart\"}@1000={count:3, sum:6, schema:0, zero:0@1.0E-128, +[Span[offset=2, length=2]][1.0, 2.0],"
            + " GAUGE}");
    assertThat(appender.committed).isTrue();
  }

  @Test
  void aBatchWithNothingTranslatableIsPermanentlyRefused() {
    CompletableFuture<ConsumeResult> result = export(this::store, gauge("@@@", 1, 2));
    assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(Consumers.unwrap(e.getCause())).isInstanceOf(PermanentException.class)
            .hasMessageContaining("invalid_metric_name"));
    assertThat(appender.rolledBack).isTrue();
    assertThat(appender.committed).isFalse();
  }

  @Test
  void aFailedCommitOrAClosedStoreIsRetryable() {
    appender.failCommit = true;
    assertThatThrownBy(export(this::store, gauge("g", 1))::get)
        .satisfies(e -> assertThat(Consumers.unwrap(e.getCause())).isInstanceOf(RetryableException.class)
            .hasMessageContaining("could not write its WAL: disk full"));
    assertThatThrownBy(export(() -> null, gauge("g", 1))::get)
        .satisfies(e -> assertThat(Consumers.unwrap(e.getCause())).isInstanceOf(RetryableException.class)
            .hasMessageContaining("not open"));
  }

  /** Remembers every call; refuses nothing. */
  private static final class RecordingAppender implements Appender {
    final List<String> samples = new ArrayList<>();
    final List<String> metadata = new ArrayList<>();
    boolean committed;
    boolean rolledBack;
    boolean failCommit;

    private record Ref(Labels labels) implements SeriesRef {}

    @Override
    public SeriesRef ref(Labels labels) {
      return new Ref(labels);
    }

    @Override
    public Outcome append(SeriesRef ref, long timestampMs, double value) {
      samples.add(((Ref) ref).labels() + "@" + timestampMs + "=" + value);
      return Outcome.ACCEPTED;
    }

    @Override
    public Outcome appendHistogram(SeriesRef ref, long timestampMs, io.sightline.core.model.Histogram histogram) {
      samples.add(((Ref) ref).labels() + "@" + timestampMs + "=" + histogram);
      return Outcome.ACCEPTED;
    }

    @Override
    public Outcome appendExemplar(SeriesRef ref, Labels exemplarLabels, long timestampMs, double value) {
      return Outcome.ACCEPTED;
    }

    @Override
    public void updateMetadata(String name, MetricMetadata m) {
      metadata.add(name + "=" + m.type());
    }

    @Override
    public int commit() throws IOException {
      if (failCommit) {
        throw new IOException("disk full");
      }
      committed = true;
      return 0;
    }

    @Override
    public void rollback() {
      rolledBack = true;
    }
  }

  private record FakeStore(Appender appender) implements MetricStore {
    @Override
    public Querier querier() {
      throw new UnsupportedOperationException();
    }

    @Override
    public StoreStats stats(int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
