package io.sightline.logstore.block;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.logstore.filter.ChunkFilter;
import io.sightline.logstore.index.LabelIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.roaringbitmap.RoaringBitmap;

/**
 * An open block: its index in memory (streams, postings, chunk references), its file open for chunk and filter reads.
 *
 * <pre>
 *   in memory                                     on disk
 *   postings  app="api" ─▶ {0, 3}                 ┌────────┬─────────────────────────┬─────┬───────┬────────┐
 *   streams   0 ─▶ [ref(min,max,n,off) ...]  ───▶ │ header │ chunk·filter chunk·filter│ ... │ index │ footer │
 *             3 ─▶ [ref ...]                      └────────┴─────────────────────────┴─────┴───────┴────────┘
 * </pre>
 *
 * Readers {@link #acquire} the block for the length of a read, so that retention that deletes it closes the file only
 * after the last reader is done.
 */
public final class Block {
  private final Path file;
  private final String id;
  private final FileChannel data;
  private final int walSegment;
  private final String origin;
  private final long minTs;
  private final long maxTs;
  private final LabelIndex index;
  private final ChunkRef[][] chunks;
  private final int chunkCount;
  private final long sizeBytes;
  private final AtomicInteger refs = new AtomicInteger(1);
  /**
   * The file mapped into memory, where filters are probed in place: a needle query reads every overlapping chunk's
   * filter (some 2% of the raw log), which the page cache keeps, instead of reading and checking each into a fresh
   * array. Null for a file too large for one mapping, whose filters are then read. The mapping goes with the object,
   * so a deleted block's disk space returns once it is collected.
   */
  private final ByteBuffer mapped;
  /** Per chunk (by {@link ChunkRef#seq()}): 0 filter not yet checked, 1 its CRC holds, 2 it does not. */
  private final byte[] filterState;

  private Block(Path file, String id, FileChannel data, int walSegment, String origin, long minTs, long maxTs,
      LabelIndex index, ChunkRef[][] chunks, long sizeBytes) {
    this.file = file;
    this.id = id;
    this.data = data;
    this.walSegment = walSegment;
    this.origin = origin;
    this.minTs = minTs;
    this.maxTs = maxTs;
    this.index = index;
    this.chunks = chunks;
    int n = 0;
    for (ChunkRef[] c : chunks) {
      n += c.length;
    }
    this.chunkCount = n;
    this.sizeBytes = sizeBytes;
    this.mapped = map(data, sizeBytes);
    this.filterState = new byte[n];
  }

  private static ByteBuffer map(FileChannel data, long size) {
    if (size > Integer.MAX_VALUE) {
      return null;
    }
    try {
      return data.map(FileChannel.MapMode.READ_ONLY, 0, size);
    } catch (IOException | UnsupportedOperationException e) {
      return null; // a file system that cannot map: filters are read instead
    }
  }

  /** Opens a block file and checks its header, footer and index (chunks and filters are checked as they are read). */
  public static Block open(Path file) throws CorruptBlockException {
    String name = file.getFileName().toString();
    String id = name.endsWith(FileNames.BLOCK_SUFFIX) ? name.substring(0, name.length() - 6) : name;
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      long size = ch.size();
      if (size < BlockFormat.HEADER + BlockFormat.FOOTER) {
        throw new CorruptBlockException(file, "only " + size + " bytes");
      }
      byte[] header = read(ch, 0, BlockFormat.HEADER);
      DecodeBuffer h = new DecodeBuffer(header);
      if (h.getIntBE() != BlockFormat.MAGIC || h.getByte() != BlockFormat.VERSION) {
        throw new CorruptBlockException(file, "not a log block of version " + BlockFormat.VERSION);
      }
      byte[] footer = read(ch, size - BlockFormat.FOOTER, BlockFormat.FOOTER);
      DecodeBuffer f = new DecodeBuffer(footer);
      long indexOffset = f.getLongBE();
      int indexLength = f.getIntBE();
      if (f.getIntBE() != BlockFormat.crc(footer, 0, 12) || f.getIntBE() != BlockFormat.MAGIC) {
        throw new CorruptBlockException(file, "footer checksum or magic mismatch");
      }
      if (indexOffset < BlockFormat.HEADER || indexLength < 4
          || indexOffset + indexLength != size - BlockFormat.FOOTER) {
        throw new CorruptBlockException(file, "index at " + indexOffset + " of " + indexLength + " bytes");
      }
      byte[] idx = read(ch, indexOffset, indexLength);
      if (!BlockFormat.crcHolds(idx, 0, idx.length)) {
        throw new CorruptBlockException(file, "index checksum mismatch");
      }
      Block b;
      try {
        b = parseIndex(file, id, ch, idx, indexOffset, size);
      } catch (IllegalArgumentException e) {
        throw new CorruptBlockException(file, "index does not parse: " + e.getMessage(), e);
      }
      return b;
    } catch (IOException e) {
      closeQuietly(ch);
      throw e instanceof CorruptBlockException c ? c : new CorruptBlockException(file, "cannot be read", e);
    }
  }

  private static Block parseIndex(Path file, String id, FileChannel ch, byte[] idx, long indexOffset, long size) {
    DecodeBuffer in = new DecodeBuffer(idx, 0, idx.length - 4);
    int walSegment = (int) in.getUvarint();
    String origin = in.getString();
    long minTs = in.getVarint();
    long maxTs = in.getVarint();
    int symbolCount = count(in);
    String[] symbols = new String[symbolCount];
    for (int i = 0; i < symbolCount; i++) {
      symbols[i] = in.getString();
    }
    int streamCount = count(in);
    List<Labels> streams = new ArrayList<>(streamCount);
    ChunkRef[][] chunks = new ChunkRef[streamCount][];
    long seq = 0;
    for (int s = 0; s < streamCount; s++) {
      int pairs = count(in);
      String[] nv = new String[2 * pairs];
      for (int p = 0; p < nv.length; p++) {
        int sym = count(in);
        if (sym >= symbolCount) {
          throw new IllegalArgumentException("label names symbol " + sym + " of " + symbolCount);
        }
        nv[p] = symbols[sym];
      }
      streams.add(Labels.of(nv));
      int n = count(in);
      chunks[s] = new ChunkRef[n];
      for (int c = 0; c < n; c++) {
        long min = in.getVarint();
        long max = min + in.getUvarint();
        int entries = count(in);
        long raw = in.getUvarint();
        long offset = in.getUvarint();
        int length = count(in);
        int filterLength = count(in);
        if (offset < BlockFormat.HEADER || offset + length + filterLength > indexOffset) {
          throw new IllegalArgumentException("chunk at " + offset + " past the index");
        }
        chunks[s][c] = new ChunkRef(min, max, entries, raw, offset, length, filterLength, seq++);
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the index");
    }
    return new Block(file, id, ch, walSegment, origin, minTs, maxTs, new LabelIndex(streams), chunks, size);
  }

  private static int count(DecodeBuffer in) {
    long n = in.getUvarint();
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("count " + n);
    }
    return (int) n;
  }

  private static byte[] read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    long pos = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("read past the end at " + pos);
      }
      pos += n;
    }
    return b.array();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // the open failed already; that error is the one to report
      }
    }
  }

  public Path file() {
    return file;
  }

  public String id() {
    return id;
  }

  /**
   * The id of the block this one's entries were first flushed in (its own, unless it is a merge): blocks are ordered
   * by it, which is the order their entries were stored in.
   */
  public String origin() {
    return origin;
  }

  /** The WAL segment that began after this block's entries were taken from the head. */
  public int walSegment() {
    return walSegment;
  }

  public long minTs() {
    return minTs;
  }

  public long maxTs() {
    return maxTs;
  }

  public boolean overlaps(long start, long end) {
    return chunkCount > 0 && minTs < end && maxTs >= start;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  public int chunkCount() {
    return chunkCount;
  }

  public int streamCount() {
    return index.size();
  }

  public Labels labels(int stream) {
    return index.labels(stream);
  }

  public ChunkRef[] chunks(int stream) {
    return chunks[stream];
  }

  public RoaringBitmap select(List<LabelMatcher> matchers) {
    return index.select(matchers);
  }

  /** Takes a reference for a read; false if the block was retired and closed meanwhile. */
  public boolean acquire() {
    while (true) {
      int n = refs.get();
      if (n == 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void release() {
    if (refs.decrementAndGet() == 0) {
      closeQuietly(data);
    }
  }

  /** Drops the store's own reference: the file closes when the last reader releases it. */
  public void retire() {
    release();
  }

  /** A chunk's stored bytes (its CRC is checked when it is decoded). */
  public byte[] readChunk(ChunkRef ref) throws IOException {
    try {
      return read(data, ref.offset(), ref.length());
    } catch (IOException e) {
      throw new CorruptBlockException(file, "chunk at " + ref.offset() + " cannot be read", e);
    }
  }

  /** A chunk's filter record as stored: the filter and its CRC32C. */
  public byte[] readFilterRecord(ChunkRef ref) throws IOException {
    try {
      return read(data, ref.offset() + ref.length(), ref.filterLength());
    } catch (IOException e) {
      throw new CorruptBlockException(file, "filter at " + (ref.offset() + ref.length()) + " cannot be read", e);
    }
  }

  /** A chunk's token filter, checked (its CRC once per open block). */
  public ChunkFilter readFilter(ChunkRef ref) throws IOException {
    ByteBuffer map = mapped;
    if (map != null) {
      int at = Math.toIntExact(ref.offset() + ref.length());
      int length = ref.filterLength();
      int i = (int) ref.seq();
      byte state = filterState[i];
      if (state == 0) {
        CRC32C crc = new CRC32C();
        crc.update(map.slice(at, Math.max(0, length - 4)));
        state = length >= 4 && (int) crc.getValue() == map.getInt(at + length - 4) ? (byte) 1 : (byte) 2;
        filterState[i] = state; // a race only checks twice
      }
      if (state == 2) {
        throw new CorruptBlockException(file, "filter at " + at + ": checksum mismatch");
      }
      try {
        return ChunkFilter.read(map, at, length - 4);
      } catch (IllegalArgumentException e) {
        throw new CorruptBlockException(file, "filter at " + at + ": " + e.getMessage(), e);
      }
    }
    byte[] b = readFilterRecord(ref);
    if (!BlockFormat.crcHolds(b, 0, b.length)) {
      throw new CorruptBlockException(file, "filter at " + (ref.offset() + ref.length()) + ": checksum mismatch");
    }
    try {
      return ChunkFilter.read(b, 0, b.length - 4);
    } catch (IllegalArgumentException e) {
      throw new CorruptBlockException(file, "filter at " + (ref.offset() + ref.length()) + ": " + e.getMessage(), e);
    }
  }
}
