package io.sightline.collector.queue;

import io.sightline.collector.config.ConfigMap;
import java.time.Duration;

/**
 * {@code retry_on_failure}, with the Collector's keys, defaults and checks ({@code configretry.BackOffConfig}).
 *
 * @param initialInterval the wait after the first failure
 * @param randomizationFactor each wait is drawn from {@code [w·(1−f), w·(1+f)]}, so that senders do not retry in
 *     step
 * @param multiplier the wait grows by this after every failure
 * @param maxInterval the wait grows no further than this
 * @param maxElapsedTime retries stop once this has passed since the first attempt; zero retries forever
 */
public record RetrySettings(boolean enabled, Duration initialInterval, double randomizationFactor, double multiplier,
    Duration maxInterval, Duration maxElapsedTime) {
  public static final RetrySettings DEFAULTS = new RetrySettings(true, Duration.ofSeconds(5), 0.5, 1.5,
      Duration.ofSeconds(30), Duration.ofMinutes(5));

  /** Reads {@code m} over {@code defaults}; unknown keys and invalid values fail, located. */
  public static RetrySettings parse(ConfigMap m, RetrySettings defaults) {
    boolean enabled = m.bool("enabled", defaults.enabled);
    Duration initial = m.duration("initial_interval", defaults.initialInterval);
    double randomization = m.doubleValue("randomization_factor", defaults.randomizationFactor);
    double multiplier = m.doubleValue("multiplier", defaults.multiplier);
    Duration max = m.duration("max_interval", defaults.maxInterval);
    Duration elapsed = m.duration("max_elapsed_time", defaults.maxElapsedTime);
    m.finish();
    if (enabled) {
      // The Collector checks these only when retrying is on, with these messages.
      if (initial.isNegative()) {
        throw m.error("initial_interval", "'initial_interval' must be non-negative");
      }
      if (!(randomization >= 0 && randomization <= 1)) {
        throw m.error("randomization_factor", "'randomization_factor' must be within [0, 1]");
      }
      if (!(multiplier > 0)) {
        throw m.error("multiplier", "'multiplier' must be positive");
      }
      if (max.isNegative()) {
        throw m.error("max_interval", "'max_interval' must be non-negative");
      }
      if (elapsed.isNegative()) {
        throw m.error("max_elapsed_time", "'max_elapsed_time' must be non-negative");
      }
    }
    return new RetrySettings(enabled, initial, randomization, multiplier, max, elapsed);
  }
}
