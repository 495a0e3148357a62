package io.sightline.metricstore.block;

import io.sightline.core.fs.Directories;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.metricstore.chunk.SequenceIterator;
import io.sightline.metricstore.postings.PostingsIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An immutable block opened for reading: its meta, its index and its chunk files. Opening checks the meta and the
 * index's table of contents, symbols, series table and postings table; series entries, postings lists and chunks are
 * checked as they are read. Thread-safe.
 */
public final class Block {
  private final Path dir;
  private final BlockMeta meta;
  private final IndexReader index;
  private final ChunkReader chunks;
  private final long sizeBytes;
  private volatile Tombstones tombstones;

  private Block(Path dir, BlockMeta meta, IndexReader index, ChunkReader chunks, long sizeBytes,
      Tombstones tombstones) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.sizeBytes = sizeBytes;
    this.tombstones = tombstones;
  }

  /** @throws CorruptBlockException when a file is missing, does not parse or fails a checksum */
  public static Block open(Path dir) throws IOException {
    try {
      BlockMeta meta = BlockMeta.read(dir);
      if (!meta.ulid().equals(dir.getFileName().toString()) || meta.maxTime() <= meta.minTime()) {
        throw new CorruptBlockException(BlockMeta.FILE + " names another block or an empty time range");
      }
      IndexReader index = new IndexReader(dir.resolve("index"));
      if (index.numSeries() != meta.numSeries()) {
        throw new CorruptBlockException("index holds " + index.numSeries() + " series, " + BlockMeta.FILE + " says "
            + meta.numSeries());
      }
      return new Block(dir, meta, index, new ChunkReader(dir.resolve("chunks")), Directories.size(dir), Tombstones.read(dir));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CorruptBlockException("missing file " + e.getFile());
    }
  }

  public BlockMeta meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  /** Bytes on disk, all files included. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * The series matching every matcher with chunks in {@code [minT, maxT]}, in label order. Chunks wholly inside a
   * deleted range are left out, and so is a series left with none, as Prometheus does.
   */
  public List<Series> select(List<LabelMatcher> matchers, long minT, long maxT) {
    List<Series> out = new ArrayList<>();
    if (!meta.overlaps(minT, maxT)) {
      return out;
    }
    Tombstones deleted = tombstones;
    PostingsIndex.select(index, matchers).forEach((int id) -> {
      IndexReader.SeriesEntry e = index.series(id);
      List<long[]> ranges = deleted.of(id);
      List<ChunkMeta> inRange = new ArrayList<>(e.chunks().size());
      for (ChunkMeta c : e.chunks()) {
        if (c.maxT() >= minT && c.minT() <= maxT && !covered(ranges, c)) {
          inRange.add(c);
        }
      }
      if (!inRange.isEmpty()) {
        out.add(new BlockSeries(e.labels(), inRange, chunks, ranges));
      }
    });
    return out;
  }

  private static boolean covered(List<long[]> ranges, ChunkMeta c) {
    for (long[] r : ranges) {
      if (r[0] <= c.minT() && c.maxT() <= r[1]) {
        return true;
      }
    }
    return false;
  }

  /** Marks {@code [minT, maxT]} of the matching series deleted, durably; returns how many series matched. */
  public synchronized int delete(List<LabelMatcher> matchers, long minT, long maxT) throws IOException {
    if (!meta.overlaps(minT, maxT)) {
      return 0;
    }
    int[] ids = PostingsIndex.select(index, matchers).toArray();
    if (ids.length > 0) {
      Tombstones next = tombstones.with(ids, minT, maxT);
      next.write(dir);
      tombstones = next;
    }
    return ids.length;
  }

  /** Whether some of its data is marked deleted. */
  public boolean hasTombstones() {
    return !tombstones.isEmpty();
  }

  /** Label names of the series matching {@code matchers} (every series when empty), sorted. */
  public List<String> labelNames(List<LabelMatcher> matchers) {
    TreeSet<String> names = new TreeSet<>();
    if (matchers.isEmpty()) {
      index.labelNames().forEach(names::add);
    } else {
      PostingsIndex.select(index, matchers).forEach((int id) -> index.series(id).labels()
          .forEach((name, value) -> names.add(name)));
    }
    return List.copyOf(names);
  }

  /** Values of label {@code name} among the series matching {@code matchers} (every series when empty), sorted. */
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    TreeSet<String> values = new TreeSet<>();
    if (matchers.isEmpty()) {
      index.values(name).forEach(values::add);
    } else {
      PostingsIndex.select(index, matchers).forEach((int id) -> {
        String v = index.series(id).labels().get(name);
        if (!v.isEmpty()) {
          values.add(v);
        }
      });
    }
    return List.copyOf(values);
  }

  /** Every series with its chunks' bytes, in label order, deleted samples left out: what a compaction reads. */
  public java.util.Iterator<BlockWriter.SeriesChunks> allSeries() {
    return new java.util.Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < index.numSeries();
      }

      private final Tombstones deleted = tombstones;

      @Override
      public BlockWriter.SeriesChunks next() {
        int id = next++;
        IndexReader.SeriesEntry e = index.series(id);
        List<BlockWriter.EncodedChunk> list = new ArrayList<>(e.chunks().size());
        for (ChunkMeta c : e.chunks()) {
          list.add(chunks.read(c.ref(), c.minT(), c.maxT()));
        }
        List<long[]> ranges = deleted.of(id);
        // Deleted samples are dropped for good when the series is written anew.
        return new BlockWriter.SeriesChunks(e.labels(), ranges.isEmpty() ? list : ChunkRecoder.recode(list, ranges));
      }
    };
  }

  /** Every label string of the block. */
  public void forEachSymbol(java.util.function.Consumer<String> action) {
    index.labelNames().forEach(name -> {
      action.accept(name);
      index.values(name).forEach(action);
    });
  }

  @Override
  public String toString() {
    return meta.ulid() + " [" + meta.minTime() + ", " + meta.maxTime() + ")";
  }

  /** A series of a block; its chunks are read when iterated. */
  private record BlockSeries(Labels labels, List<ChunkMeta> chunkMetas, ChunkReader reader, List<long[]> deleted)
      implements Series {
    @Override
    public SampleIterator iterator(long minT, long maxT) {
      return new SequenceIterator() {
        private int next;

        @Override
        protected SampleIterator nextPart() {
          while (next < chunkMetas.size() && chunkMetas.get(next).maxT() < minT) {
            next++;
          }
          if (next >= chunkMetas.size() || chunkMetas.get(next).minT() > maxT) {
            return null;
          }
          ChunkMeta meta = chunkMetas.get(next++);
          return reader.read(meta.ref(), meta.minT(), meta.maxT()).iterator();
        }

        @Override
        protected Verdict judge(long t) {
          if (t > maxT) {
            return Verdict.STOP;
          }
          return t >= minT && (deleted.isEmpty() || !Tombstones.deleted(deleted, t)) ? Verdict.KEEP : Verdict.SKIP;
        }
      };
    }
  }
}
