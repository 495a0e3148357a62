package io.sightline.core.wal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment in order, page by page. {@link #lastRecordEnd()} tells how far the segment was
 * intact, which is where repair truncates it.
 */
public final class WalReader {

  /** Receives each record; the array is the caller's to keep. */
  @FunctionalInterface
  public interface RecordConsumer {
    void accept(int segment, byte[] record) throws IOException;
  }

  private final int segment;
  private long lastRecordEnd;

  private WalReader(int segment) {
    this.segment = segment;
  }

  /** The offset just past the last complete record read. */
  public long lastRecordEnd() {
    return lastRecordEnd;
  }

  /**
   * Reads every record of segment {@code index} in {@code dir}.
   *
   * @throws CorruptionException at the first thing that does not parse; records before it have been delivered
   */
  public static WalReader readSegment(Path dir, int index, RecordConsumer consumer) throws IOException {
    WalReader reader = new WalReader(index);
    reader.read(Segment.path(dir, index), consumer);
    return reader;
  }

  /** What a scan found: how far the segment is intact, and the corruption after that, if any. */
  record Scan(long lastRecordEnd, CorruptionException corruption) {}

  /** Reads segment {@code index} like {@link #readSegment}, but reports corruption instead of throwing it. */
  static Scan scan(Path dir, int index, RecordConsumer consumer) throws IOException {
    WalReader reader = new WalReader(index);
    try {
      reader.read(Segment.path(dir, index), consumer);
      return new Scan(reader.lastRecordEnd, null);
    } catch (CorruptionException e) {
      return new Scan(reader.lastRecordEnd, e);
    }
  }

  private void read(Path file, RecordConsumer consumer) throws IOException {
    ByteArrayOutputStream pending = null;
    CRC32C crc = new CRC32C();
    ByteBuffer page = ByteBuffer.allocate(Segment.PAGE_SIZE);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long pageStart = 0;
      while (true) {
        page.clear();
        while (page.hasRemaining() && channel.read(page, pageStart + page.position()) > 0) {
          // fill the page or reach the end of the file
        }
        int length = page.position();
        if (length == 0) {
          break;
        }
        byte[] b = page.array();
        int pos = 0;
        while (pos < length) {
          byte type = b[pos];
          if (type == Segment.PADDING) {
            break; // the rest of the page is padding
          }
          if (type < Segment.FULL || type > Segment.LAST) {
            throw new CorruptionException(segment, pageStart + pos, "unknown fragment type " + type);
          }
          if (pos + Segment.HEADER_SIZE > length) {
            throw new CorruptionException(segment, pageStart + pos, "fragment header cut short");
          }
          int size = ((b[pos + 1] & 0xff) << 8) | (b[pos + 2] & 0xff);
          int expected = ((b[pos + 3] & 0xff) << 24) | ((b[pos + 4] & 0xff) << 16) | ((b[pos + 5] & 0xff) << 8)
              | (b[pos + 6] & 0xff);
          int dataStart = pos + Segment.HEADER_SIZE;
          if (dataStart + size > length) {
            throw new CorruptionException(segment, pageStart + pos, "fragment of " + size + " bytes past the page end");
          }
          crc.reset();
          crc.update(b, dataStart, size);
          if ((int) crc.getValue() != expected) {
            throw new CorruptionException(segment, pageStart + pos, "checksum mismatch");
          }
          switch (type) {
            case Segment.FULL -> {
              if (pending != null) {
                throw new CorruptionException(segment, pageStart + pos, "full fragment inside an unfinished record");
              }
              byte[] record = new byte[size];
              System.arraycopy(b, dataStart, record, 0, size);
              lastRecordEnd = pageStart + dataStart + size;
              consumer.accept(segment, record);
            }
            case Segment.FIRST -> {
              if (pending != null) {
                throw new CorruptionException(segment, pageStart + pos, "first fragment inside an unfinished record");
              }
              pending = new ByteArrayOutputStream(size * 2);
              pending.write(b, dataStart, size);
            }
            default -> {
              if (pending == null) {
                throw new CorruptionException(segment, pageStart + pos, "continuation without a first fragment");
              }
              pending.write(b, dataStart, size);
              if (type == Segment.LAST) {
                lastRecordEnd = pageStart + dataStart + size;
                byte[] record = pending.toByteArray();
                pending = null;
                consumer.accept(segment, record);
              }
            }
          }
          pos = dataStart + size;
        }
        if (length < Segment.PAGE_SIZE) {
          break; // a short page is the end of the segment
        }
        pageStart += Segment.PAGE_SIZE;
      }
    }
    if (pending != null) {
      throw new CorruptionException(segment, lastRecordEnd, "record left unfinished at the end of the segment");
    }
  }
}
