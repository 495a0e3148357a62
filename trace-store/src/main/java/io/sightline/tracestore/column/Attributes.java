package io.sightline.tracestore.column;

import io.sightline.core.encoding.DecodeBuffer;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.sightline.core.encoding.EncodeBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of attributes as a column stores it: {@code count <uvarint>}, then per attribute
 * {@code key <uvarint dict id>, tag <1B>, value}:
 *
 * <pre>
 *   tag  value                                  tag  value
 *   0    none (KeyValue without a value)        5    int: zig-zag varint
 *   1    empty AnyValue (no oneof case set)     6    double: 8 bytes, IEEE-754 bits, big-endian
 *   2    string: uvarint dict id                7    bytes: uvarint length, bytes
 *   3    bool true                              8    array: uvarint length, ArrayValue protobuf
 *   4    bool false                             9    kvlist: uvarint length, KeyValueList protobuf
 * </pre>
 *
 * Arrays and key-value lists keep their protobuf encoding: they are rare, and no condition compares them.
 */
public final class Attributes {
  public static final int NONE = 0;
  public static final int EMPTY = 1;
  public static final int STRING = 2;
  public static final int TRUE = 3;
  public static final int FALSE = 4;
  public static final int INT = 5;
  public static final int DOUBLE = 6;
  public static final int BYTES = 7;
  public static final int ARRAY = 8;
  public static final int KVLIST = 9;

  private Attributes() {}

  public static void write(List<KeyValue> attributes, StringDictionary dict, EncodeBuffer out) {
    out.putUvarint(attributes.size());
    for (KeyValue kv : attributes) {
      out.putUvarint(dict.id(kv.getKey()));
      if (!kv.hasValue()) {
        out.putByte(NONE);
      } else {
        writeValue(kv.getValue(), dict, out);
      }
    }
  }

  public static void writeValue(AnyValue v, StringDictionary dict, EncodeBuffer out) {
    switch (v.getValueCase()) {
      case VALUE_NOT_SET -> out.putByte(EMPTY);
      case STRING_VALUE -> out.putByte(STRING).putUvarint(dict.id(v.getStringValue()));
      case BOOL_VALUE -> out.putByte(v.getBoolValue() ? TRUE : FALSE);
      case INT_VALUE -> out.putByte(INT).putVarint(v.getIntValue());
      case DOUBLE_VALUE -> out.putByte(DOUBLE).putLongBE(Double.doubleToRawLongBits(v.getDoubleValue()));
      case BYTES_VALUE -> putBytes(out.putByte(BYTES), v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> putBytes(out.putByte(ARRAY), v.getArrayValue().toByteArray());
      case KVLIST_VALUE -> putBytes(out.putByte(KVLIST), v.getKvlistValue().toByteArray());
    }
  }

  public static void putBytes(EncodeBuffer out, byte[] b) {
    out.putUvarint(b.length).putBytes(b);
  }

  public static byte[] getBytes(DecodeBuffer in) {
    return in.getBytes(length(in));
  }

  /** Skips what {@link #putBytes} wrote. */
  public static void skipBytes(DecodeBuffer in) {
    in.skip(length(in));
  }

  private static int length(DecodeBuffer in) {
    long n = in.getUvarint();
    if (n > in.remaining()) {
      throw new IllegalArgumentException("bytes of " + n + " past the end of the column");
    }
    return (int) n;
  }

  public static List<KeyValue> read(DecodeBuffer in, String[] dict) {
    int n = count(in);
    if (n == 0) {
      return List.of();
    }
    List<KeyValue> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      KeyValue.Builder kv = KeyValue.newBuilder().setKey(string(dict, in.getUvarint()));
      int tag = in.getByte();
      if (tag != NONE) {
        kv.setValue(readValue(tag, in, dict));
      }
      out.add(kv.build());
    }
    return out;
  }

  public static AnyValue readValue(int tag, DecodeBuffer in, String[] dict) {
    try {
      return switch (tag) {
        case EMPTY -> AnyValue.getDefaultInstance();
        case STRING -> AnyValue.newBuilder().setStringValue(string(dict, in.getUvarint())).build();
        case TRUE -> AnyValue.newBuilder().setBoolValue(true).build();
        case FALSE -> AnyValue.newBuilder().setBoolValue(false).build();
        case INT -> AnyValue.newBuilder().setIntValue(in.getVarint()).build();
        case DOUBLE -> AnyValue.newBuilder().setDoubleValue(Double.longBitsToDouble(in.getLongBE())).build();
        case BYTES -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(getBytes(in))).build();
        case ARRAY -> AnyValue.newBuilder().setArrayValue(ArrayValue.parseFrom(getBytes(in))).build();
        case KVLIST -> AnyValue.newBuilder().setKvlistValue(KeyValueList.parseFrom(getBytes(in))).build();
        default -> throw new IllegalArgumentException("unknown attribute value tag " + tag);
      };
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("attribute value does not parse", e);
    }
  }

  /** Skips one value of type {@code tag}. */
  public static void skipValue(int tag, DecodeBuffer in) {
    switch (tag) {
      case NONE, EMPTY, TRUE, FALSE -> { }
      case STRING -> in.getUvarint();
      case INT -> in.getVarint();
      case DOUBLE -> in.getLongBE();
      case BYTES, ARRAY, KVLIST -> skipBytes(in);
      default -> throw new IllegalArgumentException("unknown attribute value tag " + tag);
    }
  }

  /** Receives an attribute while a list is walked without building messages; the value is read by the callee. */
  public interface Visitor {
    /** Returns true to stop looking at the rest of the list (which is then skipped). */
    boolean visit(String key, int tag, DecodeBuffer in);
  }

  /** Walks a list: the visitor must read (or {@link #skipValue skip}) the value of every attribute it is given. */
  public static boolean walk(DecodeBuffer in, String[] dict, Visitor visitor) {
    int n = count(in);
    boolean found = false;
    for (int i = 0; i < n; i++) {
      String key = string(dict, in.getUvarint());
      int tag = in.getByte();
      if (found) {
        skipValue(tag, in);
      } else {
        found = visitor.visit(key, tag, in);
      }
    }
    return found;
  }

  /** Skips a whole list. */
  public static void skip(DecodeBuffer in) {
    int n = count(in);
    for (int i = 0; i < n; i++) {
      in.getUvarint();
      skipValue(in.getByte(), in);
    }
  }

  public static String string(String[] dict, long id) {
    if (id < 0 || id >= dict.length) {
      throw new IllegalArgumentException("string " + id + " is not in a dictionary of " + dict.length);
    }
    return dict[(int) id];
  }

  public static int count(DecodeBuffer in) {
    long n = in.getUvarint();
    if (n > in.remaining()) {
      throw new IllegalArgumentException("count " + n + " past the end of the column");
    }
    return (int) n;
  }
}
