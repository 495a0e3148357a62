package io.sightline.metricstore.block;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.postings.PostingsIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a block's {@code index} through a memory map. The symbols and the postings table are checked and kept on the
 * heap (they are what every query starts from); series entries and postings lists are read, and their checksums
 * verified, when a query needs them.
 */
final class IndexReader implements PostingsIndex {
  private final MappedByteBuffer map;
  private final String[] symbols;
  private final long seriesTableOffset;
  private final int numSeries;
  /** name → value → {offset, length, crc} of its postings list. */
  private final Map<String, Map<String, long[]>> postingsTable = new HashMap<>();

  IndexReader(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      if (ch.size() > Integer.MAX_VALUE || ch.size() < 5 + IndexWriter.TOC_SIZE) {
        throw new CorruptBlockException("index file has an impossible size of " + ch.size() + " bytes");
      }
      map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
    if (map.getInt(0) != IndexWriter.MAGIC || map.get(4) != IndexWriter.VERSION) {
      throw new CorruptBlockException("index file has no valid header");
    }
    int tocAt = map.limit() - IndexWriter.TOC_SIZE;
    byte[] toc = bytes(tocAt, IndexWriter.TOC_SIZE - 4);
    check(toc, map.getInt(tocAt + IndexWriter.TOC_SIZE - 4), "table of contents");
    ByteBuffer t = ByteBuffer.wrap(toc);
    long symbolsOffset = t.getLong();
    long seriesOffset = t.getLong();
    seriesTableOffset = t.getLong();
    long postingsOffset = t.getLong();
    long postingsTableOffset = t.getLong();
    if (!(5 <= symbolsOffset && symbolsOffset < seriesOffset && seriesOffset <= seriesTableOffset
        && seriesTableOffset <= postingsOffset && postingsOffset <= postingsTableOffset && postingsTableOffset < tocAt)) {
      throw new CorruptBlockException("index table of contents has sections out of order");
    }

    byte[] symbolBytes = section(symbolsOffset, seriesOffset, "symbols");
    DecodeBuffer d = new DecodeBuffer(symbolBytes);
    symbols = new String[(int) d.getUvarint()];
    for (int i = 0; i < symbols.length; i++) {
      symbols[i] = d.getString();
    }

    long tableLength = postingsOffset - seriesTableOffset - 4;
    if (tableLength % 8 != 0) {
      throw new CorruptBlockException("index series table has a partial entry");
    }
    numSeries = (int) (tableLength / 8);
    check(bytes(seriesTableOffset, (int) tableLength), map.getInt((int) (postingsOffset - 4)), "series table");

    d = new DecodeBuffer(section(postingsTableOffset, tocAt, "postings table"));
    long pairs = d.getUvarint();
    for (long i = 0; i < pairs; i++) {
      String name = symbol(d.getUvarint());
      String value = symbol(d.getUvarint());
      long[] where = {d.getUvarint(), d.getUvarint(), d.getUvarint()};
      if (where[0] < postingsOffset || where[0] + where[1] > postingsTableOffset) {
        throw new CorruptBlockException("postings of " + name + "=\"" + value + "\" lie outside their section");
      }
      postingsTable.computeIfAbsent(name, k -> new HashMap<>()).put(value, where);
    }
  }

  int numSeries() {
    return numSeries;
  }

  /** Label names, unsorted. */
  Iterable<String> labelNames() {
    return postingsTable.keySet();
  }

  @Override
  public Iterable<String> values(String name) {
    return postingsTable.getOrDefault(name, Map.of()).keySet();
  }

  @Override
  public RoaringBitmap postings(String name, String value) {
    long[] where = postingsTable.getOrDefault(name, Map.of()).get(value);
    if (where == null) {
      return null;
    }
    byte[] bytes = bytes(where[0], (int) where[1]);
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    if (crc.getValue() != where[2]) {
      throw new CorruptBlockException("postings of " + name + "=\"" + value + "\" fail their checksum");
    }
    RoaringBitmap bitmap = new RoaringBitmap();
    try {
      bitmap.deserialize(ByteBuffer.wrap(bytes));
    } catch (RuntimeException | IOException e) {
      throw new CorruptBlockException("postings of " + name + "=\"" + value + "\" do not parse");
    }
    return bitmap;
  }

  @Override
  public RoaringBitmap all() {
    return RoaringBitmap.bitmapOfRange(0, numSeries);
  }

  /** One series' labels and chunks, read from its entry. */
  record SeriesEntry(Labels labels, List<ChunkMeta> chunks) {}

  SeriesEntry series(int id) {
    if (id < 0 || id >= numSeries) {
      throw new IllegalArgumentException("no series " + id + " in a block of " + numSeries);
    }
    long offset = map.getLong((int) (seriesTableOffset + 8L * id));
    if (offset < 5 || offset >= seriesTableOffset) {
      throw new CorruptBlockException("series " + id + " points outside the series section");
    }
    int at = (int) offset;
    long length = 0;
    int shift = 0;
    byte b;
    do {
      b = map.get(at++);
      length |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0 && shift < 35);
    if (at + length + 4 > seriesTableOffset) {
      throw new CorruptBlockException("series " + id + " runs past the series section");
    }
    byte[] body = bytes(at, (int) length);
    check(body, map.getInt(at + (int) length), "series " + id);
    DecodeBuffer d = new DecodeBuffer(body);
    String[] pairs = new String[2 * (int) d.getUvarint()];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = symbol(d.getUvarint());
    }
    int n = (int) d.getUvarint();
    List<ChunkMeta> chunks = new ArrayList<>(n);
    ChunkMeta prev = null;
    for (int i = 0; i < n; i++) {
      ChunkMeta c;
      if (prev == null) {
        long minT = d.getVarint();
        c = new ChunkMeta(minT, minT + d.getUvarint(), d.getUvarint());
      } else {
        long minT = prev.maxT() + d.getVarint();
        long maxT = minT + d.getUvarint();
        c = new ChunkMeta(minT, maxT, prev.ref() + d.getVarint());
      }
      chunks.add(c);
      prev = c;
    }
    return new SeriesEntry(Labels.of(pairs), chunks);
  }

  private String symbol(long id) {
    if (id < 0 || id >= symbols.length) {
      throw new CorruptBlockException("symbol " + id + " is not in the symbol table of " + symbols.length);
    }
    return symbols[(int) id];
  }

  /** The bytes of a section that ends with its CRC32C at {@code end - 4}, checked. */
  private byte[] section(long start, long end, String what) {
    byte[] bytes = bytes(start, (int) (end - start - 4));
    check(bytes, map.getInt((int) (end - 4)), what);
    return bytes;
  }

  private byte[] bytes(long offset, int length) {
    byte[] b = new byte[length];
    map.get((int) offset, b);
    return b;
  }

  private static void check(byte[] bytes, int expected, String what) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    if ((int) crc.getValue() != expected) {
      throw new CorruptBlockException("index " + what + " fails its checksum");
    }
  }
}
