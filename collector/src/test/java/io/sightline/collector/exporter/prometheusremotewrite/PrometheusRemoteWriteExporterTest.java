package io.sightline.collector.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.remotewrite.Decoded;
import io.sightline.collector.remotewrite.FakeReceiver;
import io.sightline.core.model.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code prometheusremotewrite} exporter against a scripted remote-write endpoint, read back by Sightline's
 * decoder.
 */
class PrometheusRemoteWriteExporterTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);
  private static final long NOW_MS = 1_700_000_000_000L;

  @TempDir
  Path dataDir;

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private Exporter<Metrics> exporter(FakeReceiver endpoint, String extra) throws Exception {
    PrometheusRemoteWriteExporterFactory f = new PrometheusRemoteWriteExporterFactory();
    var config = f.parseConfig(LOADER.parse("t.yaml", "prometheusremotewrite:\n  endpoint: \"" + endpoint.url()
        + "\"\n" + extra).map("prometheusremotewrite"));
    Exporter<Metrics> e = f.create(new ComponentSettings(ComponentId.parse("prometheusremotewrite"),
        new Host(dataDir, new ObsReport(registry))), config, Signal.METRICS);
    e.start();
    return e;
  }

  /** A gauge {@code room.temperature} (unit Cel) with one point per room, from service shop/api, instance i-1. */
  private static Metrics temperatures(int rooms) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < rooms; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(20 + i).setTimeUnixNano(NOW_MS * 1_000_000L)
          .addAttributes(TestData.attr("room", "r" + i)));
    }
    Resource resource = Resource.newBuilder().addAttributes(TestData.attr("service.name", "api"))
        .addAttributes(TestData.attr("service.namespace", "shop"))
        .addAttributes(TestData.attr("service.instance.id", "i-1")).build();
    return Metrics.of(List.of(ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(ScopeMetrics
        .newBuilder().addMetrics(Metric.newBuilder().setName("room.temperature").setUnit("Cel").setGauge(g)))
        .build()));
  }

  @Test
  void seriesAreTranslatedAsPrometheusDoesWithExternalLabelsAndHeaders() throws Exception {
    try (FakeReceiver endpoint = new FakeReceiver()) {
      Exporter<Metrics> e = exporter(endpoint, """
            external_labels: {cluster: eu-1, job: not-this}
            headers: {X-Scope-OrgID: tenant-a}
            remote_write_queue: {enabled: false}
          """);
      try {
        assertThat(e.consume(temperatures(2)).get(10, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
      } finally {
        e.close();
      }
      FakeReceiver.Request request = endpoint.next();
      assertThat(request.headers().getFirst("Content-Encoding")).isEqualTo("snappy");
      assertThat(request.headers().getFirst("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
      assertThat(request.headers().getFirst("X-scope-orgid")).isEqualTo("tenant-a");
      Decoded d = request.decoded();
      List<Labels> series = d.series().stream().map(Decoded.Series::labels).toList();
      assertThat(series).containsExactlyInAnyOrder(
          Labels.of("__name__", "room_temperature_celsius", "cluster", "eu-1", "instance", "i-1", "job", "shop/api",
              "room", "r0"),
          Labels.of("__name__", "room_temperature_celsius", "cluster", "eu-1", "instance", "i-1", "job", "shop/api",
              "room", "r1"));
      assertThat(d.samples()).extracting(Decoded.Sample::timestampMs).containsOnly(NOW_MS);
      assertThat(d.samples()).extracting(Decoded.Sample::value).containsExactlyInAnyOrder(20.0, 21.0);
      assertThat(counter("otelcol_exporter_sent_metric_points")).isEqualTo(2);
    }
  }

  @Test
  void aServerErrorIsRetriedAndAClientErrorIsNot() throws Exception {
    try (FakeReceiver endpoint = new FakeReceiver(new FakeReceiver.Answer(503, Map.of("Retry-After", "1"), "busy"),
        FakeReceiver.Answer.of(500), FakeReceiver.Answer.of(204),
        new FakeReceiver.Answer(400, Map.of(), "out of order sample"))) {
      Exporter<Metrics> e = exporter(endpoint, "  remote_write_queue: {enabled: false}\n");
      try {
        assertThat(e.consume(temperatures(3)).get(30, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
        assertThatThrownBy(() -> e.consume(temperatures(1)).join()).isInstanceOf(CompletionException.class)
            .cause().isInstanceOf(PermanentException.class)
            .hasMessageContaining("server returned HTTP status 400 Bad Request: out of order sample");
      } finally {
        e.close();
      }
      List<Decoded> got = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        got.add(endpoint.next().decoded());
      }
      assertThat(got.get(0).samples()).isEqualTo(got.get(2).samples()); // the same request, sent again
      assertThat(endpoint.waiting()).isZero();
      assertThat(counter("otelcol_exporter_sent_metric_points")).isEqualTo(3);
      assertThat(counter("otelcol_exporter_send_failed_metric_points")).isEqualTo(1);
    }
  }

  @Test
  void aLargeBatchIsSplitByMaxBatchSizeBytes() throws Exception {
    try (FakeReceiver endpoint = new FakeReceiver()) {
      Exporter<Metrics> e = exporter(endpoint, "  max_batch_size_bytes: 500\n");
      try {
        e.consume(temperatures(40)).get(10, TimeUnit.SECONDS); // queued
      } finally {
        e.close(); // sends the queue
      }
      int samples = 0;
      int requests = 0;
      while (endpoint.waiting() > 0) {
        byte[] body = endpoint.next().body();
        Decoded d = Decoded.snappy(body);
        samples += d.samples().size();
        requests++;
      }
      assertThat(requests).isGreaterThan(1);
      assertThat(samples).isEqualTo(40);
    }
  }

  @Test
  void configErrors() {
    PrometheusRemoteWriteExporterFactory f = new PrometheusRemoteWriteExporterFactory();
    assertThatThrownBy(() -> f.parseConfig(LOADER.parse("t.yaml", "prometheusremotewrite: {}\n")
        .map("prometheusremotewrite"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("endpoint must be specified");
    assertThatThrownBy(() -> f.parseConfig(LOADER.parse("t.yaml", """
        prometheusremotewrite: {endpoint: "http://p:9090/api/v1/write", headers: {Content-Type: x}}
        """).map("prometheusremotewrite"))).hasMessageContaining("header \"Content-Type\" is reserved");
    assertThatThrownBy(() -> f.parseConfig(LOADER.parse("t.yaml", """
        prometheusremotewrite: {endpoint: "http://p:9090/api/v1/write", wal: {directory: /tmp}}
        """).map("prometheusremotewrite"))).hasMessageContaining("not supported yet: wal");
    assertThatThrownBy(() -> f.parseConfig(LOADER.parse("t.yaml", """
        prometheusremotewrite: {endpoint: "https://p:9090/api/v1/write"}
        """).map("prometheusremotewrite"))).hasMessageContaining("not supported yet: TLS");
    var c = f.parseConfig(LOADER.parse("t.yaml", """
        prometheusremotewrite: {endpoint: "http://p:9090/api/v1/write"}
        """).map("prometheusremotewrite"));
    assertThat(c.retry()).isEqualTo(PrometheusRemoteWriteExporterFactory.DEFAULT_RETRY);
    assertThat(c.queue().queueSize()).isEqualTo(10_000);
    assertThat(c.translation().targetInfoEnabled()).isTrue();
  }

  private double counter(String name) {
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals(name) && s instanceof CounterSnapshot c) {
        return c.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
      }
    }
    return 0;
  }
}
