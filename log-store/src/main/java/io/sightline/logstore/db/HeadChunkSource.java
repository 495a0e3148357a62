package io.sightline.logstore.db;

import io.sightline.core.model.Labels;
import io.sightline.logstore.stream.HeadChunk;

/** A chunk of the head as it was when the query began (a view: later appends are not seen). */
final class HeadChunkSource extends Source {
  private final HeadChunk.View view;
  private final Query query;
  private int[] order;
  private int at;
  private int stop;

  HeadChunkSource(Labels labels, long seq, HeadChunk.View view, Query query) {
    super(labels, seq, query.forward ? view.minTs() : view.maxTs());
    this.view = view;
    this.query = query;
  }

  @Override
  boolean open() {
    opened = true;
    order = view.order();
    int lo = lowerBound(query.start);
    int hi = lowerBound(query.end);
    if (lo >= hi) {
      return false;
    }
    if (query.forward) {
      at = lo;
      stop = hi;
    } else {
      at = hi - 1;
      stop = lo - 1;
    }
    ts = view.ts()[order[at]];
    query.headEntries++;
    return true;
  }

  private int lowerBound(long t) {
    int lo = 0;
    int hi = order.length;
    long[] ts = view.ts();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[order[mid]] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  boolean advance() {
    at += query.forward ? 1 : -1;
    if (at == stop) {
      return false;
    }
    ts = view.ts()[order[at]];
    query.headEntries++;
    return true;
  }

  @Override
  byte[] lineBuffer() {
    return view.lines();
  }

  @Override
  int lineOffset() {
    return view.lineStart(order[at]);
  }

  @Override
  int lineLength() {
    int i = order[at];
    return view.lineEnd()[i] - view.lineStart(i);
  }

  @Override
  Labels metadata() {
    Labels m = view.meta()[order[at]];
    return m == null ? Labels.EMPTY : m;
  }
}
