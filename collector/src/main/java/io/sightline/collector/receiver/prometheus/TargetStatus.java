package io.sightline.collector.receiver.prometheus;

import java.util.Map;

/**
 * What {@code /api/v1/targets} shows of a target: its health after the last scrape, and the metric families that
 * scrape described ({@code /api/v1/targets/metadata}).
 *
 * @param health "up", "down", or "unknown" before the first scrape
 * @param lastScrapeMs when the last scrape started, 0 before the first
 */
public record TargetStatus(Target target, String health, String lastError, long lastScrapeMs,
    double lastScrapeDurationSeconds, Map<String, Family> metadata) {

  public TargetStatus {
    metadata = Map.copyOf(metadata);
  }

  /** A metric family's TYPE, HELP and UNIT as the target exposed them. */
  public record Family(String type, String help, String unit) {}
}
