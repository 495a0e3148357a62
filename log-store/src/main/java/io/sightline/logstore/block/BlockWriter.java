package io.sightline.logstore.block;

import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.fs.Directories;
import io.sightline.core.model.Labels;
import io.sightline.logstore.chunk.ChunkEncoder;
import io.sightline.logstore.filter.ChunkFilter;
import io.sightline.logstore.filter.LongHashSet;
import io.sightline.logstore.filter.TokenKeys;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one block file: streams in label order, each with its chunks (time order), each chunk followed by its token
 * filter; then the index and the footer. Written as {@code <ulid>.tmp}, forced, then renamed to {@code <ulid>.block},
 * so that a crash leaves no half block under a final name.
 */
public final class BlockWriter {
  private final Path dir;
  private final String id;
  private final Path tmp;
  private final OutputStream out;
  private final int walSegment;
  private final String origin;
  private final ChunkEncoder encoder = new ChunkEncoder();
  private final TokenKeys tokens = new TokenKeys();
  private final LongHashSet keys = new LongHashSet(1 << 14);
  private final EncodeBuffer scratch = new EncodeBuffer(1 << 16);
  private final Map<Labels, List<ChunkRef>> streams = new LinkedHashMap<>();
  private Labels current;
  private Labels previous;
  private long offset;
  private long seq;
  private long minTs = Long.MAX_VALUE;
  private long maxTs = Long.MIN_VALUE;

  private BlockWriter(Path dir, String id, int walSegment, String origin) throws IOException {
    this.dir = dir;
    this.id = id;
    this.walSegment = walSegment;
    this.origin = origin == null ? id : origin;
    this.tmp = dir.resolve(id + FileNames.TMP_SUFFIX);
    this.out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), 1 << 16);
    EncodeBuffer h = new EncodeBuffer(8).putIntBE(BlockFormat.MAGIC).putByte(BlockFormat.VERSION);
    write(h.toByteArray());
  }

  /**
   * Starts a block.
   *
   * @param walSegment the WAL segment that begins after every entry of this block (recovery uses it)
   */
  public static BlockWriter create(Path dir, int walSegment) throws IOException {
    return new BlockWriter(dir, Ulid.next(), walSegment, null);
  }

  /** Starts a block that takes the place of others in the store's order: {@code origin} is the oldest one's. */
  static BlockWriter create(Path dir, int walSegment, String origin) throws IOException {
    return new BlockWriter(dir, Ulid.next(), walSegment, origin);
  }

  public String id() {
    return id;
  }

  /** Starts the next stream; streams come in label order, each once. */
  public void startStream(Labels labels) {
    if (previous != null && previous.compareTo(labels) >= 0) {
      throw new IllegalArgumentException("streams out of order: " + labels + " after " + previous);
    }
    previous = labels;
    current = labels;
    streams.put(labels, new ArrayList<>());
  }

  /**
   * Encodes and writes a chunk of the current stream from entries {@code 0..count-1} sorted by time (lines as
   * {@link ChunkEncoder#encode} takes them).
   */
  public void addChunk(long[] ts, byte[] lines, int[] lineEnd, Labels[] meta, int count, long rawBytes)
      throws IOException {
    if (count == 0) {
      return;
    }
    byte[] chunk = encoder.encode(ts, lines, lineEnd, meta, count);
    keys.clear();
    int start = 0;
    for (int i = 0; i < count; i++) {
      tokens.addLine(lines, start, lineEnd[i] - start, keys);
      start = lineEnd[i];
    }
    scratch.reset();
    ChunkFilter.of(keys).writeTo(scratch);
    byte[] filterBody = scratch.toByteArray();
    scratch.putIntBE(BlockFormat.crc(filterBody, 0, filterBody.length));
    addEncoded(ts[0], ts[count - 1], count, rawBytes, chunk, scratch.toByteArray());
  }

  /** Writes a chunk and its filter record as they are (when merging blocks). */
  public void addEncoded(long chunkMin, long chunkMax, int entries, long rawBytes, byte[] chunk, byte[] filter)
      throws IOException {
    if (current == null) {
      throw new IllegalStateException("no stream started");
    }
    ChunkRef ref = new ChunkRef(chunkMin, chunkMax, entries, rawBytes, offset, chunk.length, filter.length, seq++);
    write(chunk);
    write(filter);
    streams.get(current).add(ref);
    minTs = Math.min(minTs, chunkMin);
    maxTs = Math.max(maxTs, chunkMax);
  }

  private void write(byte[] b) throws IOException {
    out.write(b);
    offset += b.length;
  }

  /** Writes the index and footer, forces the file and renames it; returns the block's path. */
  public Path finish() throws IOException {
    EncodeBuffer index = new EncodeBuffer(1 << 12);
    Map<String, Integer> symbols = new LinkedHashMap<>();
    for (Labels l : streams.keySet()) {
      for (int i = 0; i < l.size(); i++) {
        symbols.putIfAbsent(l.name(i), symbols.size());
        symbols.putIfAbsent(l.value(i), symbols.size());
      }
    }
    index.putUvarint(walSegment);
    index.putString(origin);
    index.putVarint(streams.isEmpty() ? 0 : minTs);
    index.putVarint(streams.isEmpty() ? 0 : maxTs);
    index.putUvarint(symbols.size());
    for (String s : symbols.keySet()) {
      index.putString(s);
    }
    index.putUvarint(streams.size());
    for (Map.Entry<Labels, List<ChunkRef>> e : streams.entrySet()) {
      Labels l = e.getKey();
      index.putUvarint(l.size());
      for (int i = 0; i < l.size(); i++) {
        index.putUvarint(symbols.get(l.name(i)));
        index.putUvarint(symbols.get(l.value(i)));
      }
      index.putUvarint(e.getValue().size());
      for (ChunkRef c : e.getValue()) {
        index.putVarint(c.minTs());
        index.putUvarint(c.maxTs() - c.minTs());
        index.putUvarint(c.entries());
        index.putUvarint(c.rawBytes());
        index.putUvarint(c.offset());
        index.putUvarint(c.length());
        index.putUvarint(c.filterLength());
      }
    }
    byte[] body = index.toByteArray();
    index.putIntBE(BlockFormat.crc(body, 0, body.length));
    long indexOffset = offset;
    int indexLength = index.size();
    write(index.toByteArray());
    EncodeBuffer footer = new EncodeBuffer(BlockFormat.FOOTER).putLongBE(indexOffset).putIntBE(indexLength);
    byte[] f = footer.toByteArray();
    footer.putIntBE(BlockFormat.crc(f, 0, f.length)).putIntBE(BlockFormat.MAGIC);
    write(footer.toByteArray());
    out.close();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Path target = dir.resolve(id + FileNames.BLOCK_SUFFIX);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    Directories.force(dir);
    return target;
  }

  /** Deletes the unfinished file. */
  public void abort() {
    try {
      out.close();
    } catch (IOException ignored) {
      // the write failed already; that error is the one to report
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // left for the next open, which deletes *.tmp
    }
  }
}
