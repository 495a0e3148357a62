package io.sightline.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.core.model.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every endpoint as one sink: a committed batch reaches each queue; a rolled-back one none. */
class RemoteStorageTest {
  @Test
  void aCommittedBatchGoesToEveryEndpointAndARolledBackOneNowhere() throws Exception {
    try (FakeReceiver a = new FakeReceiver(); FakeReceiver b = new FakeReceiver()) {
      List<RemoteWriteConfig> configs = RemoteWriteConfig.parseList(new YamlConfigLoader(k -> null).parse("rw.yaml",
          """
          remote_write:
            - {url: "%s", name: a}
            - {url: "%s", name: b, write_relabel_configs: [{target_label: copy, replacement: b}]}
          """.formatted(a.url(), b.url())), "remote_write", true);
      PrometheusRegistry registry = new PrometheusRegistry();
      RemoteStorage storage = new RemoteStorage(configs, "test-agent", registry);
      storage.start();
      Labels calls = Labels.of("__name__", "traces_spanmetrics_calls_total", "service", "shop");

      SampleSink.Batch dropped = storage.begin();
      dropped.append(calls, 1_000, 1);
      dropped.rollback();
      SampleSink.Batch batch = storage.begin();
      batch.metadata("traces_spanmetrics_calls", "counter", "Calls.", "");
      assertThat(batch.append(calls, 2_000, 2)).isTrue();
      batch.exemplar(calls, Labels.of("traceID", "ab"), 2_000, 1);
      batch.commit();
      assertThat(storage.close(Duration.ofSeconds(10))).isTrue();

      Decoded toA = a.next().decoded();
      assertThat(toA.samples()).containsExactly(new Decoded.Sample(2_000, 2));
      assertThat(toA.series().getFirst().exemplars()).hasSize(1);
      assertThat(b.next().decoded().series().getFirst().labels())
          .isEqualTo(calls.toBuilder().set("copy", "b").build());
      assertThat(a.waiting() + b.waiting()).isZero();

      assertThat(storage.queues().get(0).metrics().samples().get()).isEqualTo(1);
      assertThat(storage.queues().get(1).metrics().exemplars().get()).isEqualTo(1);
      assertThat(registry.scrape().stream().map(m -> m.getMetadata().getPrometheusName()))
          .contains("prometheus_remote_storage_samples_in", "prometheus_remote_storage_samples_failed",
              "prometheus_remote_storage_sent_batch_duration_seconds");
    }
  }
}
