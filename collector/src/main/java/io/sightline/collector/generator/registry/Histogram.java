package io.sightline.collector.generator.registry;

import com.google.protobuf.ByteString;
import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Labels;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A classic histogram family, as Tempo's registry writes it: {@code <name>_count}, {@code <name>_sum} and
 * {@code <name>_bucket{le=...}} with a {@code +Inf} bucket. Each bucket keeps the trace id of the last observation
 * that fell in it, written once as an exemplar on that bucket's series (label {@code traceID} by default), the
 * observed value as its value and the collection time as its time.
 */
public final class Histogram extends Family<Histogram.Series> {
  private static final HexFormat HEX = HexFormat.of();

  /** Upper bounds, ending with +Inf. */
  private final double[] bounds;
  private final String[] le;

  Histogram(Registry registry, String name, String help, double[] buckets) {
    super(registry, name, help, "histogram", buckets.length + 3);
    this.bounds = Arrays.copyOf(buckets, buckets.length + 1);
    bounds[buckets.length] = Double.POSITIVE_INFINITY;
    this.le = new String[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      le[i] = GoFormat.plain(bounds[i]);
    }
  }

  /**
   * Counts {@code value} {@code multiplier} times in the series of {@code key}, with {@code traceId} (raw bytes,
   * possibly empty) as the exemplar of its bucket, unless the series limit refuses the series.
   */
  public synchronized void observe(SeriesKey key, double value, ByteString traceId, double multiplier, long nowMs) {
    Series s = series(key, nowMs);
    if (s == null) {
      return;
    }
    s.count += multiplier;
    s.sum += value * multiplier;
    int b = bucket(value);
    s.counts[b] += multiplier;
    s.exemplarValue[b] = value;
    if (traceId.size() == 16) {
      s.exemplarHigh[b] = high(traceId, 0);
      s.exemplarLow[b] = high(traceId, 8);
      s.exemplarOther[b] = null;
      s.exemplarSet[b] = true;
    } else if (!traceId.isEmpty()) {
      s.exemplarOther[b] = HEX.formatHex(traceId.toByteArray());
      s.exemplarSet[b] = true;
    }
  }

  /** The first bucket whose bound is at least {@code value} (Prometheus' {@code le}). */
  private int bucket(double value) {
    int i = Arrays.binarySearch(bounds, value);
    return i >= 0 ? i : Math.min(-i - 1, bounds.length - 1);
  }

  private static long high(ByteString id, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = v << 8 | (id.byteAt(i) & 0xff);
    }
    return v;
  }

  static final class Series extends Family.Series {
    final Labels countLabels;
    final Labels sumLabels;
    final Labels[] bucketLabels;
    double count;
    double sum;
    /** Observations per bucket, not cumulative: the collection adds them up. */
    final double[] counts;
    final boolean[] exemplarSet;
    final long[] exemplarHigh;
    final long[] exemplarLow;
    /** The hex of a trace id that is not 16 bytes long. */
    final String[] exemplarOther;
    final double[] exemplarValue;

    Series(Labels countLabels, Labels sumLabels, Labels[] bucketLabels) {
      this.countLabels = countLabels;
      this.sumLabels = sumLabels;
      this.bucketLabels = bucketLabels;
      int n = bucketLabels.length;
      this.counts = new double[n];
      this.exemplarSet = new boolean[n];
      this.exemplarHigh = new long[n];
      this.exemplarLow = new long[n];
      this.exemplarOther = new String[n];
      this.exemplarValue = new double[n];
    }
  }

  @Override
  Series create(Labels base) {
    Labels[] buckets = new Labels[bounds.length];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = base.toBuilder().set(Labels.METRIC_NAME, name + "_bucket").set("le", le[i]).build();
    }
    return new Series(named(base, name + "_count"), named(base, name + "_sum"), buckets);
  }

  @Override
  void write(Series s, long nowMs, Snapshot out) {
    // As Tempo: _count and the buckets start at 0 before the current minute; _sum does not.
    if (s.fresh) {
      out.sample(s.countLabels, endOfLastMinute(nowMs), 0);
    }
    out.sample(s.sumLabels, nowMs, s.sum);
    out.sample(s.countLabels, nowMs, s.count);
    double cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += s.counts[i];
      if (s.fresh) {
        out.sample(s.bucketLabels[i], endOfLastMinute(nowMs), 0);
      }
      out.sample(s.bucketLabels[i], nowMs, cumulative);
      if (s.exemplarSet[i]) {
        String traceId = s.exemplarOther[i] != null ? s.exemplarOther[i]
            : HEX.toHexDigits(s.exemplarHigh[i]) + HEX.toHexDigits(s.exemplarLow[i]);
        out.exemplar(s.bucketLabels[i], Labels.of(registry.traceIdLabel(), traceId), s.exemplarValue[i]);
        s.exemplarSet[i] = false; // written once, as Tempo clears it
      }
    }
  }

  @Override
  void markStale(Series s, long nowMs, Snapshot out) {
    out.sample(s.sumLabels, nowMs, STALE);
    out.sample(s.countLabels, nowMs, STALE);
    for (Labels b : s.bucketLabels) {
      out.sample(b, nowMs, STALE);
    }
    out.staleMarkers += seriesPerEntry;
  }
}
