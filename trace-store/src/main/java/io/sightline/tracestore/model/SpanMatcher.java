package io.sightline.tracestore.model;

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

  public SpanMatcher(List<Condition> conditions) {
    this.conditions = conditions;
    this.values = new ValueMatcher[conditions.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = new ValueMatcher(conditions.get(i).equalsValue());
    }
    this.all = conditions.size() == Long.SIZE ? -1L : (1L << conditions.size()) - 1;
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
    Span span = ref.span(); // once: a head span is parsed on every call
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
