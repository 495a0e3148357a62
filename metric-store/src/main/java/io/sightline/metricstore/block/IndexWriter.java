package io.sightline.metricstore.block;

import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.model.Labels;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes a block's {@code index} file in one pass: the symbols first (they must be known up front), then each series
 * as it is added, in label order; postings are gathered on the way and written at the end. Layout in FORMAT.md.
 */
final class IndexWriter implements AutoCloseable {
  static final int MAGIC = 0x534C4958; // "SLIX"
  static final byte VERSION = 1;
  /** Five section offsets and the TOC's checksum. */
  static final int TOC_SIZE = 5 * 8 + 4;

  private final FileOutputStream file;
  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private final Map<String, Integer> symbolIds = new HashMap<>();
  private final List<String> symbolList;
  private final TreeMap<String, TreeMap<String, RoaringBitmap>> postings = new TreeMap<>();
  private long[] seriesOffsets = new long[1024];
  private int numSeries;
  private long position;
  private final long symbolsOffset;
  private final long seriesOffset;
  private final EncodeBuffer entry = new EncodeBuffer(256);

  IndexWriter(Path path, SortedSet<String> symbols) throws IOException {
    file = new FileOutputStream(path.toFile());
    out = new BufferedOutputStream(file, 1 << 16);
    writeRaw(new byte[] {(byte) (MAGIC >>> 24), (byte) (MAGIC >>> 16), (byte) (MAGIC >>> 8), (byte) MAGIC, VERSION});
    symbolsOffset = position;
    symbolList = new ArrayList<>(symbols);
    EncodeBuffer b = new EncodeBuffer(16 * symbols.size() + 16);
    b.putUvarint(symbols.size());
    for (String s : symbolList) {
      symbolIds.put(s, symbolIds.size());
      b.putString(s);
    }
    writeChecked(b.toByteArray());
    seriesOffset = position;
  }

  /** Adds the next series; series must come in label order. Returns its id (its position in that order). */
  int addSeries(Labels labels, List<ChunkMeta> chunks) throws IOException {
    int id = numSeries++;
    if (id == seriesOffsets.length) {
      seriesOffsets = java.util.Arrays.copyOf(seriesOffsets, id * 2);
    }
    seriesOffsets[id] = position;
    entry.reset();
    entry.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      entry.putUvarint(symbol(labels.name(i))).putUvarint(symbol(labels.value(i)));
      postings.computeIfAbsent(labels.name(i), k -> new TreeMap<>())
          .computeIfAbsent(labels.value(i), k -> new RoaringBitmap()).add(id);
    }
    entry.putUvarint(chunks.size());
    ChunkMeta prev = null;
    for (ChunkMeta c : chunks) {
      if (prev == null) {
        entry.putVarint(c.minT()).putUvarint(c.maxT() - c.minT()).putUvarint(c.ref());
      } else {
        entry.putVarint(c.minT() - prev.maxT()).putUvarint(c.maxT() - c.minT()).putVarint(c.ref() - prev.ref());
      }
      prev = c;
    }
    byte[] body = entry.toByteArray();
    EncodeBuffer len = new EncodeBuffer(5).putUvarint(body.length);
    writeRaw(len.toByteArray());
    writeChecked(body);
    return id;
  }

  private int symbol(String s) {
    Integer id = symbolIds.get(s);
    if (id == null) {
      throw new IllegalArgumentException("label string \"" + s + "\" is not in the block's symbol table");
    }
    return id;
  }

  int numSeries() {
    return numSeries;
  }

  @Override
  public void close() throws IOException {
    long seriesTableOffset = position;
    ByteBuffer table = ByteBuffer.allocate(8 * numSeries);
    for (int i = 0; i < numSeries; i++) {
      table.putLong(seriesOffsets[i]);
    }
    writeChecked(table.array());

    long postingsOffset = position;
    EncodeBuffer postingsTable = new EncodeBuffer(64 * 1024);
    int pairs = postings.values().stream().mapToInt(Map::size).sum();
    postingsTable.putUvarint(pairs);
    for (var name : postings.entrySet()) {
      for (var value : name.getValue().entrySet()) {
        RoaringBitmap bitmap = value.getValue();
        bitmap.runOptimize();
        ByteBuffer bytes = ByteBuffer.allocate(bitmap.serializedSizeInBytes());
        bitmap.serialize(bytes);
        long at = position;
        crc.reset();
        crc.update(bytes.array());
        writeRaw(bytes.array());
        postingsTable.putUvarint(symbol(name.getKey())).putUvarint(symbol(value.getKey())).putUvarint(at)
            .putUvarint(bytes.capacity()).putUvarint(crc.getValue());
      }
    }
    long postingsTableOffset = position;
    writeChecked(postingsTable.toByteArray());

    ByteBuffer toc = ByteBuffer.allocate(TOC_SIZE);
    toc.putLong(symbolsOffset).putLong(seriesOffset).putLong(seriesTableOffset).putLong(postingsOffset)
        .putLong(postingsTableOffset);
    crc.reset();
    crc.update(toc.array(), 0, TOC_SIZE - 4);
    toc.putInt((int) crc.getValue());
    writeRaw(toc.array());
    if (position > Integer.MAX_VALUE) {
      // Read through one memory map, which Java caps at 2 GiB; compaction keeps blocks well below that.
      throw new IOException("block index would be " + position + " bytes, over the 2 GiB an index may have");
    }
    out.flush();
    file.getFD().sync();
    out.close();
  }

  /** Writes bytes followed by their CRC32C. */
  private void writeChecked(byte[] bytes) throws IOException {
    crc.reset();
    crc.update(bytes);
    int sum = (int) crc.getValue();
    writeRaw(bytes);
    writeRaw(new byte[] {(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
  }

  private void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    position += bytes.length;
  }
}
