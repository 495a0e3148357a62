package io.sightline.bench.logs;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Loki's {@code logproto.PushRequest} written field by field, as Promtail sends it (before snappy):
 *
 * <pre>
 * PushRequest   { repeated StreamAdapter streams = 1; }
 * StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }
 * EntryAdapter  { google.protobuf.Timestamp timestamp = 1; string line = 2; }
 * Timestamp     { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 *
 * Sizes are computed first, so that a request is written in one pass into one array of its exact length; lines are
 * written as the bytes read from the file, never decoded. Zero timestamp fields are left out, as proto3 does.
 */
final class PushEncoder {
  private PushEncoder() {}

  /** One stream's entries of a batch: its label string ({@code {a="b", ...}}), times and lines, in order. */
  static final class StreamEntries {
    final String labels;
    final byte[] labelBytes;
    final List<byte[]> lines = new ArrayList<>();
    private long[] nanos = new long[64];

    StreamEntries(String labels) {
      this.labels = labels;
      this.labelBytes = labels.getBytes(StandardCharsets.UTF_8);
    }

    void add(long timestampNanos, byte[] line) {
      if (lines.size() == nanos.length) {
        nanos = java.util.Arrays.copyOf(nanos, nanos.length * 2);
      }
      nanos[lines.size()] = timestampNanos;
      lines.add(line);
    }

    long timestampNanos(int i) {
      return nanos[i];
    }

    int size() {
      return lines.size();
    }
  }

  /** The request holding {@code streams} (each with at least one entry), unframed and uncompressed. */
  static byte[] encode(Collection<StreamEntries> streams) {
    int total = 0;
    int[][] entrySizes = new int[streams.size()][];
    int[] streamSizes = new int[streams.size()];
    int s = 0;
    for (StreamEntries stream : streams) {
      int[] sizes = new int[stream.size()];
      int size = CodedOutputStream.computeByteArraySize(1, stream.labelBytes);
      for (int i = 0; i < stream.size(); i++) {
        int entry = lengthDelimited(1, timestampSize(stream.timestampNanos(i)))
            + CodedOutputStream.computeByteArraySize(2, stream.lines.get(i));
        sizes[i] = entry;
        size += lengthDelimited(2, entry);
      }
      entrySizes[s] = sizes;
      streamSizes[s] = size;
      total += lengthDelimited(1, size);
      s++;
    }
    byte[] out = new byte[total];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      s = 0;
      for (StreamEntries stream : streams) {
        o.writeTag(1, 2);
        o.writeUInt32NoTag(streamSizes[s]);
        o.writeByteArray(1, stream.labelBytes);
        for (int i = 0; i < stream.size(); i++) {
          long ts = stream.timestampNanos(i);
          o.writeTag(2, 2);
          o.writeUInt32NoTag(entrySizes[s][i]);
          o.writeTag(1, 2);
          o.writeUInt32NoTag(timestampSize(ts));
          long seconds = Math.floorDiv(ts, 1_000_000_000L);
          int nanos = (int) Math.floorMod(ts, 1_000_000_000L);
          if (seconds != 0) {
            o.writeInt64(1, seconds);
          }
          if (nanos != 0) {
            o.writeInt32(2, nanos);
          }
          o.writeByteArray(2, stream.lines.get(i));
        }
        s++;
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static int timestampSize(long ts) {
    long seconds = Math.floorDiv(ts, 1_000_000_000L);
    int nanos = (int) Math.floorMod(ts, 1_000_000_000L);
    return (seconds != 0 ? CodedOutputStream.computeInt64Size(1, seconds) : 0)
        + (nanos != 0 ? CodedOutputStream.computeInt32Size(2, nanos) : 0);
  }

  private static int lengthDelimited(int field, int length) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }
}
