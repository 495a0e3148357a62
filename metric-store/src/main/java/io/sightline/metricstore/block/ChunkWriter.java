package io.sightline.metricstore.block;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Appends chunks to a block's {@code chunks/} segment files, cutting a new file before one would pass
 * {@link #MAX_SEGMENT_SIZE}, and hands back each chunk's reference.
 */
public final class ChunkWriter implements AutoCloseable {
  static final int MAGIC = 0x534C4348; // "SLCH"
  static final byte VERSION = 1;
  static final int HEADER_SIZE = 8;
  /** Chunk encodings, the byte before each chunk's data (FORMAT.md). */
  public static final byte ENCODING_XOR = 1;
  public static final byte ENCODING_INTEGER = 2;
  public static final byte ENCODING_HISTOGRAM = 3;
  /** Prometheus' size; keeps every offset within 32 bits and every file within one memory map. */
  static final long MAX_SEGMENT_SIZE = 512L * 1024 * 1024;

  private final Path dir;
  private final CRC32C crc = new CRC32C();
  private final byte[] varint = new byte[10];
  private FileOutputStream file;
  private OutputStream out;
  private int segment;
  private long offset;

  ChunkWriter(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
  }

  static String segmentName(int segment) {
    return String.format("%06d", segment);
  }

  /** Writes a chunk of the given encoding and returns its reference. */
  long write(byte encoding, byte[] data) throws IOException {
    int size = uvarint(data.length) + 1 + data.length + 4;
    if (out == null || offset + size > MAX_SEGMENT_SIZE) {
      nextSegment();
    }
    long ref = ((long) segment << 32) | offset;
    out.write(varint, 0, uvarint(data.length));
    out.write(encoding);
    out.write(data);
    crc.reset();
    crc.update(encoding);
    crc.update(data);
    int sum = (int) crc.getValue();
    out.write(sum >>> 24);
    out.write(sum >>> 16);
    out.write(sum >>> 8);
    out.write(sum);
    offset += size;
    return ref;
  }

  private int uvarint(long v) {
    int n = 0;
    while ((v & ~0x7FL) != 0) {
      varint[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    varint[n++] = (byte) v;
    return n;
  }

  private void nextSegment() throws IOException {
    finishSegment();
    segment++;
    file = new FileOutputStream(dir.resolve(segmentName(segment)).toFile());
    out = new BufferedOutputStream(file, 1 << 16);
    out.write(new byte[] {(byte) (MAGIC >>> 24), (byte) (MAGIC >>> 16), (byte) (MAGIC >>> 8), (byte) MAGIC, VERSION,
        0, 0, 0});
    offset = HEADER_SIZE;
  }

  private void finishSegment() throws IOException {
    if (out != null) {
      out.flush();
      file.getFD().sync();
      out.close();
      out = null;
    }
  }

  @Override
  public void close() throws IOException {
    finishSegment();
  }
}
