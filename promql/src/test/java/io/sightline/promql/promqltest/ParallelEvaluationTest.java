package io.sightline.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sightline.core.model.Labels;
import io.sightline.promql.engine.Engine;
import io.sightline.promql.engine.EngineOptions;
import io.sightline.promql.engine.Matrix;
import io.sightline.promql.engine.Vector;
import org.junit.jupiter.api.Test;

/**
 * Enough series that the engine splits decoding and range functions across threads: results must be complete, in
 * order, and equal to what each series gives alone.
 */
class ParallelEvaluationTest {
  private static final int SERIES = 3_000;

  @Test
  void manySeriesGiveEveryResultInOrder() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    for (int i = 0; i < SERIES; i++) {
      Labels labels = Labels.of("__name__", "requests_total", "id", String.format("%05d", i));
      for (int s = 0; s <= 40; s++) {
        storage.add(labels, s * 15_000L, s * (double) i); // series i grows by i per 15 s
      }
    }
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    long at = 600_000;
    Vector count = (Vector) engine.instant(storage, "count(requests_total)", at).value();
    assertThat(count.samples().get(0).value()).isEqualTo(SERIES);

    Vector rates = (Vector) engine.instant(storage, "rate(requests_total[5m])", at).value();
    assertThat(rates.samples()).hasSize(SERIES); // series 0 too, with a rate of 0
    // Exactly one sample per series, each with its own rate, in the order the series were selected.
    for (int k = 0; k < rates.samples().size(); k++) {
      var sample = rates.samples().get(k);
      int id = Integer.parseInt(sample.labels().get("id"));
      assertThat(id).isEqualTo(k);
      assertThat(sample.value()).isCloseTo(id / 15.0, within(1e-9));
    }

    Matrix sum = (Matrix) engine.range(storage, "sum(rate(requests_total[5m]))", 300_000, 600_000, 60_000).value();
    double expected = (SERIES - 1) * SERIES / 2.0 / 15.0;
    assertThat(sum.series()).hasSize(1);
    for (int p = 0; p < sum.series().get(0).count(); p++) {
      assertThat(sum.series().get(0).values()[p]).isCloseTo(expected, within(1e-6));
    }
  }
}
