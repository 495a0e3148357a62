package io.sightline.promql.engine;

import java.time.Duration;

/**
 * The engine's limits and defaults, Prometheus' flags: {@code query.lookback-delta} (5m), {@code query.max-samples}
 * (50,000,000 samples loaded at once) and {@code query.timeout} (2m).
 */
public record EngineOptions(Duration lookbackDelta, long maxSamples, Duration timeout) {

  public static final EngineOptions DEFAULTS = new EngineOptions(Duration.ofMinutes(5), 50_000_000, Duration.ofMinutes(2));
}
