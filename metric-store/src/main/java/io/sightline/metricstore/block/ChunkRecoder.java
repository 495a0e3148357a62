package io.sightline.metricstore.block;

import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.chunk.HistogramChunk;
import io.sightline.metricstore.chunk.IntegerChunk;
import io.sightline.metricstore.chunk.XorChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Re-encodes a series' chunks for a block, where they are written once and read many times: runs of up to
 * {@link #MAX_SAMPLES} samples (a whole 2 h block range at 15 s scrapes, instead of the head's 120-sample chunks, so
 * that chunk headers and index entries are paid a quarter as often), each as an {@link IntegerChunk} when every value
 * is a whole number and that is shorter, else as an XOR chunk. Histogram chunks are kept as they are (rewritten only
 * to leave deleted samples out); a run of floats ends where one comes, so that chunks never overlap in time.
 */
public final class ChunkRecoder {
  /** 2 h at 15 s; a query decodes at most this many samples to reach the first it needs. */
  static final int MAX_SAMPLES = 480;

  private ChunkRecoder() {}

  /** The series of {@code source}, recoded. */
  public static Iterator<BlockWriter.SeriesChunks> recode(Iterator<BlockWriter.SeriesChunks> source) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public BlockWriter.SeriesChunks next() {
        BlockWriter.SeriesChunks s = source.next();
        return new BlockWriter.SeriesChunks(s.labels(), recode(s.chunks()));
      }
    };
  }

  static List<BlockWriter.EncodedChunk> recode(List<BlockWriter.EncodedChunk> chunks) {
    return recode(chunks, List.of());
  }

  /** Recodes, leaving out the samples inside the inclusive {@code deleted} ranges. */
  static List<BlockWriter.EncodedChunk> recode(List<BlockWriter.EncodedChunk> chunks, List<long[]> deleted) {
    List<BlockWriter.EncodedChunk> out = new ArrayList<>();
    long[] t = new long[MAX_SAMPLES];
    double[] v = new double[MAX_SAMPLES];
    int n = 0;
    for (BlockWriter.EncodedChunk c : chunks) {
      if (c.encoding() == ChunkWriter.ENCODING_HISTOGRAM) {
        if (n > 0) {
          out.add(encode(t, v, n));
          n = 0;
        }
        BlockWriter.EncodedChunk kept = deleted.isEmpty() ? c : withoutDeleted(c, deleted);
        if (kept != null) {
          out.add(kept);
        }
        continue;
      }
      SampleIterator it = c.iterator();
      while (it.next()) {
        if (!deleted.isEmpty() && Tombstones.deleted(deleted, it.timestamp())) {
          continue;
        }
        if (n == MAX_SAMPLES) {
          out.add(encode(t, v, n));
          n = 0;
        }
        t[n] = it.timestamp();
        v[n] = it.value();
        n++;
      }
    }
    if (n > 0) {
      out.add(encode(t, v, n));
    }
    return out;
  }

  /** A histogram chunk without the samples in {@code deleted}; null when none is left. */
  private static BlockWriter.EncodedChunk withoutDeleted(BlockWriter.EncodedChunk c, List<long[]> deleted) {
    HistogramChunk kept = new HistogramChunk();
    long minT = 0;
    long maxT = 0;
    SampleIterator it = c.iterator();
    while (it.next()) {
      if (!Tombstones.deleted(deleted, it.timestamp())) {
        if (kept.numSamples() == 0) {
          minT = it.timestamp();
        }
        kept.append(it.timestamp(), it.histogram());
        maxT = it.timestamp();
      }
    }
    return kept.numSamples() == 0 ? null
        : new BlockWriter.EncodedChunk(minT, maxT, ChunkWriter.ENCODING_HISTOGRAM, kept.bytes());
  }

  private static BlockWriter.EncodedChunk encode(long[] t, double[] v, int n) {
    XorChunk xor = new XorChunk();
    boolean integral = true;
    for (int i = 0; i < n; i++) {
      xor.append(t[i], v[i]);
      integral &= IntegerChunk.qualifies(v[i]);
    }
    byte[] bytes = xor.bytes();
    if (integral) {
      byte[] integer = IntegerChunk.encode(Arrays.copyOf(t, n), Arrays.copyOf(v, n), n);
      if (integer.length < bytes.length) {
        return new BlockWriter.EncodedChunk(t[0], t[n - 1], ChunkWriter.ENCODING_INTEGER, integer);
      }
    }
    return new BlockWriter.EncodedChunk(t[0], t[n - 1], ChunkWriter.ENCODING_XOR, bytes);
  }
}
