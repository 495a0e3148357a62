package io.sightline.logstore.db;

import io.sightline.core.model.Labels;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.SelectStats;
import io.sightline.logstore.block.Block;
import java.io.IOException;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges the sources of a select with a heap, by time (in the query's direction), then stream labels, then the order
 * stored. A source not yet opened sorts by its chunk's bound and before opened ones at the same time, so it is opened
 * (decompressed) exactly when one of its entries could be next: only the chunks that overlap the current time are in
 * memory at once.
 */
final class MergeIterator implements EntryIterator {
  private final Query query;
  private final PriorityQueue<Source> heap;
  private final List<Block> acquired;
  private Source current;
  private boolean closed;

  MergeIterator(Query query, List<Source> sources, List<Block> acquired) {
    this.query = query;
    this.acquired = acquired;
    heap = new PriorityQueue<>(Math.max(1, sources.size()), this::compare);
    heap.addAll(sources);
  }

  private int compare(Source a, Source b) {
    boolean forward = query.forward;
    if (a.ts != b.ts) {
      return forward ? Long.compare(a.ts, b.ts) : Long.compare(b.ts, a.ts);
    }
    if (a.opened != b.opened) {
      return a.opened ? 1 : -1;
    }
    if (a.labels != b.labels) {
      int c = a.labels.compareTo(b.labels);
      if (c != 0) {
        return c;
      }
    }
    return forward ? Long.compare(a.seq, b.seq) : Long.compare(b.seq, a.seq);
  }

  @Override
  public boolean next() throws IOException {
    if (closed) {
      return false;
    }
    if (current != null) {
      if (current.advance()) {
        Source top = heap.peek();
        if (top == null || compare(current, top) <= 0) {
          return true; // still first: a run of one chunk costs no heap operation per entry
        }
        heap.add(current);
      }
      current = null;
    }
    while (true) {
      Source s = heap.poll();
      if (s == null) {
        return false;
      }
      if (!s.opened) {
        if (s.open()) {
          heap.add(s);
        }
        continue;
      }
      current = s;
      return true;
    }
  }

  @Override
  public Labels streamLabels() {
    return current.labels;
  }

  @Override
  public long timestampNanos() {
    return current.ts;
  }

  @Override
  public byte[] lineBuffer() {
    return current.lineBuffer();
  }

  @Override
  public int lineOffset() {
    return current.lineOffset();
  }

  @Override
  public int lineLength() {
    return current.lineLength();
  }

  @Override
  public Labels structuredMetadata() {
    return current.metadata();
  }

  @Override
  public SelectStats stats() {
    return query.stats();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heap.clear();
    current = null;
    for (Block b : acquired) {
      b.release();
    }
  }
}
