package io.sightline.logstore.db;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.StreamStats;
import io.sightline.logstore.block.Block;
import io.sightline.logstore.block.ChunkRef;
import io.sightline.logstore.index.LabelIndex;
import io.sightline.logstore.stream.Head;
import io.sightline.logstore.stream.HeadChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.roaringbitmap.RoaringBitmap;

/** Reads a {@link LogDb}: each call takes its own view of the head and the blocks. */
final class LogDbQuerier implements LogQuerier {
  /** Head chunks sort after every block chunk in "order stored". */
  private static final long HEAD_SEQ = 1L << 62;

  private final LogDb db;

  LogDbQuerier(LogDb db) {
    this.db = db;
  }

  /** The head's view and the acquired blocks, taken together so that no flush falls between them. */
  private record View(List<Head.StreamSnapshot> head, List<Block> blocks) {}

  private View view(List<LabelMatcher> matchers) {
    db.state.readLock().lock();
    try {
      return new View(db.head().snapshot(l -> LabelIndex.matches(l, matchers)), db.acquireBlocks());
    } finally {
      db.state.readLock().unlock();
    }
  }

  @Override
  public EntryIterator select(SelectRequest request) throws IOException {
    Query q = new Query(request);
    View v = view(request.matchers());
    List<Source> sources = new ArrayList<>();
    if (request.startNanos() < request.endNanos()) {
      for (int bi = 0; bi < v.blocks().size(); bi++) {
        Block b = v.blocks().get(bi);
        if (!b.overlaps(q.start, q.end)) {
          continue;
        }
        RoaringBitmap streams = b.select(request.matchers());
        for (int s : streams) {
          Labels labels = b.labels(s);
          for (ChunkRef ref : b.chunks(s)) {
            if (ref.overlaps(q.start, q.end)) {
              q.chunksTotal++;
              sources.add(new BlockChunkSource(labels, ((long) bi << 32) | ref.seq(), b, ref, q));
            }
          }
        }
      }
      for (Head.StreamSnapshot s : v.head()) {
        for (HeadChunk.View c : s.chunks()) {
          if (c.count() > 0 && c.minTs() < q.end && c.maxTs() >= q.start) {
            sources.add(new HeadChunkSource(s.labels(), HEAD_SEQ + c.seq(), c, q));
          }
        }
      }
    }
    return new MergeIterator(q, sources, v.blocks());
  }

  /** Per stream with entries in the range: chunks, entries and bytes of the chunks that overlap it. */
  private TreeMap<Labels, long[]> overlapping(List<LabelMatcher> matchers, long start, long end) {
    TreeMap<Labels, long[]> out = new TreeMap<>();
    View v = view(matchers);
    try {
      for (Block b : v.blocks()) {
        if (!b.overlaps(start, end)) {
          continue;
        }
        for (int s : b.select(matchers)) {
          for (ChunkRef ref : b.chunks(s)) {
            if (ref.overlaps(start, end)) {
              long[] c = out.computeIfAbsent(b.labels(s), k -> new long[3]);
              c[0]++;
              c[1] += ref.entries();
              c[2] += ref.rawBytes();
            }
          }
        }
      }
      for (Head.StreamSnapshot s : v.head()) {
        for (HeadChunk.View c : s.chunks()) {
          if (c.count() > 0 && c.minTs() < end && c.maxTs() >= start) {
            long[] n = out.computeIfAbsent(s.labels(), k -> new long[3]);
            n[0]++;
            n[1] += c.count();
            n[2] += c.rawBytes();
          }
        }
      }
    } finally {
      v.blocks().forEach(Block::release);
    }
    return out;
  }

  @Override
  public List<Labels> series(List<LabelMatcher> matchers, long startNanos, long endNanos) {
    return List.copyOf(overlapping(matchers, startNanos, endNanos).keySet());
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers, long startNanos, long endNanos) {
    TreeSet<String> names = new TreeSet<>();
    for (Labels l : overlapping(matchers, startNanos, endNanos).keySet()) {
      for (int i = 0; i < l.size(); i++) {
        names.add(l.name(i));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers, long startNanos, long endNanos) {
    TreeSet<String> values = new TreeSet<>();
    for (Labels l : overlapping(matchers, startNanos, endNanos).keySet()) {
      String v = l.get(name);
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  @Override
  public List<StreamStats> streamStats(List<LabelMatcher> matchers, long startNanos, long endNanos) {
    List<StreamStats> out = new ArrayList<>();
    overlapping(matchers, startNanos, endNanos).forEach((l, c) -> out.add(new StreamStats(l, c[0], c[1], c[2])));
    return out;
  }
}
