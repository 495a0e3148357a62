package io.sightline.logstore.stream;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.AppendResult;
import io.sightline.logstore.HeadFullException;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.StreamLimitException;
import io.sightline.logstore.wal.WalRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;

/**
 * One request's entries. Each append checks its entries against the stream's out-of-order window and duplicates and
 * writes the accepted ones straight into that append's WAL record; commit writes the records and lets the head copy
 * the lines out of them.
 *
 * <p>The checks read the head as it is at append time. Two appenders racing on one stream may both pass an entry that
 * a sequential order would refuse; the head drops exact duplicates again at commit, silently.
 */
final class HeadAppender implements LogAppender {
  /** One append's accepted entries; lines are regions of {@code record}. */
  record Pending(Labels labels, byte[] record, int from, int to, long[] ts, int[] lineAt, int[] lineLength,
      Labels[] meta) {}

  private final Head head;
  private final List<byte[]> records = new ArrayList<>();
  private final List<Pending> batch = new ArrayList<>();
  private final HashSet<Labels> newStreams = new HashSet<>();
  /** The newest time this batch gives each stream, for the window of its later appends. */
  private final HashMap<Labels, Long> batchNewest = new HashMap<>();
  private long batchBytes;

  HeadAppender(Head head) {
    this.head = head;
  }

  @Override
  public AppendResult append(Labels stream, List<LogEntry> entries) throws StreamLimitException {
    if (stream == null || stream.isEmpty()) {
      throw new IllegalArgumentException("a stream needs at least one label");
    }
    if (entries.isEmpty()) {
      return AppendResult.storedAll(0);
    }
    MemStream s = head.stream(stream);
    int max = head.config().maxStreams();
    if (s == null && !newStreams.contains(stream)) {
      if (max > 0 && head.streamCount() + newStreams.size() >= max) {
        throw new StreamLimitException(max);
      }
      newStreams.add(stream);
    }
    long newest = Long.MIN_VALUE;
    if (s != null) {
      synchronized (s) {
        newest = s.newestTs;
      }
    }
    Long inBatch = batchNewest.get(stream);
    if (inBatch != null) {
      newest = Math.max(newest, inBatch);
    }
    long window = head.config().outOfOrderWindow().toNanos();
    int n = entries.size();
    long[] ts = new long[n];
    int[] lineAt = new int[n];
    int[] lineLength = new int[n];
    Labels[] meta = new Labels[n];
    byte[][] lines = new byte[n][];
    long maxRecord = Math.max(1 << 14, head.config().wal().segmentSize() / 4);
    WalRecords.Writer w = new WalRecords.Writer(stream, (int) Math.min(estimate(entries), maxRecord));
    int recordFrom = 0;
    int count = 0;
    int duplicates = 0;
    int refused = 0;
    long firstRefused = 0;
    long oldestAccepted = 0;
    long bytes = 0;
    for (LogEntry e : entries) {
      long t = e.timestampNanos();
      long oldest = newest - window;
      // (an oldest above newest is an underflow: a stream with times near the smallest long refuses nothing)
      if (newest != Long.MIN_VALUE && oldest <= newest && t < oldest) {
        if (refused++ == 0) {
          firstRefused = t;
          oldestAccepted = oldest;
        }
        continue;
      }
      byte[] line = WalRecords.utf8(e.line());
      if (t <= newest && isDuplicate(s, t, line, ts, lines, count)) {
        duplicates++;
        continue;
      }
      Labels m = e.structuredMetadata() == null ? Labels.EMPTY : e.structuredMetadata();
      if (count > recordFrom && w.size() + line.length + 64 > maxRecord) {
        // A record must fit in a WAL segment: a push larger than a quarter segment takes several.
        byte[] record = w.toByteArray();
        records.add(record);
        batch.add(new Pending(stream, record, recordFrom, count, ts, lineAt, lineLength, meta));
        recordFrom = count;
        w = new WalRecords.Writer(stream, (int) Math.min(estimate(entries), maxRecord));
      }
      w.add(t, line, m);
      ts[count] = t;
      lineAt[count] = w.lineAt();
      lineLength[count] = line.length;
      meta[count] = m;
      lines[count] = line;
      bytes += Head.entrySize(line.length, m);
      count++;
      newest = Math.max(newest, t);
    }
    if (refused > 0) {
      head.countRefused(refused);
    }
    if (count > recordFrom) {
      byte[] record = w.toByteArray();
      records.add(record);
      batch.add(new Pending(stream, record, recordFrom, count, ts, lineAt, lineLength, meta));
    }
    if (count > 0) {
      batchBytes += bytes;
      batchNewest.put(stream, newest);
    } else if (s == null && inBatch == null) {
      newStreams.remove(stream);
    }
    return new AppendResult(count, duplicates, refused, firstRefused, oldestAccepted);
  }

  private static int estimate(List<LogEntry> entries) {
    long n = 0;
    for (LogEntry e : entries) {
      n += e.line().length() + 16;
    }
    return (int) Math.min(n, 1 << 24);
  }

  /**
   * Whether the stream's open chunk, or this append's earlier entries, hold the same time and line. The batch is only
   * scanned back over entries of the same time, which is all a sorted push ever needs.
   */
  private static boolean isDuplicate(MemStream s, long t, byte[] line, long[] ts, byte[][] lines, int count) {
    if (s != null) {
      synchronized (s) {
        if (s.isDuplicate(t, line, 0, line.length)) {
          return true;
        }
      }
    }
    for (int i = count - 1; i >= 0 && ts[i] == t; i--) {
      if (Arrays.equals(lines[i], line)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void commit() throws IOException {
    if (batch.isEmpty()) {
      rollback();
      return;
    }
    long max = head.config().maxHeadBytes();
    if (max > 0 && head.bytes() + batchBytes > max) {
      throw new HeadFullException(max);
    }
    head.commit(records, batch);
    rollback();
  }

  @Override
  public void rollback() {
    records.clear();
    batch.clear();
    newStreams.clear();
    batchNewest.clear();
    batchBytes = 0;
  }
}
