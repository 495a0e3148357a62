package io.sightline.api.prometheus;

import io.sightline.core.model.Histogram;
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

  /**
   * One series of a result: its labels and its points; {@code histograms} is null when every point is a float, else
   * holds each point's histogram, null at the float points.
   */
  record Result(Labels labels, long[] timestamps, double[] values, Histogram[] histograms, int count) {
    Histogram histogram(int i) {
      return histograms == null ? null : histograms[i];
    }
  }

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
      Histogram[] hs = null; // allocated at the series' first histogram
      int n = 0;
      SampleIterator it = series.iterator(startMs - lookbackMs + 1, endMs);
      while (it.next()) {
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
          vs = Arrays.copyOf(vs, n * 2);
          if (hs != null) {
            hs = Arrays.copyOf(hs, n * 2);
          }
        }
        ts[n] = it.timestamp();
        vs[n] = it.value();
        Histogram h = it.histogram();
        if (h != null && hs == null) {
          hs = new Histogram[ts.length];
        }
        if (hs != null) {
          hs[n] = h;
        }
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
      Histogram[] outH = hs == null ? null : new Histogram[outT.length];
      int out = 0;
      int i = 0;
      for (long t = startMs; t <= endMs; t += stepMs) {
        while (i < n && ts[i] <= t) {
          i++;
        }
        // i − 1 is now the newest sample at or before t
        Histogram h = hs == null || i == 0 ? null : hs[i - 1];
        boolean stale = h != null ? h.isStaleMarker() : i > 0 && Appender.isStaleMarker(vs[i - 1]);
        if (i > 0 && ts[i - 1] > t - lookbackMs && !stale) {
          if (out == outT.length) {
            outT = Arrays.copyOf(outT, Math.max(4, out * 2));
            outV = Arrays.copyOf(outV, outT.length);
            if (outH != null) {
              outH = Arrays.copyOf(outH, outT.length);
            }
          }
          outT[out] = t;
          outV[out] = vs[i - 1];
          if (outH != null) {
            outH[out] = h;
          }
          out++;
        }
      }
      if (out > 0) {
        results.add(new Result(series.labels(), outT, outV, outH, out));
      }
    }
    return results;
  }
}
