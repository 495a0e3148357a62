package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an uncompressed {@code logproto.PushRequest} straight into streams of {@link LogEntry}, with no message
 * objects in between, and fails as Loki's gogo-generated decoder fails, word for word ({@code unexpected EOF},
 * {@code proto: wrong wireType = 0 for field Line}, …).
 *
 * <pre>
 * PushRequest      { repeated StreamAdapter streams = 1; string format = 2; }
 * StreamAdapter    { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
 * EntryAdapter     { google.protobuf.Timestamp timestamp = 1; string line = 2;
 *                    repeated LabelPairAdapter structuredMetadata = 3; repeated LabelPairAdapter parsed = 4; }
 * LabelPairAdapter { string name = 1; string value = 2; }
 * Timestamp        { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 *
 * Strings are not checked for UTF-8, as gogo does not check them; invalid sequences become U+FFFD.
 */
final class PushProtoDecoder {
  /** A body that is not a {@code PushRequest}; the message is gogo's. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  static final String UNEXPECTED_EOF = "unexpected EOF";
  static final String INVALID_LENGTH = "proto: negative length found during unmarshaling";
  static final String INTEGER_OVERFLOW = "proto: integer overflow";
  /** The seconds of 0001-01-01 and of 10000-01-01, the range a Timestamp may hold. */
  private static final long MIN_SECONDS = -62135596800L;
  private static final long MAX_SECONDS = 253402300800L;

  private final byte[] b;
  private int pos;
  /** The last tag read: its field number, wire type and where it starts. Read them before decoding further. */
  private int field;
  private int wire;
  private int tagStart;

  private PushProtoDecoder(byte[] b) {
    this.b = b;
  }

  /**
   * @param labels receives each stream's label string, in order
   * @param entries receives each stream's entries, in the same order
   */
  static void decode(byte[] request, List<String> labels, List<List<LogEntry>> entries) throws MalformedException {
    new PushProtoDecoder(request).request(labels, entries);
  }

  private void request(List<String> labels, List<List<LogEntry>> entries) throws MalformedException {
    int end = b.length;
    while (pos < end) {
      tag("PushRequest", end);
      switch (field) {
        case 1 -> {
          int len = length(wire, 2, "Streams", end);
          stream(pos + len, labels, entries);
        }
        case 2 -> {
          int len = length(wire, 2, "Format", end); // read before adding: pos += f() would add to the old pos
          pos += len;
        }
        default -> skip(tagStart, end);
      }
    }
  }

  private void stream(int end, List<String> labels, List<List<LogEntry>> entries) throws MalformedException {
    String labelString = "";
    List<LogEntry> streamEntries = new ArrayList<>();
    while (pos < end) {
      tag("StreamAdapter", end);
      switch (field) {
        // gogo's generated code names the labels field StructuredMetadata in this message, so Loki says so too.
        case 1 -> labelString = string(length(wire, 2, "StructuredMetadata", end));
        case 2 -> {
          int len = length(wire, 2, "Entries", end);
          streamEntries.add(entry(pos + len));
        }
        case 3 -> {
          if (wire != 0) {
            throw new MalformedException("proto: wrong wireType = " + wire + " for field Hash");
          }
          varint(end);
        }
        default -> skip(tagStart, end);
      }
    }
    labels.add(labelString);
    entries.add(streamEntries);
  }

  private LogEntry entry(int end) throws MalformedException {
    long nanos = 0;
    String line = "";
    List<String> metadata = null;
    while (pos < end) {
      tag("EntryAdapter", end);
      switch (field) {
        case 1 -> {
          int len = length(wire, 2, "Timestamp", end);
          nanos = timestamp(pos + len);
        }
        case 2 -> line = string(length(wire, 2, "Line", end));
        case 3 -> {
          int len = length(wire, 2, "StructuredMetadata", end);
          metadata = metadata == null ? new ArrayList<>() : metadata;
          labelPair(pos + len, metadata);
        }
        case 4 -> {
          int len = length(wire, 2, "Parsed", end);
          labelPair(pos + len, new ArrayList<>()); // query-side only: checked, then dropped
        }
        default -> skip(tagStart, end);
      }
    }
    Labels sm = metadata == null ? Labels.EMPTY : Labels.of(metadata.toArray(String[]::new));
    return new LogEntry(nanos, line, sm);
  }

  private void labelPair(int end, List<String> into) throws MalformedException {
    String name = "";
    String value = "";
    while (pos < end) {
      tag("LabelPairAdapter", end);
      switch (field) {
        case 1 -> name = string(length(wire, 2, "Name", end));
        case 2 -> value = string(length(wire, 2, "Value", end));
        default -> skip(tagStart, end);
      }
    }
    into.add(name);
    into.add(value);
  }

  /** A {@code google.protobuf.Timestamp} as Unix nanoseconds, checked as gogo's {@code StdTimeUnmarshal} checks it. */
  private long timestamp(int end) throws MalformedException {
    long seconds = 0;
    int nanos = 0;
    while (pos < end) {
      tag("Timestamp", end);
      switch (field) {
        case 1 -> {
          if (wire != 0) {
            throw new MalformedException("proto: wrong wireType = " + wire + " for field Seconds");
          }
          seconds = varint(end);
        }
        case 2 -> {
          if (wire != 0) {
            throw new MalformedException("proto: wrong wireType = " + wire + " for field Nanos");
          }
          nanos = (int) varint(end);
        }
        default -> skip(tagStart, end);
      }
    }
    String shown = "&types.Timestamp{Seconds: " + seconds + ",\nNanos: " + nanos + ",\n}";
    if (seconds < MIN_SECONDS) {
      throw new MalformedException("timestamp: " + shown + " before 0001-01-01");
    }
    if (seconds >= MAX_SECONDS) {
      throw new MalformedException("timestamp: " + shown + " after 10000-01-01");
    }
    if (nanos < 0 || nanos >= 1_000_000_000) {
      throw new MalformedException("timestamp: " + shown + ": nanos not in range [0, 1e9)");
    }
    // Go's UnixNano: undefined (it wraps) outside about 1678 to 2262; such entries fail validation as too old or new.
    return seconds * 1_000_000_000L + nanos;
  }

  /** Reads the next field's tag into {@link #field} and {@link #wire}, checked as gogo checks it. */
  private void tag(String message, int end) throws MalformedException {
    tagStart = pos;
    long tag = varint(end);
    field = (int) (tag >>> 3);
    wire = (int) (tag & 7);
    if (wire == 4) {
      throw new MalformedException("proto: " + message + ": wiretype end group for non-group");
    }
    if (field <= 0) {
      throw new MalformedException("proto: " + message + ": illegal tag " + field + " (wire type " + tag + ")");
    }
  }

  /** The length of a length-delimited field, checked against {@code end}; the position is then at its content. */
  private int length(int wire, int expectedWire, String fieldName, int end) throws MalformedException {
    if (wire != expectedWire) {
      throw new MalformedException("proto: wrong wireType = " + wire + " for field " + fieldName);
    }
    long len = varint(end);
    if (len < 0) {
      throw new MalformedException(INVALID_LENGTH);
    }
    if (len > end - pos) {
      throw new MalformedException(UNEXPECTED_EOF);
    }
    return (int) len;
  }

  private String string(int len) {
    String s = new String(b, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  private long varint(int end) throws MalformedException {
    long result = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift >= 64) {
        throw new MalformedException(INTEGER_OVERFLOW);
      }
      if (pos >= end) {
        throw new MalformedException(UNEXPECTED_EOF);
      }
      byte x = b[pos++];
      result |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return result;
      }
    }
  }

  /** Skips the unknown field whose tag starts at {@code start}, as gogo's {@code skipPush} does. */
  private void skip(int start, int end) throws MalformedException {
    pos = start;
    int depth = 0;
    do {
      long tag = varint(end);
      int wire = (int) (tag & 7);
      switch (wire) {
        case 0 -> varint(end);
        case 1 -> advance(8, end);
        case 2 -> {
          long len = varint(end);
          if (len < 0) {
            throw new MalformedException(INVALID_LENGTH);
          }
          advance(len, end);
        }
        case 3 -> depth++;
        case 4 -> {
          if (depth == 0) {
            throw new MalformedException("proto: unexpected end of group");
          }
          depth--;
        }
        case 5 -> advance(4, end);
        default -> throw new MalformedException("proto: illegal wireType " + wire);
      }
    } while (depth > 0);
  }

  private void advance(long n, int end) throws MalformedException {
    if (n > end - pos) {
      throw new MalformedException(UNEXPECTED_EOF);
    }
    pos += (int) n;
  }
}
