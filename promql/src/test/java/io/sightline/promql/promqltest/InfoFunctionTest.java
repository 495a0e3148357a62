package io.sightline.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import io.sightline.promql.engine.Engine;
import io.sightline.promql.engine.EngineOptions;
import io.sightline.promql.engine.Sample;
import io.sightline.promql.engine.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code info()}: data labels of info series joined on {@code instance} and {@code job}, as Prometheus 3 does. */
class InfoFunctionTest {
  private final MemoryStorage storage = new MemoryStorage();
  private final Engine engine = new Engine(EngineOptions.DEFAULTS);

  InfoFunctionTest() {
    for (long t = 0; t <= 120_000; t += 15_000) {
      storage.add(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a"), t, t / 1000.0);
      storage.add(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "b"), t, 1);
      storage.add(Labels.of("__name__", "target_info", "job", "api", "instance", "a", "k8s_cluster", "prod",
          "version", "1.2"), t, 1);
      storage.add(Labels.of("__name__", "build_info", "job", "api", "instance", "a", "revision", "abc"), t, 1);
    }
  }

  private List<Sample> query(String q) throws Exception {
    return ((Vector) engine.instant(storage, q, 120_000).value()).samples();
  }

  @Test
  void targetInfoLabelsAreAddedByDefault() throws Exception {
    List<Sample> r = query("info(http_requests_total{instance=\"a\"})");
    assertThat(r).hasSize(1);
    assertThat(r.get(0).labels()).isEqualTo(Labels.of("__name__", "http_requests_total", "job", "api", "instance",
        "a", "k8s_cluster", "prod", "version", "1.2"));
    assertThat(r.get(0).value()).isEqualTo(120);
  }

  @Test
  void aDataLabelSelectorPicksLabelsAndInfoMetrics() throws Exception {
    assertThat(query("info(http_requests_total{instance=\"a\"}, {k8s_cluster=~\".+\"})").get(0).labels())
        .isEqualTo(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a", "k8s_cluster", "prod"));
    assertThat(query("info(http_requests_total{instance=\"a\"}, {__name__=\"build_info\"})").get(0).labels())
        .isEqualTo(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a", "revision", "abc"));
  }

  @Test
  void seriesWithoutInfoAreKeptUnlessTheSelectorNeedsALabel() throws Exception {
    assertThat(query("info(http_requests_total{instance=\"b\"})")).extracting(Sample::labels)
        .containsExactly(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "b"));
    assertThat(query("info(http_requests_total{instance=\"b\"}, {k8s_cluster=~\".+\"})")).isEmpty();
  }
}
