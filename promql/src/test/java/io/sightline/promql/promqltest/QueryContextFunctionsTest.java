package io.sightline.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import io.sightline.promql.engine.Engine;
import io.sightline.promql.engine.EngineOptions;
import io.sightline.promql.engine.Matrix;
import io.sightline.promql.engine.Sample;
import io.sightline.promql.engine.Value;
import io.sightline.promql.engine.Vector;
import org.junit.jupiter.api.Test;

/** The newest documented functions: start(), end(), range(), step(), max_of(), min_of(), histogram_quantiles(). */
class QueryContextFunctionsTest {
  private final Engine engine = new Engine(EngineOptions.DEFAULTS);
  private final MemoryStorage storage = new MemoryStorage();

  private double scalar(String q, long at) throws Exception {
    return ((Value.Scalar) engine.instant(storage, q, at).value()).value();
  }

  @Test
  void theQuerysOwnRange() throws Exception {
    assertThat(scalar("start()", 90_000)).isEqualTo(90);
    assertThat(scalar("end()", 90_000)).isEqualTo(90);
    assertThat(scalar("range()", 90_000)).isZero();
    assertThat(scalar("step()", 90_000)).isZero();
    Matrix m = (Matrix) engine.range(storage, "range() + step() * 1000 + start()", 60_000, 180_000, 30_000).value();
    Matrix.Series s = m.series().get(0);
    assertThat(s.count()).isEqualTo(5);
    for (int i = 0; i < s.count(); i++) {
      assertThat(s.values()[i]).isEqualTo(120 + 30_000 + 60); // the same at every step, sub-queries included
    }
  }

  @Test
  void maxOfAndMinOf() throws Exception {
    assertThat(scalar("max_of(1, 2)", 0)).isEqualTo(2);
    assertThat(scalar("min_of(1, -2)", 0)).isEqualTo(-2);
  }

  @Test
  void severalQuantilesAtOnce() throws Exception {
    String[] le = {"1", "2", "+Inf"};
    double[] counts = {5, 10, 10};
    for (int i = 0; i < le.length; i++) {
      storage.add(Labels.of("__name__", "latency_bucket", "le", le[i]), 0, counts[i]);
    }
    Vector v = (Vector) engine.instant(storage, "histogram_quantiles(latency_bucket, \"q\", 0.5, 0.75)", 0).value();
    assertThat(v.samples()).extracting(Sample::labels)
        .containsExactlyInAnyOrder(Labels.of("q", "0.5"), Labels.of("q", "0.75"));
    for (Sample s : v.samples()) {
      assertThat(s.value()).isEqualTo(s.labels().get("q").equals("0.5") ? 1.0 : 1.5);
    }
  }
}
