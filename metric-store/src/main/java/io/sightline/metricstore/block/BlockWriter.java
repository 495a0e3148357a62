package io.sightline.metricstore.block;

import io.sightline.core.fs.Directories;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;

/**
 * Writes one block: chunks and index into {@code <ulid>.tmp}, forced to disk, {@code meta.json} last, then the
 * directory is renamed to {@code <ulid>}. A crash before the rename leaves only a {@code .tmp} directory, which the
 * store deletes when it opens; a block directory that exists is complete.
 */
public final class BlockWriter {
  static final String TMP_SUFFIX = ".tmp";

  private BlockWriter() {}

  /**
   * An encoded chunk of a series and the time range of its samples.
   *
   * @param encoding how {@code bytes} are encoded: {@link ChunkWriter#ENCODING_XOR},
   *     {@link ChunkWriter#ENCODING_INTEGER} or {@link ChunkWriter#ENCODING_HISTOGRAM}
   */
  public record EncodedChunk(long minT, long maxT, byte encoding, byte[] bytes) {
    /** An XOR chunk, as the head makes them. */
    public EncodedChunk(long minT, long maxT, byte[] bytes) {
      this(minT, maxT, ChunkWriter.ENCODING_XOR, bytes);
    }

    /** Every encoding starts with the sample count as a big-endian uint16. */
    int numSamples() {
      return ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
    }

    /** Its samples, oldest first. */
    public io.sightline.metricstore.SampleIterator iterator() {
      return switch (encoding) {
        case ChunkWriter.ENCODING_INTEGER -> io.sightline.metricstore.chunk.IntegerChunk.iterator(bytes);
        case ChunkWriter.ENCODING_HISTOGRAM -> io.sightline.metricstore.chunk.HistogramChunk.iterator(bytes);
        default -> io.sightline.metricstore.chunk.XorChunk.iterator(bytes);
      };
    }
  }

  /** A series to write and its chunks, in time order. */
  public record SeriesChunks(Labels labels, List<EncodedChunk> chunks) {}

  /**
   * Writes a block of the series {@code series} gives, which must come in label order and use only strings of
   * {@code symbols}; series without chunks are left out.
   *
   * @return the new block's meta, for a block now at {@code blocksDir/<ulid>}
   */
  public static BlockMeta write(Path blocksDir, String ulid, long minTime, long maxTime, int level,
      List<String> sources, SortedSet<String> symbols, Iterator<SeriesChunks> series) throws IOException {
    Path tmp = blocksDir.resolve(ulid + TMP_SUFFIX);
    Files.createDirectories(tmp);
    long numChunks = 0;
    long numSamples = 0;
    int numSeries;
    try (ChunkWriter chunks = new ChunkWriter(tmp.resolve("chunks"));
        IndexWriter index = new IndexWriter(tmp.resolve("index"), symbols)) {
      Labels previous = null;
      while (series.hasNext()) {
        SeriesChunks s = series.next();
        if (s.chunks().isEmpty()) {
          continue;
        }
        if (previous != null && previous.compareTo(s.labels()) >= 0) {
          throw new IllegalArgumentException("series out of order: " + s.labels() + " after " + previous);
        }
        previous = s.labels();
        List<ChunkMeta> metas = new ArrayList<>(s.chunks().size());
        for (EncodedChunk c : s.chunks()) {
          metas.add(new ChunkMeta(c.minT(), c.maxT(), chunks.write(c.encoding(), c.bytes())));
          numSamples += c.numSamples();
        }
        numChunks += metas.size();
        index.addSeries(s.labels(), metas);
      }
      numSeries = index.numSeries();
    }
    BlockMeta meta = new BlockMeta(ulid, minTime, maxTime, numSeries, numChunks, numSamples, level, sources);
    meta.write(tmp);
    try (FileChannel metaFile = FileChannel.open(tmp.resolve(BlockMeta.FILE), StandardOpenOption.READ)) {
      metaFile.force(true);
    }
    Directories.force(tmp);
    Directories.force(tmp.resolve("chunks"));
    Files.move(tmp, blocksDir.resolve(ulid), StandardCopyOption.ATOMIC_MOVE);
    Directories.force(blocksDir);
    return meta;
  }
}
