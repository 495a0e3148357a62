package io.sightline.collector.processor.attributes;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.collector.config.ConfigMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An ordered list of attribute actions, as the Collector's {@code attraction} package defines them. Applied to one
 * attribute list at a time; a list no action touches is returned as it was, so unchanged items are not rebuilt.
 */
public final class AttributeActions {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");

  enum Kind { INSERT, UPDATE, UPSERT, DELETE, HASH }

  record Action(String key, Kind kind, AnyValue value, String fromAttribute) {}

  private final List<Action> actions;

  private AttributeActions(List<Action> actions) {
    this.actions = List.copyOf(actions);
  }

  /** Reads {@code key} of {@code config} (a list of actions); at least one action is required. */
  public static AttributeActions parse(ConfigMap config, String key) {
    List<ConfigMap> items = config.mapList(key);
    if (items.isEmpty()) {
      throw config.error(key, "at least one action is required");
    }
    List<Action> actions = new ArrayList<>();
    for (ConfigMap a : items) {
      a.notSupportedYet("from_context", "pattern", "converted_type");
      String attribute = a.requiredString("key");
      String kindText = a.requiredString("action");
      Kind kind;
      try {
        kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        if (kindText.equals("extract") || kindText.equals("convert")) {
          throw a.error("action", "not supported yet: action \"" + kindText + "\"");
        }
        throw a.error("action", "invalid action \"" + kindText
            + "\" (valid values: insert, update, upsert, delete, hash)");
      }
      String value = a.string("value", null);
      String from = a.string("from_attribute", null);
      a.finish();
      boolean setsValue = kind == Kind.INSERT || kind == Kind.UPDATE || kind == Kind.UPSERT;
      if (setsValue && (value == null) == (from == null)) {
        throw a.error("value", "action " + kindText + " needs exactly one of value and from_attribute");
      }
      if (!setsValue && (value != null || from != null)) {
        throw a.error(value != null ? "value" : "from_attribute", "action " + kindText + " takes no value");
      }
      actions.add(new Action(attribute, kind, value == null ? null : typed(value), from));
    }
    return new AttributeActions(actions);
  }

  /** The attributes after every action, in order; the same list if nothing changed. */
  public List<KeyValue> apply(List<KeyValue> attributes) {
    List<KeyValue> current = attributes;
    for (Action action : actions) {
      int at = indexOf(current, action.key());
      AnyValue source = action.fromAttribute() == null ? action.value() : valueOf(current, action.fromAttribute());
      switch (action.kind()) {
        case INSERT -> {
          if (at < 0 && source != null) {
            current = copy(current, attributes);
            current.add(KeyValue.newBuilder().setKey(action.key()).setValue(source).build());
          }
        }
        case UPDATE -> {
          if (at >= 0 && source != null) {
            current = copy(current, attributes);
            current.set(at, current.get(at).toBuilder().setValue(source).build());
          }
        }
        case UPSERT -> {
          if (source != null) {
            current = copy(current, attributes);
            KeyValue kv = KeyValue.newBuilder().setKey(action.key()).setValue(source).build();
            if (at >= 0) {
              current.set(at, kv);
            } else {
              current.add(kv);
            }
          }
        }
        case DELETE -> {
          if (at >= 0) {
            current = copy(current, attributes);
            current.remove(at);
          }
        }
        case HASH -> {
          if (at >= 0) {
            current = copy(current, attributes);
            current.set(at, current.get(at).toBuilder().setValue(hash(current.get(at).getValue())).build());
          }
        }
      }
    }
    return current;
  }

  /**
   * SHA-256 as lowercase hex, as the Collector computes it since it left SHA-1: strings by their UTF-8 bytes,
   * integers and doubles by their 8 big-endian bytes, booleans as one byte. Other kinds are left alone.
   */
  static AnyValue hash(AnyValue value) {
    byte[] bytes = switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue().getBytes(StandardCharsets.UTF_8);
      case INT_VALUE -> ByteBuffer.allocate(8).putLong(value.getIntValue()).array();
      case DOUBLE_VALUE -> ByteBuffer.allocate(8).putLong(Double.doubleToLongBits(value.getDoubleValue())).array();
      case BOOL_VALUE -> new byte[] {(byte) (value.getBoolValue() ? 1 : 0)};
      case BYTES_VALUE -> value.getBytesValue().toByteArray();
      default -> null;
    };
    if (bytes == null) {
      return value;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return AnyValue.newBuilder().setStringValue(HexFormat.of().formatHex(digest)).build();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A YAML scalar as the Collector types it: booleans, integers, decimals, otherwise a string. */
  static AnyValue typed(String text) {
    if (text.equals("true") || text.equals("false")) {
      return AnyValue.newBuilder().setBoolValue(Boolean.parseBoolean(text)).build();
    }
    if (INTEGER.matcher(text).matches()) {
      try {
        return AnyValue.newBuilder().setIntValue(Long.parseLong(text)).build();
      } catch (NumberFormatException tooLarge) {
        return AnyValue.newBuilder().setStringValue(text).build();
      }
    }
    if (DECIMAL.matcher(text).matches()) {
      return AnyValue.newBuilder().setDoubleValue(Double.parseDouble(text)).build();
    }
    return AnyValue.newBuilder().setStringValue(text).build();
  }

  private static List<KeyValue> copy(List<KeyValue> current, List<KeyValue> original) {
    return current == original ? new ArrayList<>(original) : current;
  }

  private static int indexOf(List<KeyValue> attributes, String key) {
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static AnyValue valueOf(List<KeyValue> attributes, String key) {
    int at = indexOf(attributes, key);
    return at < 0 ? null : attributes.get(at).getValue();
  }
}
