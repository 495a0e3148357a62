package io.sightline.core.wal;

import io.sightline.core.fs.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of a write-ahead log. Opening repairs a torn tail left by a crash and starts a new segment; each
 * {@link #append} writes its records to the segment file before returning.
 *
 * <pre>
 *   segment 00000007                         page buffer (32 KiB), written to the file up to `flushed`
 *   ┌──────────┬──────────┬───────────────┐  ┌────────────────────────────────┐
 *   │ page 0   │ page 1   │ current page ─┼─▶│ frag │ frag │ frag │  free ...  │
 *   └──────────┴──────────┴───────────────┘  └────────────────────────────────┘
 *                                                               ▲ flushed  ▲ used
 * </pre>
 *
 * Thread-safe: appends are serialized, which is also what gives every record a place in one total order.
 */
public final class Wal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wal.class);

  private final Path dir;
  private final WalConfig config;
  private final CRC32C crc = new CRC32C();
  private final byte[] page = new byte[Segment.PAGE_SIZE];
  private FileChannel segmentFile;
  private int segmentIndex;
  private long pagesBefore;
  private int used;
  private int flushed;
  private long lastSyncNanos = System.nanoTime();
  private boolean closed;

  private Wal(Path dir, WalConfig config) {
    this.dir = dir;
    this.config = config;
  }

  /**
   * Opens the WAL in {@code dir}, creating it if needed. A torn tail in any segment is cut back to its last complete
   * record and logged; then a new segment is started, so that a segment is only ever written by one process.
   */
  public static Wal open(Path dir, WalConfig config) throws IOException {
    Files.createDirectories(dir);
    List<Integer> segments = Segment.list(dir);
    for (int index : segments) {
      repair(dir, index);
    }
    Wal wal = new Wal(dir, config);
    wal.startSegment(segments.isEmpty() ? 0 : segments.get(segments.size() - 1) + 1);
    return wal;
  }

  /** Reads every record of every segment from {@code fromSegment} on, in order. */
  public static void replay(Path dir, int fromSegment, WalReader.RecordConsumer consumer) throws IOException {
    replay(dir, fromSegment, Integer.MAX_VALUE, consumer);
  }

  /** Reads every record of the segments {@code fromSegment ≤ index < toSegment}, in order. */
  public static void replay(Path dir, int fromSegment, int toSegment, WalReader.RecordConsumer consumer)
      throws IOException {
    for (int index : Segment.list(dir)) {
      if (index >= fromSegment && index < toSegment) {
        WalReader.readSegment(dir, index, consumer);
      }
    }
  }

  /** The segment being written. */
  public synchronized int segmentIndex() {
    return segmentIndex;
  }

  /** The indexes of all segments on disk, ascending. */
  public List<Integer> segments() throws IOException {
    return Segment.list(dir);
  }

  public synchronized void append(byte[] record) throws IOException {
    append(List.of(record));
  }

  /**
   * Appends the records in order and writes them to the segment file; forces them to disk as the sync policy says.
   * When this returns, a killed process loses none of them.
   */
  public synchronized void append(List<byte[]> records) throws IOException {
    if (closed) {
      throw new IOException("WAL is closed");
    }
    for (byte[] record : records) {
      if (maxEncodedSize(record.length) > config.segmentSize()) {
        throw new IllegalArgumentException("record of " + record.length + " bytes does not fit in a segment of "
            + config.segmentSize() + " bytes");
      }
      if (pagesBefore * Segment.PAGE_SIZE + used + maxEncodedSize(record.length) > config.segmentSize()) {
        nextSegment();
      }
      writeRecord(record);
    }
    flushPage();
    if (config.sync() == WalConfig.Sync.ALWAYS
        || config.sync() == WalConfig.Sync.INTERVAL
            && System.nanoTime() - lastSyncNanos >= config.syncInterval().toNanos()) {
      sync();
    }
  }

  /** Forces what was appended to stable storage. */
  public synchronized void sync() throws IOException {
    segmentFile.force(false);
    lastSyncNanos = System.nanoTime();
  }

  /**
   * Closes the current segment and starts the next one; returns the new segment's index. Every record appended before
   * this call is in a segment below that index, which is what a checkpoint needs to know.
   */
  public synchronized int cut() throws IOException {
    if (closed) {
      throw new IOException("WAL is closed");
    }
    nextSegment();
    return segmentIndex;
  }

  /** Deletes every segment below {@code index} (their records are safely elsewhere, in blocks or a checkpoint). */
  public synchronized void deleteSegmentsBefore(int index) throws IOException {
    for (int s : Segment.list(dir)) {
      if (s < index && s != segmentIndex) {
        Files.deleteIfExists(Segment.path(dir, s));
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    flushPage();
    segmentFile.force(false);
    segmentFile.close();
  }

  private void writeRecord(byte[] record) throws IOException {
    int at = 0;
    boolean first = true;
    do {
      if (Segment.PAGE_SIZE - used < Segment.HEADER_SIZE + 1) {
        finishPage();
      }
      int n = Math.min(Segment.PAGE_SIZE - used - Segment.HEADER_SIZE, record.length - at);
      boolean last = at + n == record.length;
      byte type = first && last ? Segment.FULL : first ? Segment.FIRST : last ? Segment.LAST : Segment.MIDDLE;
      crc.reset();
      crc.update(record, at, n);
      int sum = (int) crc.getValue();
      page[used] = type;
      page[used + 1] = (byte) (n >>> 8);
      page[used + 2] = (byte) n;
      page[used + 3] = (byte) (sum >>> 24);
      page[used + 4] = (byte) (sum >>> 16);
      page[used + 5] = (byte) (sum >>> 8);
      page[used + 6] = (byte) sum;
      System.arraycopy(record, at, page, used + Segment.HEADER_SIZE, n);
      used += Segment.HEADER_SIZE + n;
      at += n;
      first = false;
    } while (at < record.length);
  }

  /** Pads the current page with zeros, writes it out and starts the next one. */
  private void finishPage() throws IOException {
    Arrays.fill(page, used, Segment.PAGE_SIZE, (byte) 0);
    used = Segment.PAGE_SIZE;
    flushPage();
    pagesBefore++;
    used = 0;
    flushed = 0;
  }

  /** Writes the part of the page not yet in the file. */
  private void flushPage() throws IOException {
    if (flushed == used) {
      return;
    }
    ByteBuffer buffer = ByteBuffer.wrap(page, flushed, used - flushed);
    long position = pagesBefore * Segment.PAGE_SIZE + flushed;
    while (buffer.hasRemaining()) {
      position += segmentFile.write(buffer, position);
    }
    flushed = used;
  }

  private void nextSegment() throws IOException {
    if (used > 0) {
      // The last page of a segment is left short: readers treat a short page as the end.
      flushPage();
    }
    segmentFile.force(false);
    segmentFile.close();
    startSegment(segmentIndex + 1);
  }

  private void startSegment(int index) throws IOException {
    segmentIndex = index;
    segmentFile = FileChannel.open(Segment.path(dir, index), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    pagesBefore = 0;
    used = 0;
    flushed = 0;
    Arrays.fill(page, (byte) 0);
    // The new file's directory entry must survive a power cut as much as its contents.
    Directories.force(dir);
  }

  /** The most bytes a record can take, with a header per page it may touch and the padding before it. */
  private static long maxEncodedSize(int length) {
    long pages = length / (Segment.PAGE_SIZE - Segment.HEADER_SIZE) + 2;
    return length + pages * Segment.HEADER_SIZE + Segment.PAGE_SIZE;
  }

  /**
   * Cuts segment {@code index} back to its last complete record if its tail does not parse. Later segments are kept:
   * records never cross segments, so they are whole on their own.
   */
  private static void repair(Path dir, int index) throws IOException {
    WalReader.Scan scan = WalReader.scan(dir, index, (s, r) -> { });
    if (scan.corruption() == null) {
      return;
    }
    Path file = Segment.path(dir, index);
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(scan.lastRecordEnd());
      channel.force(true);
    }
    log.atWarn().addKeyValue("segment", Segment.name(index)).addKeyValue("problem", scan.corruption().getMessage())
        .addKeyValue("kept_bytes", scan.lastRecordEnd()).addKeyValue("dropped_bytes", size - scan.lastRecordEnd())
        .log("repaired WAL segment: cut back to its last complete record");
  }
}
