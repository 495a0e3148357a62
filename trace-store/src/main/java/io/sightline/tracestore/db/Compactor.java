package io.sightline.tracestore.db;

import io.sightline.tracestore.block.Block;
import io.sightline.tracestore.block.BlockMeta;
import io.sightline.tracestore.block.BlockWriter;
import io.sightline.tracestore.block.RowGroup;
import io.sightline.tracestore.block.Ulid;
import io.sightline.tracestore.model.SpanRef;
import io.sightline.tracestore.model.TraceAssembler;
import io.sightline.tracestore.model.TraceKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Plans and runs merges of small blocks (Tempo's compactor, on one node):
 *
 * <pre>
 *   blocks by first span start:  [A 20M][B 30M][C 25M][D 40M] │ [E 60M] ...     window = compactionWindow
 *   one window, consecutive, total ≤ compactedBlockBytes, at least minBlocksToCompact of them ──▶ merge(A, B, C, D)
 *
 *   merge: one cursor per source block, each walking its row groups in trace-id order; a priority queue takes the
 *   smallest id, joins the parts of that id from every source (de-duplicated, canonical order), writes it.
 * </pre>
 */
final class Compactor {
  private Compactor() {}

  /** The first run of blocks worth merging, or an empty list. {@code blocks} are sorted by first span start. */
  static List<Block> plan(List<Block> blocks, long windowNanos, long maxBytes, int minBlocks) {
    int i = 0;
    while (i < blocks.size()) {
      long window = Math.floorDiv(blocks.get(i).meta().minStart(), windowNanos);
      List<Block> run = new ArrayList<>();
      long bytes = 0;
      int j = i;
      while (j < blocks.size() && Math.floorDiv(blocks.get(j).meta().minStart(), windowNanos) == window) {
        Block b = blocks.get(j);
        if (bytes + b.sizeBytes() <= maxBytes) {
          run.add(b);
          bytes += b.sizeBytes();
        } else if (run.size() >= minBlocks) {
          break;
        } else {
          // Start again after the oversized block or the one that tipped the total: only neighbours are merged.
          run.clear();
          bytes = 0;
          if (b.sizeBytes() <= maxBytes) {
            run.add(b);
            bytes = b.sizeBytes();
          }
        }
        j++;
      }
      if (run.size() >= minBlocks) {
        return run;
      }
      i = j;
    }
    return List.of();
  }

  /** Writes the merge of {@code sources} as a new block in {@code blocksDir}; null if they held no spans. */
  static BlockMeta merge(Path blocksDir, List<Block> sources) throws IOException {
    int walSegment = 0;
    int level = 0;
    for (Block b : sources) {
      walSegment = Math.max(walSegment, b.meta().walSegment());
      level = Math.max(level, b.meta().level());
    }
    BlockWriter writer = BlockWriter.create(blocksDir, Ulid.next(), walSegment, level + 1);
    try {
      PriorityQueue<Cursor> queue = new PriorityQueue<>(Comparator.comparing(Cursor::key));
      for (Block b : sources) {
        Cursor c = new Cursor(b);
        if (c.advance()) {
          queue.add(c);
        }
      }
      while (!queue.isEmpty()) {
        Cursor first = queue.poll();
        TraceKey key = first.key();
        TraceAssembler trace = new TraceAssembler();
        trace.addAll(first.spans());
        List<Cursor> same = new ArrayList<>();
        same.add(first);
        while (!queue.isEmpty() && queue.peek().key().equals(key)) {
          Cursor c = queue.poll();
          trace.addAll(c.spans());
          same.add(c);
        }
        writer.add(key, trace.spans());
        for (Cursor c : same) {
          if (c.advance()) {
            queue.add(c);
          }
        }
      }
      return writer.finish();
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  /** Walks one block's traces in id order, one decoded row group at a time. */
  private static final class Cursor {
    private final Block block;
    private int group;
    private final ArrayDeque<Part> pending = new ArrayDeque<>();
    private TraceKey key;
    private List<SpanRef> spans;

    Cursor(Block block) {
      this.block = block;
    }

    TraceKey key() {
      return key;
    }

    List<SpanRef> spans() {
      return spans;
    }

    boolean advance() throws IOException {
      while (pending.isEmpty() && group < block.groupCount()) {
        RowGroup rg = block.group(group++);
        rg.decode(0, rg.traces(), (k, s) -> pending.add(new Part(k, s)));
      }
      Part next = pending.poll();
      if (next == null) {
        return false;
      }
      key = next.key();
      spans = next.spans();
      return true;
    }

    private record Part(TraceKey key, List<SpanRef> spans) {}
  }
}
