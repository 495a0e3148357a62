package io.sightline.metricstore;

import java.util.List;

/**
 * Cardinality figures, as Prometheus' {@code /api/v1/status/tsdb} reports them: counts for the head, and the top
 * entries of each ranking.
 */
public record StoreStats(long numSeries, long numLabelPairs, long chunkCount, long minTime, long maxTime,
    List<Count> seriesCountByMetricName, List<Count> labelValueCountByLabelName,
    List<Count> memoryInBytesByLabelName, List<Count> seriesCountByLabelValuePair) {

  /** One ranked entry. */
  public record Count(String name, long value) {}
}
