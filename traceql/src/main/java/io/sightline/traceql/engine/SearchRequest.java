package io.sightline.traceql.engine;

/**
 * The parameters of {@code /api/search} that the engine applies: {@code limit} traces (0 or less: no limit),
 * {@code spss} spans per spanset (0 or less: Tempo's default 3), and a time range in unix nanoseconds that a trace
 * must overlap (0 for an open end).
 */
public record SearchRequest(int limit, int spss, long startUnixNanos, long endUnixNanos) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int DEFAULT_SPANS_PER_SPANSET = 3;

  public static SearchRequest defaults() {
    return new SearchRequest(DEFAULT_LIMIT, DEFAULT_SPANS_PER_SPANSET, 0, 0);
  }

  int spansPerSpanset() {
    return spss <= 0 ? DEFAULT_SPANS_PER_SPANSET : spss;
  }
}
