package io.sightline.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.promql.engine.Engine;
import io.sightline.promql.engine.EngineOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where Prometheus changed an expected result after the copy of its suite in {@code shared/conformance/promql} was
 * taken, Sightline follows the newer Prometheus. The evals of the copy that expect the older result are the ones
 * {@link PromqlConformanceTest} reports as failing; this test pins the newer behaviour, so that the count below the
 * suite's total is explained and cannot hide a regression.
 */
class PromqlSinceTest {
  @Test
  void histogramRateStopsExtrapolatingAtZeroCount() throws IOException {
    List<ScriptRunner.Verdict> verdicts = run("histogram_rate_extrapolation.test");
    assertThat(verdicts).hasSize(2);
    assertThat(verdicts).allSatisfy(v -> assertThat(v.reason()).as("line %d: %s", v.line(), v.expr()).isNull());
  }

  private static List<ScriptRunner.Verdict> run(String name) throws IOException {
    String text;
    try (InputStream in = PromqlSinceTest.class.getResourceAsStream("/prometheus-since/" + name)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Engine engine = new Engine(new EngineOptions(Duration.ofMinutes(5), 50_000_000, Duration.ofSeconds(100)));
    return new ScriptRunner(engine).run(TestScript.parse(text));
  }
}
