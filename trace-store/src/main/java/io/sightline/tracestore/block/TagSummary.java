package io.sightline.tracestore.block;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.column.Attributes;
import java.util.EnumMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attribute keys of a block's spans, events and links, each with its distinct values up to
 * {@link #MAX_VALUES_PER_KEY}: what tag lookups answer and what lets a search skip a block that lacks a key or a
 * value. Resource and scope attributes need none: the block's resource and scope tables hold them whole.
 */
public final class TagSummary {
  /** Scopes this summary covers. */
  static final List<AttributeScope> SCOPES = List.of(AttributeScope.SPAN, AttributeScope.EVENT, AttributeScope.LINK);
  /**
   * Keys with more values (ids, timestamps, URLs) are no use for skipping and would make the summary as big as the
   * column; a thousand still lists every value of the enum-like keys that searches pick from.
   */
  public static final int MAX_VALUES_PER_KEY = 1000;

  /** The values of one key; {@code complete} is false when values were left out past the cap. */
  public static final class Values {
    final LinkedHashSet<AnyValue> values = new LinkedHashSet<>();
    boolean complete = true;
    /** The encodings already added by {@link #addEncoded}: a repeat is found without parsing it. */
    private HashSet<Slice> seen;
    private final Slice probe = new Slice();

    void addEncoded(byte[] b, int from, int length) {
      if (!complete) {
        return;
      }
      if (seen == null) {
        seen = new HashSet<>();
      }
      probe.set(b, from, length);
      if (seen.contains(probe)) {
        return;
      }
      if (values.size() >= MAX_VALUES_PER_KEY) {
        complete = false;
        return;
      }
      try {
        add(AnyValue.parseFrom(com.google.protobuf.CodedInputStream.newInstance(b, from, length)));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("attribute value does not parse", e);
      }
      seen.add(new Slice().set(Arrays.copyOfRange(b, from, from + length), 0, length));
    }

    void add(AnyValue v) {
      if (complete && !values.contains(v)) {
        if (values.size() >= MAX_VALUES_PER_KEY) {
          complete = false;
        } else {
          values.add(v);
        }
      }
    }

    public Set<AnyValue> values() {
      return values;
    }

    public boolean complete() {
      return complete;
    }
  }

  private final EnumMap<AttributeScope, Map<String, Values>> scopes = new EnumMap<>(AttributeScope.class);

  TagSummary() {
    for (AttributeScope s : SCOPES) {
      scopes.put(s, new LinkedHashMap<>());
    }
  }

  void add(AttributeScope scope, List<KeyValue> attributes) {
    Map<String, Values> keys = scopes.get(scope);
    for (KeyValue kv : attributes) {
      keys.computeIfAbsent(kv.getKey(), k -> new Values()).add(kv.getValue());
    }
  }

  /** As {@link #add} for one attribute given as the encoding of its AnyValue ({@code length} 0: the empty one). */
  void addEncoded(AttributeScope scope, String key, byte[] b, int from, int length) {
    scopes.get(scope).computeIfAbsent(key, k -> new Values()).addEncoded(b, from, length);
  }

  /** A range of bytes compared by content: the key of {@link Values#seen}; the probe is reset for each lookup. */
  private static final class Slice {
    byte[] b;
    int from;
    int length;
    int hash;

    Slice set(byte[] b, int from, int length) {
      this.b = b;
      this.from = from;
      this.length = length;
      int h = 1;
      for (int i = from; i < from + length; i++) {
        h = 31 * h + b[i];
      }
      this.hash = h;
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slice s && s.length == length
          && Arrays.equals(b, from, from + length, s.b, s.from, s.from + s.length);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  void addAll(TagSummary other) {
    other.scopes.forEach((scope, keys) -> keys.forEach((key, values) -> {
      Values mine = scopes.get(scope).computeIfAbsent(key, k -> new Values());
      values.values.forEach(mine::add);
      mine.complete &= values.complete;
    }));
  }

  /** The keys of a scope (SPAN, EVENT or LINK) with their values. */
  public Map<String, Values> keys(AttributeScope scope) {
    return scopes.getOrDefault(scope, Map.of());
  }

  /**
   * Per scope: {@code keys <uvarint>}, per key: {@code key <string>, complete <1B>, values <uvarint>}, per value:
   * {@code AnyValue protobuf <uvarint length, bytes>}.
   */
  void writeTo(EncodeBuffer out) {
    for (AttributeScope s : SCOPES) {
      Map<String, Values> keys = scopes.get(s);
      out.putUvarint(keys.size());
      keys.forEach((key, values) -> {
        out.putString(key).putByte(values.complete ? 1 : 0).putUvarint(values.values.size());
        for (AnyValue v : values.values) {
          Attributes.putBytes(out, v.toByteArray());
        }
      });
    }
  }

  static TagSummary read(DecodeBuffer in) {
    TagSummary t = new TagSummary();
    try {
      for (AttributeScope s : SCOPES) {
        int keys = Attributes.count(in);
        Map<String, Values> map = t.scopes.get(s);
        for (int i = 0; i < keys; i++) {
          String key = in.getString();
          Values values = new Values();
          values.complete = in.getByte() == 1;
          int n = Attributes.count(in);
          for (int j = 0; j < n; j++) {
            values.values.add(AnyValue.parseFrom(Attributes.getBytes(in)));
          }
          map.put(key, values);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("tag summary value does not parse", e);
    }
    return t;
  }
}
