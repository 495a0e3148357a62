package io.sightline.collector.generator.spans;

import io.sightline.core.encoding.ProtoReader;
import io.sightline.core.model.GoFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A list of OTLP KeyValue encodings read in place: where each key and value lies in the bytes of a
 * {@link WireResource}. Lookups compare UTF-8 key bytes and decode only the value they return. Keys to look up are
 * given as UTF-8 ({@link #key}), encoded once by the caller.
 */
public final class WireAttributes {
  /** No attributes. */
  public static final WireAttributes NONE = new WireAttributes(new byte[0], new int[0], 0, 0);

  private final byte[] b;
  /** Four ints per entry: key from, key to, value from, value to; -1 for an absent part. */
  private final int[] at;
  private final int first;
  private final int count;

  WireAttributes(byte[] b, int[] at, int first, int count) {
    this.b = b;
    this.at = at;
    this.first = first;
    this.count = count;
  }

  /** A key to look up, as UTF-8. */
  public static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[][] keys(List<String> names) {
    return names.stream().map(WireAttributes::key).toArray(byte[][]::new);
  }

  public int size() {
    return count;
  }

  /** The name of entry {@code i}. */
  public String name(int i) {
    int e = 4 * (first + i);
    return at[e] < 0 ? "" : new String(b, at[e], at[e + 1] - at[e], StandardCharsets.UTF_8);
  }

  /** The value of entry {@code i}, stringified. */
  public String value(int i) {
    int e = 4 * (first + i);
    return stringify(b, at[e + 2], at[e + 3]);
  }

  /** The value of the first entry named {@code key}, stringified; null when there is none. */
  public String find(byte[] key) {
    int i = indexOf(key);
    return i < 0 ? null : value(i);
  }

  /** The value of {@code key} in the first list that has it, stringified; null when neither has it. */
  public static String find(byte[] key, WireAttributes first, WireAttributes second) {
    String v = first.find(key);
    return v != null ? v : second.find(key);
  }

  /**
   * The value of the earliest of {@code keys} that either list has, stringified, the first list winning a tie; null
   * when neither has any: the same answer as {@link #find(byte[], WireAttributes, WireAttributes)} for each key in
   * turn, in one pass over each list.
   */
  public static String first(byte[][] keys, WireAttributes first, WireAttributes second) {
    WireAttributes in = null;
    int entry = -1;
    int rank = keys.length;
    for (WireAttributes list : new WireAttributes[] {first, second}) {
      for (int i = 0; i < list.count && rank > 0; i++) {
        for (int j = 0; j < rank; j++) {
          if (list.nameIs(i, keys[j])) {
            rank = j;
            in = list;
            entry = i;
            break;
          }
        }
      }
    }
    return in == null ? null : in.value(entry);
  }

  /** The value of the first entry named {@code key} when it is a positive double; else 0. */
  public double positiveDouble(byte[] key) {
    for (int i = 0; i < count; i++) {
      if (nameIs(i, key)) {
        int e = 4 * (first + i);
        AnyValueAt v = AnyValueAt.read(b, at[e + 2], at[e + 3]);
        double d = v.kind == AnyValueAt.DOUBLE ? Double.longBitsToDouble(v.scalar) : 0;
        if (d > 0) {
          return d;
        }
      }
    }
    return 0;
  }

  private int indexOf(byte[] key) {
    for (int i = 0; i < count; i++) {
      if (nameIs(i, key)) {
        return i;
      }
    }
    return -1;
  }

  private boolean nameIs(int i, byte[] key) {
    int e = 4 * (first + i);
    int from = at[e];
    if (from < 0) {
      return key.length == 0;
    }
    int to = at[e + 1];
    return to - from == key.length && Arrays.equals(b, from, to, key, 0, key.length);
  }

  /**
   * Tempo's {@code StringifyAnyValue} of the AnyValue encoded in {@code b[from, to)} (from < 0: none): booleans and
   * integers as Go prints them, doubles as {@code FormatFloat(v, 'f', -1)}, arrays as {@code [ab]} and maps as
   * {@code {k:v}} with no separators, anything else empty. The last member of the oneof set wins, as in protobuf.
   */
  static String stringify(byte[] b, int from, int to) {
    AnyValueAt v = AnyValueAt.read(b, from, to);
    int lenFrom = v.from;
    int lenTo = v.to;
    long scalar = v.scalar;
    return switch (v.kind) {
      case 1 -> new String(b, lenFrom, lenTo - lenFrom, StandardCharsets.UTF_8);
      case 2 -> scalar != 0 ? "true" : "false";
      case 3 -> Long.toString(scalar);
      case 4 -> GoFormat.plain(Double.longBitsToDouble(scalar));
      case 5 -> {
        StringBuilder sb = new StringBuilder("[");
        ProtoReader items = new ProtoReader(b, lenFrom, lenTo);
        while (items.more()) {
          long tag = items.varint();
          if (tag == ProtoReader.lenTag(1)) {
            int len = items.length();
            sb.append(stringify(b, items.pos, items.pos + len));
            items.pos += len;
          } else {
            items.skip((int) (tag & 7));
          }
        }
        yield sb.append(']').toString();
      }
      case 6 -> {
        StringBuilder sb = new StringBuilder("{");
        ProtoReader entries = new ProtoReader(b, lenFrom, lenTo);
        int[] kv = new int[4];
        while (entries.more()) {
          long tag = entries.varint();
          if (tag == ProtoReader.lenTag(1)) {
            int len = entries.length();
            WireResource.keyValue(b, entries.pos, entries.pos + len, kv, 0);
            if (kv[0] >= 0) {
              sb.append(new String(b, kv[0], kv[1] - kv[0], StandardCharsets.UTF_8));
            }
            sb.append(':').append(stringify(b, kv[2], kv[3]));
            entries.pos += len;
          } else {
            entries.skip((int) (tag & 7));
          }
        }
        yield sb.append('}').toString();
      }
      default -> "";
    };
  }

  /** Which member of an AnyValue's oneof is set (the last one on the wire), with its scalar or its bytes' place. */
  private static final class AnyValueAt {
    static final int NONE = 0;
    static final int DOUBLE = 4;
    int kind = NONE;
    long scalar;
    int from;
    int to;

    /** {@code from < 0}: a KeyValue without a value, which reads as the empty AnyValue. */
    static AnyValueAt read(byte[] b, int from, int to) {
      AnyValueAt v = new AnyValueAt();
      if (from < 0) {
        return v;
      }
      ProtoReader r = new ProtoReader(b, from, to);
      while (r.more()) {
        long tag = r.varint();
        int field = (int) (tag >>> 3);
        int type = (int) (tag & 7);
        if (type == ProtoReader.LEN && (field == 1 || field == 5 || field == 6 || field == 7)) {
          int len = r.length();
          v.kind = field;
          v.from = r.pos;
          v.to = r.pos + len;
          r.pos = v.to;
        } else if (type == ProtoReader.VARINT && (field == 2 || field == 3)) {
          v.kind = field;
          v.scalar = r.varint();
        } else if (type == ProtoReader.FIXED64 && field == DOUBLE) {
          v.kind = field;
          v.scalar = r.fixed64();
        } else {
          r.skip(type); // unknown, or a member with another wire type: protobuf keeps it as an unknown field
        }
      }
      return v;
    }
  }
}
