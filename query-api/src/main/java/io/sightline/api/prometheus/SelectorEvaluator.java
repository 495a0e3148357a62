package io.sightline.api.prometheus;

import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a plain series selector as Prometheus 3 does: at each instant, a series' value is its newest sample in
 * the lookback window {@code (t − lookback, t]}, and none if that sample is a stale marker.
 */
final class SelectorEvaluator {

  /** One series of a result: its labels and its points. */
  record Result(Labels labels, long[] timestamps, double[] values, int count) {}

  private final Querier querier;
  private final long maxSamples;

  SelectorEvaluator(Querier querier, long maxSamples) {
    this.querier = querier;
    this.maxSamples = maxSamples;
  }

  /** Points at {@code start, start + step, ..., end}; an instant query is {@code start == end}. */
  List<Result> evaluate(VectorSelector selector, long startMs, long endMs, long stepMs, long lookbackMs)
      throws ApiError {
    List<Result> results = new ArrayList<>();
    long loaded = 0;
    for (Series series : querier.select(selector.matchers(), startMs - lookbackMs + 1, endMs)) {
      long[] ts = new long[16];
      double[] vs = new double[16];
      int n = 0;
      SampleIterator it = series.iterator(startMs - lookbackMs + 1, endMs);
      while (it.next()) {
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
          vs = Arrays.copyOf(vs, n * 2);
        }
        ts[n] = it.timestamp();
        vs[n] = it.value();
        n++;
      }
      loaded += n;
      if (loaded > maxSamples) {
        throw new ApiError(ApiError.Type.EXECUTION,
            "query processing would load too many samples into memory in query execution");
      }
      int steps = (int) ((endMs - startMs) / stepMs) + 1;
      long[] outT = new long[Math.min(steps, n)];
      double[] outV = new double[outT.length];
      int out = 0;
      int i = 0;
      for (long t = startMs; t <= endMs; t += stepMs) {
        while (i < n && ts[i] <= t) {
          i++;
        }
        // i − 1 is now the newest sample at or before t
        if (i > 0 && ts[i - 1] > t - lookbackMs && !Appender.isStaleMarker(vs[i - 1])) {
          if (out == outT.length) {
            outT = Arrays.copyOf(outT, Math.max(4, out * 2));
            outV = Arrays.copyOf(outV, outT.length);
          }
          outT[out] = t;
          outV[out] = vs[i - 1];
          out++;
        }
      }
      if (out > 0) {
        results.add(new Result(series.labels(), outT, outV, out));
      }
    }
    return results;
  }
}
