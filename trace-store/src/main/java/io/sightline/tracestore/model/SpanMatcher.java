package io.sightline.tracestore.model;

import io.sightline.core.encoding.ProtoReader;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.Condition;
import java.util.List;

/**
 * Evaluates a request's conditions on spans in memory, as a bit mask (bit i set: condition i holds for this span).
 * A trace may match when the union of its spans' masks is {@link #all()}. Values compare as {@link Condition} says.
 */
public final class SpanMatcher {
  private final List<Condition> conditions;
  private final ValueMatcher[] values;
  private final long all;
  /** {@link #groupMask} by group instance; a matcher serves one fetch, on one thread. */
  private final java.util.IdentityHashMap<SpanGroup, Long> groupMasks = new java.util.IdentityHashMap<>();
  /** Each condition's key and value as UTF-8, for comparing with encodings. */
  private final byte[][] keys;
  private final byte[][] bytes;

  public SpanMatcher(List<Condition> conditions) {
    this.conditions = conditions;
    this.values = new ValueMatcher[conditions.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = new ValueMatcher(conditions.get(i).equalsValue());
    }
    this.all = conditions.size() == Long.SIZE ? -1L : (1L << conditions.size()) - 1;
    this.keys = new byte[conditions.size()][];
    this.bytes = new byte[conditions.size()][];
    for (int i = 0; i < keys.length; i++) {
      Condition c = conditions.get(i);
      keys[i] = c.key() == null ? new byte[0] : c.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      bytes[i] = c.equalsValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The mask with every condition's bit. Zero when there are no conditions. */
  public long all() {
    return all;
  }

  public ValueMatcher value(int condition) {
    return values[condition];
  }

  /**
   * The bits of the conditions that hold by the group alone: resource and instrumentation attributes, the service
   * name, and span-or-resource attributes through the resource.
   */
  public long groupMask(SpanGroup group) {
    long m = 0;
    for (int i = 0; i < values.length; i++) {
      Condition c = conditions.get(i);
      boolean hit;
      if (c.intrinsic() != null) {
        hit = c.intrinsic() == Condition.Intrinsic.SERVICE_NAME && group.serviceName().equals(c.equalsValue());
      } else if (c.scope() == null || c.scope() == AttributeScope.RESOURCE) {
        hit = any(group.resource().getResource().getAttributesList(), c.key(), values[i]);
      } else if (c.scope() == AttributeScope.INSTRUMENTATION) {
        hit = any(group.scope().getScope().getAttributesList(), c.key(), values[i]);
      } else {
        hit = false;
      }
      if (hit) {
        m |= 1L << i;
      }
    }
    return m;
  }

  public List<Condition> conditions() {
    return conditions;
  }

  public long mask(SpanRef ref) {
    if (values.length == 0) {
      return 0;
    }
    if (ref.encoding() != null) {
      // The spans of one scope of one append share their group instance: its bits are worked out once.
      Long group = groupMasks.computeIfAbsent(ref.group(), this::groupMask);
      return group | wireMask(ref.encoding());
    }
    Span span = ref.span();
    long m = 0;
    for (int i = 0; i < values.length; i++) {
      if (matches(i, ref, span)) {
        m |= 1L << i;
      }
    }
    return m;
  }

  private boolean matches(int i, SpanRef ref, Span span) {
    Condition c = conditions.get(i);
    ValueMatcher v = values[i];
    if (c.intrinsic() != null) {
      return switch (c.intrinsic()) {
        case NAME -> span.getName().equals(c.equalsValue());
        case SERVICE_NAME -> ref.group().serviceName().equals(c.equalsValue());
        case STATUS -> span.getStatus().getCodeValue() == c.code();
        case KIND -> span.getKindValue() == c.code();
      };
    }
    AttributeScope scope = c.scope();
    if (scope == null) {
      return any(span.getAttributesList(), c.key(), v)
          || any(ref.group().resource().getResource().getAttributesList(), c.key(), v);
    }
    return switch (scope) {
      case SPAN -> any(span.getAttributesList(), c.key(), v);
      case RESOURCE -> any(ref.group().resource().getResource().getAttributesList(), c.key(), v);
      case INSTRUMENTATION -> any(ref.group().scope().getScope().getAttributesList(), c.key(), v);
      case EVENT -> span.getEventsList().stream().anyMatch(e -> any(e.getAttributesList(), c.key(), v));
      case LINK -> span.getLinksList().stream().anyMatch(l -> any(l.getAttributesList(), c.key(), v));
    };
  }

  /**
   * The bits of the span-level conditions, read from a head span's encoding without parsing it: names, keys and
   * values are compared as bytes, and only the value of an attribute whose key matches is parsed.
   */
  private long wireMask(byte[] b) {
    int nameFrom = -1;
    int nameTo = -1;
    long kind = 0;
    long status = 0;
    int[] repeated = new int[24]; // (field, from, to) of attributes, events and links
    int n = 0;
    ProtoReader c = new ProtoReader(b, 0, b.length);
    while (c.more()) {
      long tag = c.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (type == ProtoReader.LEN && (field == 5 || field == 9 || field == 11 || field == 13 || field == 15)) {
        int len = c.length();
        if (field == 5) {
          nameFrom = c.pos;
          nameTo = c.pos + len;
        } else if (field == 15) {
          status = statusCode(b, c.pos, c.pos + len);
        } else {
          if (3 * n + 3 > repeated.length) {
            repeated = java.util.Arrays.copyOf(repeated, repeated.length * 2);
          }
          repeated[3 * n] = field;
          repeated[3 * n + 1] = c.pos;
          repeated[3 * n + 2] = c.pos + len;
          n++;
        }
        c.pos += len;
      } else if (type == ProtoReader.VARINT && field == 6) {
        kind = (int) c.varint();
      } else {
        c.skip(type);
      }
    }
    long m = 0;
    for (int i = 0; i < values.length; i++) {
      Condition cond = conditions.get(i);
      boolean hit;
      if (cond.intrinsic() != null) {
        hit = switch (cond.intrinsic()) {
          case NAME -> java.util.Arrays.equals(b, Math.max(nameFrom, 0), Math.max(nameTo, 0), bytes[i], 0,
              bytes[i].length);
          case STATUS -> status == cond.code();
          case KIND -> kind == cond.code();
          case SERVICE_NAME -> false; // the group's
        };
      } else if (cond.scope() == null || cond.scope() == AttributeScope.SPAN) {
        hit = anyWire(b, repeated, n, 9, i, 0);
      } else if (cond.scope() == AttributeScope.EVENT) {
        hit = anyWire(b, repeated, n, 11, i, 3);
      } else if (cond.scope() == AttributeScope.LINK) {
        hit = anyWire(b, repeated, n, 13, i, 4);
      } else {
        hit = false; // resource and instrumentation: the group's
      }
      if (hit) {
        m |= 1L << i;
      }
    }
    return m;
  }

  /** Status field 3 (code) of a Status encoding. */
  private static long statusCode(byte[] b, int from, int to) {
    long code = 0;
    ProtoReader c = new ProtoReader(b, from, to);
    while (c.more()) {
      long tag = c.varint();
      if (tag == ((3 << 3) | ProtoReader.VARINT)) {
        code = (int) c.varint();
      } else {
        c.skip((int) (tag & 7));
      }
    }
    return code;
  }

  /**
   * Whether an attribute of the span (field 9; {@code nested} 0), or of one of its events (11; their field 3) or
   * links (13; their field 4), has condition {@code i}'s key and value.
   */
  private boolean anyWire(byte[] b, int[] repeated, int n, int field, int i, int nested) {
    for (int r = 0; r < n; r++) {
      if (repeated[3 * r] != field) {
        continue;
      }
      if (nested == 0) {
        if (keyValueMatches(b, repeated[3 * r + 1], repeated[3 * r + 2], i)) {
          return true;
        }
        continue;
      }
      ProtoReader c = new ProtoReader(b, repeated[3 * r + 1], repeated[3 * r + 2]);
      while (c.more()) {
        long tag = c.varint();
        if (tag == ((long) nested << 3 | ProtoReader.LEN)) {
          int len = c.length();
          if (keyValueMatches(b, c.pos, c.pos + len, i)) {
            return true;
          }
          c.pos += len;
        } else {
          c.skip((int) (tag & 7));
        }
      }
    }
    return false;
  }

  /** A KeyValue encoding (1 key, 2 value) against condition {@code i}. */
  private boolean keyValueMatches(byte[] b, int from, int to, int i) {
    int[] at = WireFields.keyValue(b, from, to);
    int keyFrom = at[0];
    int keyTo = at[1];
    int valueFrom = at[2];
    int valueTo = at[3];
    if (keyFrom < 0 || !java.util.Arrays.equals(b, keyFrom, keyTo, keys[i], 0, keys[i].length)) {
      return false;
    }
    try {
      AnyValue v = valueFrom < 0 ? AnyValue.getDefaultInstance()
          : AnyValue.parseFrom(com.google.protobuf.CodedInputStream.newInstance(b, valueFrom, valueTo - valueFrom));
      return values[i].matches(v);
    } catch (java.io.IOException e) {
      return true; // cannot judge it: never a reason to skip
    }
  }

  private static boolean any(List<KeyValue> attributes, String key, ValueMatcher v) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key) && v.matches(kv.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** One condition's value, parsed once into each type it could equal. */
  public static final class ValueMatcher {
    private final String text;
    private final Long asLong;
    private final Double asDouble;
    private final Boolean asBool;

    ValueMatcher(String text) {
      this.text = text;
      this.asLong = parseLong(text);
      this.asDouble = parseDouble(text);
      this.asBool = text.equalsIgnoreCase("true") ? Boolean.TRUE : text.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }

    public String text() {
      return text;
    }

    public boolean matches(AnyValue value) {
      return switch (value.getValueCase()) {
        case STRING_VALUE -> value.getStringValue().equals(text);
        case INT_VALUE -> matchesInt(value.getIntValue());
        case DOUBLE_VALUE -> matchesDouble(value.getDoubleValue());
        case BOOL_VALUE -> matchesBool(value.getBoolValue());
        // Not comparable to a string here: never a reason to skip.
        case BYTES_VALUE, ARRAY_VALUE, KVLIST_VALUE -> true;
        case VALUE_NOT_SET -> false;
      };
    }

    public boolean matchesInt(long v) {
      return asLong != null && asLong == v || asDouble != null && asDouble == (double) v;
    }

    public boolean matchesDouble(double v) {
      return asDouble != null && asDouble == v;
    }

    public boolean matchesBool(boolean v) {
      return asBool != null && asBool == v;
    }

    private static Long parseLong(String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private static Double parseDouble(String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
