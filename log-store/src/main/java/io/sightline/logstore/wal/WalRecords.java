package io.sightline.logstore.wal;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The log store's WAL record: the entries one append added to one stream.
 *
 * <pre>
 *   ┌──────────────┬─────────────────────────────────────┬──────────────────────────────────────────────┐
 *   │ type <1B> =1 │ stream labels: pairs <uvarint>,     │ entries, to the end of the record:           │
 *   │              │   pairs × (name <str>, value <str>) │   ts <varint> · line <str> · metadata pairs  │
 *   │              │                                     │   <uvarint> · pairs × (name <str>, value <str>)│
 *   └──────────────┴─────────────────────────────────────┴──────────────────────────────────────────────┘
 *   <str> = length <uvarint>, then UTF-8 bytes
 * </pre>
 *
 * Written straight from the appender's entries ({@link Writer}); read with each line left in the record's bytes.
 */
public final class WalRecords {
  public static final int ENTRIES = 1;

  private WalRecords() {}

  /** Builds one record; {@link #lineAt} tells where the last added line's bytes start. */
  public static final class Writer {
    private final EncodeBuffer out;
    private int lineAt;

    public Writer(Labels stream, int expectedBytes) {
      out = new EncodeBuffer(expectedBytes + 64);
      out.putByte(ENTRIES);
      putLabels(stream);
    }

    /** Adds an entry; returns the line's length in bytes. */
    public int add(long ts, byte[] line, Labels metadata) {
      out.putVarint(ts);
      out.putUvarint(line.length);
      lineAt = out.size();
      out.putBytes(line);
      putLabels(metadata);
      return line.length;
    }

    public int lineAt() {
      return lineAt;
    }

    public int size() {
      return out.size();
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }

    private void putLabels(Labels l) {
      out.putUvarint(l.size());
      for (int i = 0; i < l.size(); i++) {
        out.putString(l.name(i));
        out.putString(l.value(i));
      }
    }
  }

  /** Receives a record's entries; the line is a region of the record, which the caller may keep. */
  @FunctionalInterface
  public interface EntryVisitor {
    void entry(long ts, byte[] record, int lineOffset, int lineLength, Labels metadata) throws IOException;
  }

  /** The stream of a record, after which {@link #readEntries} delivers its entries. */
  public static Labels readStream(DecodeBuffer in) {
    int type = in.getByte();
    if (type != ENTRIES) {
      throw new IllegalArgumentException("unknown log WAL record type " + type);
    }
    return readLabels(in);
  }

  public static void readEntries(byte[] record, DecodeBuffer in, EntryVisitor visitor) throws IOException {
    while (in.hasRemaining()) {
      long ts = in.getVarint();
      long n = in.getUvarint();
      if (n > in.remaining()) {
        throw new IllegalArgumentException("line of " + n + " bytes past the record's end");
      }
      int at = record.length - in.remaining();
      in.skip((int) n);
      visitor.entry(ts, record, at, (int) n, readLabels(in));
    }
  }

  private static Labels readLabels(DecodeBuffer in) {
    long pairs = in.getUvarint();
    if (pairs == 0) {
      return Labels.EMPTY;
    }
    if (pairs > in.remaining()) {
      throw new IllegalArgumentException(pairs + " labels past the record's end");
    }
    String[] nv = new String[(int) (2 * pairs)];
    for (int i = 0; i < nv.length; i++) {
      nv[i] = in.getString();
    }
    return Labels.of(nv);
  }

  /** UTF-8 of a line. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
