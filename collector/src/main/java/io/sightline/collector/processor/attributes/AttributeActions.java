package io.sightline.collector.processor.attributes;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.collector.config.ConfigMap;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An ordered list of attribute actions, as the Collector's {@code attraction} package defines them, shared by the
 * {@code attributes} processor (items' attributes) and the {@code resource} processor (resources' attributes).
 *
 * <p>Applied to one attribute list at a time. A list that no action touches is returned as the same instance, so
 * that callers can tell, without comparing, that an item need not be rebuilt.
 */
public final class AttributeActions {
  /** yaml.v3's float form (the Collector reads configs with it), tested after underscores are removed. */
  private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern YAML_INT = Pattern.compile("[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)");
  private static final HexFormat HEX = HexFormat.of();

  enum Kind { INSERT, UPDATE, UPSERT, DELETE, HASH }

  /** One action; {@code key} may be null for delete and hash with a {@code pattern}. */
  record Action(String key, Kind kind, AnyValue value, String fromAttribute, Pattern pattern) {}

  private final List<Action> actions;

  private AttributeActions(List<Action> actions) {
    this.actions = List.copyOf(actions);
  }

  /**
   * Reads the list of actions under {@code key} of {@code config}. At least one is required, as in the Collector: a
   * processor that does nothing is more likely a mistake than an intent.
   */
  public static AttributeActions parse(ConfigMap config, String key) {
    List<ConfigMap> items = config.mapList(key);
    if (items.isEmpty()) {
      throw config.error(key, "at least one action is required");
    }
    List<Action> actions = new ArrayList<>(items.size());
    for (ConfigMap item : items) {
      actions.add(parseAction(item));
    }
    return new AttributeActions(actions);
  }

  private static Action parseAction(ConfigMap a) {
    a.notSupportedYet("from_context", "converted_type");
    String kindText = a.requiredString("action");
    // The Collector lower-cases the action, so INSERT and Insert are valid too.
    Kind kind = switch (kindText.toLowerCase(Locale.ROOT)) {
      case "insert" -> Kind.INSERT;
      case "update" -> Kind.UPDATE;
      case "upsert" -> Kind.UPSERT;
      case "delete" -> Kind.DELETE;
      case "hash" -> Kind.HASH;
      case "extract", "convert" -> throw a.error("action", "not supported yet: action \"" + kindText + "\"");
      default -> throw a.error("action",
          "invalid action \"" + kindText + "\" (valid values: insert, update, upsert, delete, hash)");
    };
    String key = a.string("key", null);
    String value = a.string("value", null);
    String from = a.string("from_attribute", null);
    String pattern = a.string("pattern", null);
    a.finish();
    key = key == null || key.isEmpty() ? null : key;
    from = from == null || from.isEmpty() ? null : from;
    pattern = pattern == null || pattern.isEmpty() ? null : pattern;
    String name = kind.name().toLowerCase(Locale.ROOT);
    switch (kind) {
      case INSERT, UPDATE, UPSERT -> {
        if (key == null) {
          throw a.error("key", "is required");
        }
        if (value == null && from == null) {
          throw a.error("value", "action " + name + " needs exactly one of value and from_attribute");
        }
        if (value != null && from != null) {
          throw a.error("from_attribute", "action " + name + " needs exactly one of value and from_attribute");
        }
        if (pattern != null) {
          throw a.error("pattern", "action " + name + " does not use pattern (only delete and hash do)");
        }
      }
      case DELETE, HASH -> {
        if (key == null && pattern == null) {
          throw a.error("key", "is required (or pattern) for action " + name);
        }
        if (value != null || from != null) {
          throw a.error(value != null ? "value" : "from_attribute", "action " + name + " takes no value");
        }
      }
    }
    Pattern compiled = null;
    if (pattern != null) {
      try {
        compiled = Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw a.error("pattern", "invalid regular expression: " + e.getDescription());
      }
    }
    return new Action(key, kind, value == null ? null : typed(value), from, compiled);
  }

  /** The attributes after every action, in order; the very same list if nothing changed. */
  public List<KeyValue> apply(List<KeyValue> attributes) {
    List<KeyValue> current = attributes;
    for (Action action : actions) {
      current = switch (action.kind()) {
        case INSERT, UPDATE, UPSERT -> set(action, current, attributes);
        case DELETE -> delete(action, current, attributes);
        case HASH -> hash(action, current, attributes);
      };
    }
    return current;
  }

  private static List<KeyValue> set(Action action, List<KeyValue> current, List<KeyValue> original) {
    // A missing from_attribute is no value at all, and then the Collector does nothing.
    AnyValue source = action.fromAttribute() == null ? action.value() : valueOf(current, action.fromAttribute());
    if (source == null) {
      return current;
    }
    int at = indexOf(current, action.key());
    if (at >= 0 ? action.kind() == Kind.INSERT : action.kind() == Kind.UPDATE) {
      return current;
    }
    List<KeyValue> out = writable(current, original);
    if (at >= 0) {
      // In place, as the Collector updates: the attribute keeps its position.
      out.set(at, out.get(at).toBuilder().setValue(source).build());
    } else {
      out.add(KeyValue.newBuilder().setKey(action.key()).setValue(source).build());
    }
    return out;
  }

  private static List<KeyValue> delete(Action action, List<KeyValue> current, List<KeyValue> original) {
    List<KeyValue> out = current;
    for (int i = current.size() - 1; i >= 0; i--) {
      if (matches(action, current.get(i).getKey())) {
        out = writable(out, original);
        out.remove(i);
      }
    }
    return out;
  }

  /**
   * Hashes the attribute named {@code key} and every attribute whose name matches {@code pattern}, each once (the
   * Collector hashes an attribute matched by both twice, which no one can have meant).
   */
  private static List<KeyValue> hash(Action action, List<KeyValue> current, List<KeyValue> original) {
    List<KeyValue> out = current;
    for (int i = 0; i < current.size(); i++) {
      KeyValue kv = current.get(i);
      if (matches(action, kv.getKey())) {
        out = writable(out, original);
        out.set(i, kv.toBuilder().setValue(hash(kv.getValue())).build());
      }
    }
    return out;
  }

  private static boolean matches(Action action, String key) {
    // Unanchored, as Go's regexp.MatchString the Collector uses.
    return key.equals(action.key()) || action.pattern() != null && action.pattern().matcher(key).find();
  }

  /**
   * The Collector's {@code sha2Hasher}: SHA-256 as lowercase hex, over the UTF-8 bytes of a string, the 8
   * little-endian bytes of an integer or of a double's IEEE bits, or one byte (1 or 0) of a boolean. It has used
   * SHA-256 since the {@code coreinternal.attraction.hash.sha256} feature gate became the default; SHA-1 is gone.
   * Matching it byte for byte keeps hashed values joinable across a migration from the Collector.
   *
   * <p>Any other kind (bytes, arrays, maps, empty) becomes the empty string, as there: a value that cannot be hashed
   * must not pass through in the clear.
   */
  static AnyValue hash(AnyValue value) {
    byte[] bytes = switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue().getBytes(StandardCharsets.UTF_8);
      case INT_VALUE -> littleEndian(value.getIntValue());
      case DOUBLE_VALUE -> littleEndian(Double.doubleToRawLongBits(value.getDoubleValue()));
      case BOOL_VALUE -> new byte[] {(byte) (value.getBoolValue() ? 1 : 0)};
      default -> new byte[0];
    };
    // Go's hasher skips an empty input, so the empty string hashes to the empty string, not to SHA-256("").
    String hashed = bytes.length == 0 ? "" : HEX.formatHex(sha256().digest(bytes));
    return AnyValue.newBuilder().setStringValue(hashed).build();
  }

  private static byte[] littleEndian(long v) {
    return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * A YAML scalar typed as the Collector's YAML reader (yaml.v3) types an untyped value: {@code true}/{@code false}
   * in any of YAML's three spellings, integers (decimal, {@code 0x}, {@code 0o}, {@code 0b}, a leading-zero octal,
   * {@code _} separators), floats (with {@code .inf} and {@code .nan}); anything else is a string.
   *
   * <p>The config tree keeps scalars as text and does not record quoting, so {@code "42"} is typed as {@code 42} is:
   * an integer, where the Collector would keep the quoted one a string.
   */
  static AnyValue typed(String text) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (text) {
      case "true", "True", "TRUE" -> {
        return v.setBoolValue(true).build();
      }
      case "false", "False", "FALSE" -> {
        return v.setBoolValue(false).build();
      }
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" -> {
        return v.setDoubleValue(Double.POSITIVE_INFINITY).build();
      }
      case "-.inf", "-.Inf", "-.INF" -> {
        return v.setDoubleValue(Double.NEGATIVE_INFINITY).build();
      }
      case ".nan", ".NaN", ".NAN" -> {
        return v.setDoubleValue(Double.NaN).build();
      }
      default -> { }
    }
    String plain = text.indexOf('_') >= 0 ? text.replace("_", "") : text;
    if (!plain.isEmpty() && YAML_INT.matcher(plain).matches()) {
      Long n = parseGoInt(plain);
      if (n != null) {
        return v.setIntValue(n).build();
      }
    }
    if (!plain.isEmpty() && YAML_FLOAT.matcher(plain).matches()) {
      return v.setDoubleValue(Double.parseDouble(plain)).build();
    }
    return v.setStringValue(text).build();
  }

  /** Go's {@code strconv.ParseInt(s, 0, 64)}: base from the prefix, a bare leading 0 meaning octal; null if invalid. */
  private static Long parseGoInt(String s) {
    boolean negative = s.startsWith("-");
    String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    int radix = 10;
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      switch (Character.toLowerCase(digits.charAt(1))) {
        case 'x' -> { radix = 16; digits = digits.substring(2); }
        case 'o' -> { radix = 8; digits = digits.substring(2); }
        case 'b' -> { radix = 2; digits = digits.substring(2); }
        default -> { radix = 8; digits = digits.substring(1); }
      }
    }
    BigInteger n;
    try {
      n = new BigInteger(digits, radix);
    } catch (NumberFormatException e) {
      return null; // "018": not octal; yaml.v3 then reads it as the float 18
    }
    if (negative) {
      n = n.negate();
    }
    return n.bitLength() < Long.SIZE ? n.longValue() : null;
  }

  private static List<KeyValue> writable(List<KeyValue> current, List<KeyValue> original) {
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

  /**
   * {@code items} with {@code f} applied to each; the same list if {@code f} returned every item as it was, so that
   * processors rebuild only what an action changed.
   */
  public static <C> List<C> mapEach(List<C> items, java.util.function.UnaryOperator<C> f) {
    List<C> out = null;
    for (int i = 0; i < items.size(); i++) {
      C before = items.get(i);
      C after = f.apply(before);
      if (after != before) {
        if (out == null) {
          out = new ArrayList<>(items);
        }
        out.set(i, after);
      }
    }
    return out == null ? items : out;
  }
}
