package io.sightline.metricstore.head;

import io.sightline.core.model.Labels;
import io.sightline.metricstore.Exemplar;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's exemplars: one fixed-size ring shared by all series, as Prometheus' circular exemplar storage, so that
 * memory is bounded whatever the senders do; the oldest exemplar is overwritten first.
 *
 * <pre>
 *   slot:   0        1        2        3   ...   capacity−1
 *   ref:   17       17        4       17
 *   t:    1000     1015     1010     1030          ◀ next write goes here, replacing the oldest
 * </pre>
 *
 * A query scans the ring once for the series it wants; with the default 100,000 slots that is well under a
 * millisecond, so no per-series index is kept.
 */
final class ExemplarRing {
  /** Prometheus' default {@code storage.exemplars.max_exemplars}. */
  static final int DEFAULT_CAPACITY = 100_000;

  private final int[] refs;
  private final long[] timestamps;
  private final double[] values;
  private final Labels[] labels;
  private int next;
  private int size;

  ExemplarRing(int capacity) {
    refs = new int[capacity];
    timestamps = new long[capacity];
    values = new double[capacity];
    labels = new Labels[capacity];
  }

  synchronized void add(int ref, Labels exemplarLabels, long t, double v) {
    if (refs.length == 0) {
      return;
    }
    refs[next] = ref;
    timestamps[next] = t;
    values[next] = v;
    labels[next] = exemplarLabels;
    next = (next + 1) % refs.length;
    size = Math.min(size + 1, refs.length);
  }

  /** Exemplars of the series in {@code wanted}, in {@code [minT, maxT]}, per ref in ring order (oldest first). */
  synchronized java.util.Map<Integer, List<Exemplar>> find(RoaringBitmap wanted, long minT, long maxT) {
    java.util.Map<Integer, List<Exemplar>> out = new java.util.HashMap<>();
    int start = size < refs.length ? 0 : next;
    for (int i = 0; i < size; i++) {
      int slot = (start + i) % refs.length;
      if (timestamps[slot] >= minT && timestamps[slot] <= maxT && wanted.contains(refs[slot])) {
        out.computeIfAbsent(refs[slot], k -> new ArrayList<>())
            .add(new Exemplar(labels[slot], timestamps[slot], values[slot]));
      }
    }
    return out;
  }

  synchronized int size() {
    return size;
  }

  int capacity() {
    return refs.length;
  }
}
