package io.sightline.collector.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML mapping, and the binder that turns it into a component's config record.
 *
 * <p>A component reads the keys it knows with the typed getters, each with its default, and then calls
 * {@link #finish()}: any key it did not read is a mistake in the file (a typo, or an option of the original
 * system that Sightline does not have) and fails the start with its location. Binding is therefore one
 * explicit method per config record, with no reflection and no annotations.
 */
public final class ConfigMap implements ConfigNode {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)");
  private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B?|B)?", Pattern.CASE_INSENSITIVE);

  private final String path;
  private final Location location;
  private final Map<String, ConfigNode> entries;
  private final Map<String, Location> keyLocations;
  private final Set<String> read = new LinkedHashSet<>();

  /**
   * @param keyLocations where each key was written; a key without one is located at its value
   */
  public ConfigMap(String path, Location location, Map<String, ConfigNode> entries, Map<String, Location> keyLocations) {
    this.path = path;
    this.location = location;
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    this.keyLocations = Map.copyOf(keyLocations);
  }

  public ConfigMap(String path, Location location, Map<String, ConfigNode> entries) {
    this(path, location, entries, Map.of());
  }

  public static ConfigMap empty(String path, Location location) {
    return new ConfigMap(path, location, Map.of());
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Location location() {
    return location;
  }

  @Override
  public String kind() {
    return "a map";
  }

  public Map<String, ConfigNode> entries() {
    return entries;
  }

  public Set<String> keys() {
    return entries.keySet();
  }

  public boolean has(String key) {
    return entries.containsKey(key);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The raw node under {@code key}, marked as read. */
  public Optional<ConfigNode> node(String key) {
    read.add(key);
    return Optional.ofNullable(entries.get(key));
  }

  public String string(String key, String defaultValue) {
    return scalar(key).map(ConfigScalar::value).orElse(defaultValue);
  }

  public String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(location, ConfigNode.child(path, key), "is required");
    }
    return value;
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<ConfigScalar> s = scalar(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    return switch (s.get().value().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(s.get(), "expected true or false");
    };
  }

  public long longValue(String key, long defaultValue) {
    Optional<ConfigScalar> s = scalar(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(s.get().value().strip());
    } catch (NumberFormatException e) {
      throw invalid(s.get(), "expected an integer");
    }
  }

  public int intValue(String key, int defaultValue) {
    long value = longValue(key, defaultValue);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new ConfigException(locationOf(key), ConfigNode.child(path, key), "out of range: " + value);
    }
    return (int) value;
  }

  public double doubleValue(String key, double defaultValue) {
    Optional<ConfigScalar> s = scalar(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(s.get().value().strip());
    } catch (NumberFormatException e) {
      throw invalid(s.get(), "expected a number");
    }
  }

  /** A Go-style duration as the Collector writes them: {@code 200ms}, {@code 1m30s}, {@code 0}. */
  public Duration duration(String key, Duration defaultValue) {
    Optional<ConfigScalar> s = scalar(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    Duration parsed = parseDuration(s.get().value());
    if (parsed == null) {
      throw invalid(s.get(), "expected a duration such as 200ms, 5s or 1m30s");
    }
    return parsed;
  }

  /** A size in bytes: a plain integer, or with a unit ({@code 512KiB}, {@code 20MiB}, {@code 1GB}). */
  public long bytes(String key, long defaultValue) {
    Optional<ConfigScalar> s = scalar(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    Matcher m = BYTES.matcher(s.get().value().strip());
    if (!m.matches()) {
      throw invalid(s.get(), "expected a size in bytes such as 20971520 or 20MiB");
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(java.util.Locale.ROOT);
    long multiplier = switch (unit.replace("B", "").replace("I", "")) {
      case "" -> 1L;
      case "K" -> unit.contains("I") ? 1L << 10 : 1_000L;
      case "M" -> unit.contains("I") ? 1L << 20 : 1_000_000L;
      case "G" -> unit.contains("I") ? 1L << 30 : 1_000_000_000L;
      case "T" -> unit.contains("I") ? 1L << 40 : 1_000_000_000_000L;
      default -> throw invalid(s.get(), "unknown size unit " + unit);
    };
    return (long) (number * multiplier);
  }

  /**
   * {@code host:port}, {@code :port} (all interfaces) or {@code [::1]:port}. Port 0 picks a free port. The
   * address is left unresolved: it is resolved when the port is opened.
   */
  public InetSocketAddress hostPort(String key, String defaultValue) {
    String text = string(key, defaultValue);
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw error(key, "expected host:port, got \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw error(key, "invalid port in \"" + text + "\"");
    }
    if (port < 0 || port > 65535) {
      throw error(key, "port out of range in \"" + text + "\"");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : InetSocketAddress.createUnresolved(host, port);
  }
  /** The map under {@code key}; an absent or null entry reads as an empty map, as the Collector treats it. */
  public ConfigMap map(String key) {
    ConfigNode node = node(key).orElse(null);
    String childPath = ConfigNode.child(path, key);
    if (node == null || node instanceof ConfigScalar s && isBlank(s)) {
      return empty(childPath, node == null ? location : node.location());
    }
    if (node instanceof ConfigMap m) {
      return m;
    }
    throw new ConfigException(node.location(), childPath, "expected a map, got " + node.kind());
  }

  public List<String> stringList(String key) {
    ConfigNode node = node(key).orElse(null);
    if (node == null || node instanceof ConfigScalar s && isBlank(s)) {
      return List.of();
    }
    if (!(node instanceof ConfigList list)) {
      throw new ConfigException(node.location(), node.path(), "expected a list, got " + node.kind());
    }
    List<String> values = new ArrayList<>(list.items().size());
    for (ConfigNode item : list.items()) {
      if (!(item instanceof ConfigScalar s) || s.isNull()) {
        throw new ConfigException(item.location(), item.path(), "expected a value, got " + item.kind());
      }
      values.add(s.value());
    }
    return values;
  }

  public List<ConfigMap> mapList(String key) {
    ConfigNode node = node(key).orElse(null);
    if (node == null || node instanceof ConfigScalar s && isBlank(s)) {
      return List.of();
    }
    if (!(node instanceof ConfigList list)) {
      throw new ConfigException(node.location(), node.path(), "expected a list, got " + node.kind());
    }
    List<ConfigMap> values = new ArrayList<>(list.items().size());
    for (ConfigNode item : list.items()) {
      if (!(item instanceof ConfigMap m)) {
        throw new ConfigException(item.location(), item.path(), "expected a map, got " + item.kind());
      }
      values.add(m);
    }
    return values;
  }

  /**
   * Fails for options the original system has and Sightline does not yet: better a clear refusal than a
   * setting that is silently ignored.
   */
  public void notSupportedYet(String... keys) {
    for (String key : keys) {
      if (entries.containsKey(key)) {
        throw new ConfigException(keyLocation(key), ConfigNode.child(path, key), "not supported yet: " + key);
      }
    }
  }

  /** Fails on the first key that no getter has read: a typo, or an option this component does not have. */
  public void finish() {
    for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
      if (!read.contains(e.getKey())) {
        List<String> valid = new ArrayList<>(read);
        throw new ConfigException(keyLocation(e.getKey()), ConfigNode.child(path, e.getKey()),
            "unknown key \"" + e.getKey() + "\"" + (valid.isEmpty() ? "" : " (valid keys: " + String.join(", ", valid) + ")"));
      }
    }
  }

  /** An error about the value under {@code key}, located where it was written. */
  public ConfigException error(String key, String problem) {
    return new ConfigException(locationOf(key), ConfigNode.child(path, key), problem);
  }

  /** Where the value under {@code key} was written (for errors about the value). */
  public Location locationOf(String key) {
    ConfigNode node = entries.get(key);
    return node == null ? location : node.location();
  }

  /** Where {@code key} itself was written (for errors about the key: unknown, unsupported, a bad component id). */
  public Location keyLocation(String key) {
    Location at = keyLocations.get(key);
    return at != null ? at : locationOf(key);
  }

  /**
   * This map with {@code overlay} laid over it, as the Collector merges several config files: maps merge key by
   * key, anything else (values, lists) is replaced.
   */
  public ConfigMap mergedWith(ConfigMap overlay) {
    Map<String, ConfigNode> merged = new LinkedHashMap<>(entries);
    Map<String, Location> keys = new LinkedHashMap<>(keyLocations);
    keys.putAll(overlay.keyLocations);
    for (Map.Entry<String, ConfigNode> e : overlay.entries.entrySet()) {
      ConfigNode mine = merged.get(e.getKey());
      ConfigNode theirs = e.getValue().withPath(ConfigNode.child(path, e.getKey()));
      if (mine instanceof ConfigMap a && theirs instanceof ConfigMap b) {
        merged.put(e.getKey(), a.mergedWith(b));
      } else {
        merged.put(e.getKey(), theirs);
      }
    }
    return new ConfigMap(path, location, merged, keys);
  }

  /** This map with one entry replaced or removed ({@code value == null}). */
  public ConfigMap with(String key, ConfigNode value) {
    return with(key, value, null);
  }

  /** This map with one entry replaced, its key located at {@code keyAt} (or at its value when null). */
  public ConfigMap with(String key, ConfigNode value, Location keyAt) {
    Map<String, ConfigNode> copy = new LinkedHashMap<>(entries);
    Map<String, Location> keys = new LinkedHashMap<>(keyLocations);
    keys.remove(key);
    if (keyAt != null) {
      keys.put(key, keyAt);
    }
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, value.withPath(ConfigNode.child(path, key)));
    }
    return new ConfigMap(path, location, copy, keys);
  }

  @Override
  public ConfigMap withPath(String newPath) {
    Map<String, ConfigNode> moved = new LinkedHashMap<>();
    entries.forEach((k, v) -> moved.put(k, v.withPath(ConfigNode.child(newPath, k))));
    return new ConfigMap(newPath, location, moved, keyLocations);
  }

  /** Parses a Go/Prometheus duration; {@code null} if it is not one. A bare {@code 0} is allowed. */
  public static Duration parseDuration(String text) {
    String s = text == null ? "" : text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION_PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      double n = Double.parseDouble(m.group(1));
      long nanosPerUnit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        case "d" -> 86_400_000_000_000L;
        case "w" -> 7 * 86_400_000_000_000L;
        default -> 365 * 86_400_000_000_000L;
      };
      total = total.plusNanos((long) (n * nanosPerUnit));
      at = m.end();
    }
    return s.isEmpty() ? null : total;
  }

  /** {@code key:} with nothing after it; the YAML parser gives null or an empty string depending on position. */
  private static boolean isBlank(ConfigScalar s) {
    return s.isNull() || s.value().isEmpty();
  }

  private Optional<ConfigScalar> scalar(String key) {
    ConfigNode node = node(key).orElse(null);
    if (node == null) {
      return Optional.empty();
    }
    if (node instanceof ConfigScalar s) {
      return s.isNull() ? Optional.empty() : Optional.of(s);
    }
    throw new ConfigException(node.location(), node.path(), "expected a value, got " + node.kind());
  }

  private ConfigException invalid(ConfigScalar s, String expected) {
    return new ConfigException(s.location(), s.path(), "invalid value \"" + s.value() + "\": " + expected);
  }

  @Override
  public String toString() {
    return "ConfigMap" + entries;
  }
}
