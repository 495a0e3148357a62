package io.sightline.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.Labels;
import io.sightline.promql.engine.Engine;
import io.sightline.promql.engine.EngineOptions;
import io.sightline.promql.engine.QueryException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A query stops when its client goes away, runs out of time, or would hold too many samples, and says which. */
class QueryLimitsTest {

  private static MemoryStorage storage() {
    MemoryStorage storage = new MemoryStorage();
    for (int i = 0; i < 100; i++) {
      for (int s = 0; s < 100; s++) {
        storage.add(Labels.of("__name__", "up", "id", Integer.toString(i)), s * 15_000L, 1);
      }
    }
    return storage;
  }

  @Test
  void aCanceledQueryStopsAtItsNextCheck() {
    AtomicInteger checks = new AtomicInteger();
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    // The client goes away after the query has begun: the engine notices between series and steps.
    assertThatThrownBy(() -> engine.range(storage(), "sum(rate(up[5m]))", 0, 1_500_000, 15_000,
        () -> checks.incrementAndGet() > 3))
        .isInstanceOf(QueryException.class)
        .hasMessage("query was canceled in expression evaluation")
        .extracting(e -> ((QueryException) e).kind()).isEqualTo(QueryException.Kind.CANCELED);
    assertThat(checks.get()).isGreaterThan(3);
  }

  @Test
  void timeoutAndSampleLimitHavePrometheusWording() {
    Engine slow = new Engine(new EngineOptions(Duration.ofMinutes(5), 50_000_000, Duration.ofNanos(1)));
    assertThatThrownBy(() -> slow.instant(storage(), "sum(up)", 600_000))
        .hasMessage("query timed out in expression evaluation")
        .extracting(e -> ((QueryException) e).kind()).isEqualTo(QueryException.Kind.TIMEOUT);
    Engine small = new Engine(new EngineOptions(Duration.ofMinutes(5), 50, Duration.ofMinutes(1)));
    assertThatThrownBy(() -> small.instant(storage(), "sum(up)", 600_000))
        .hasMessage("query processing would load too many samples into memory in query execution")
        .extracting(e -> ((QueryException) e).kind()).isEqualTo(QueryException.Kind.EXECUTION);
  }
}
