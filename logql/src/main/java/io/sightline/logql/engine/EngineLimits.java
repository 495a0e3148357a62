package io.sightline.logql.engine;

import java.time.Duration;

/**
 * The limits a query runs under, with Loki's defaults ({@code limits_config}). Zero switches a limit off.
 *
 * @param maxEntriesLimitPerQuery a log query may ask for at most this many entries ({@code
 *     max_entries_limit_per_query}, 5000)
 * @param maxQuerySeries a metric query may return at most this many series ({@code max_query_series}, 500)
 * @param maxQueryLength the time a query may span, its range intervals included ({@code max_query_length}, 721h)
 * @param queryTimeout a query that runs longer is stopped ({@code query_timeout}, 1m)
 * @param maxPointsPerSeries a range query may have at most this many steps per series (Loki's fixed 11,000)
 * @param maxQueryRange a range aggregation's {@code [range]} may be at most this long ({@code max_query_range}, off)
 */
public record EngineLimits(int maxEntriesLimitPerQuery, int maxQuerySeries, Duration maxQueryLength,
                           Duration queryTimeout, int maxPointsPerSeries, Duration maxQueryRange) {
  public static final int DEFAULT_MAX_ENTRIES_LIMIT_PER_QUERY = 5000;
  public static final int DEFAULT_MAX_QUERY_SERIES = 500;
  public static final Duration DEFAULT_MAX_QUERY_LENGTH = Duration.ofHours(721);
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(1);
  public static final int DEFAULT_MAX_POINTS_PER_SERIES = 11_000;

  public EngineLimits {
    if (maxEntriesLimitPerQuery < 0 || maxQuerySeries < 0 || maxPointsPerSeries < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
    maxQueryLength = nonNegative(maxQueryLength, "max query length");
    queryTimeout = nonNegative(queryTimeout, "query timeout");
    maxQueryRange = nonNegative(maxQueryRange, "max query range");
  }

  public static EngineLimits defaults() {
    return new EngineLimits(DEFAULT_MAX_ENTRIES_LIMIT_PER_QUERY, DEFAULT_MAX_QUERY_SERIES, DEFAULT_MAX_QUERY_LENGTH,
        DEFAULT_QUERY_TIMEOUT, DEFAULT_MAX_POINTS_PER_SERIES, Duration.ZERO);
  }

  private static Duration nonNegative(Duration d, String what) {
    if (d == null) {
      return Duration.ZERO;
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative");
    }
    return d;
  }
}
