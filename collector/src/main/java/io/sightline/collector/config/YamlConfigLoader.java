package io.sightline.collector.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML into a {@link ConfigNode} tree that keeps the line and column of every value. Jackson's streaming
 * parser is used rather than a data-binding tree because only the token stream still knows where each value was.
 *
 * <p>Scalars may reference the environment as the Collector allows: {@code ${env:NAME}}, {@code ${NAME}} and
 * {@code ${env:NAME:-default}}. An unset variable without a default is an error, not an empty string.
 */
public final class YamlConfigLoader {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  /** {@code ${NAME}}, {@code ${env:NAME}}, {@code ${NAME:-default}}; and {@code $$}, the Collector's escape for {@code $}. */
  private static final Pattern ENV = Pattern.compile("\\$\\$|\\$\\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final UnaryOperator<String> environment;

  public YamlConfigLoader(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  public static YamlConfigLoader withSystemEnvironment() {
    return new YamlConfigLoader(System::getenv);
  }

  public ConfigMap load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** Parses a whole document; {@code source} names it in errors. An empty document is an empty map. */
  public ConfigMap parse(String source, String text) {
    return parse(source, text, true);
  }

  private ConfigMap parse(String source, String text, boolean positions) {
    try (Reader reader = new StringReader(text); JsonParser parser = YAML.createParser(reader)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return ConfigMap.empty("", Location.of(source));
      }
      ConfigNode root = read(parser, source, "", positions);
      if (!(root instanceof ConfigMap map)) {
        throw new ConfigException(root.location(), "", "the top level must be a map of keys, got " + root.kind());
      }
      return map;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      Location where = at == null ? Location.of(source) : new Location(source, at.getLineNr(), at.getColumnNr());
      throw new ConfigException(where + ": invalid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(source + ": " + e.getMessage());
    }
  }

  /**
   * A single value as given on the command line ({@code --set key=value}); the value is read as YAML so that
   * lists and maps can be set too.
   */
  public ConfigNode parseValue(String source, String path, String text) {
    // Positions inside a one-line value would only confuse: the flag itself is the location.
    ConfigMap wrapper = parse(source, "v: " + (text.isEmpty() ? "\"\"" : text), false);
    ConfigNode value = wrapper.entries().get("v");
    return value.withPath(path);
  }

  private ConfigNode read(JsonParser parser, String source, String path, boolean positions) throws IOException {
    JsonToken token = parser.currentToken();
    Location location = positions ? locationOf(parser, source) : Location.of(source);
    switch (token) {
      case START_OBJECT -> {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Map<String, Location> keyLocations = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          Location keyLocation = positions ? locationOf(parser, source) : Location.of(source);
          if (entries.containsKey(key)) {
            throw new ConfigException(keyLocation, ConfigNode.child(path, key), "duplicate key");
          }
          keyLocations.put(key, keyLocation);
          parser.nextToken();
          entries.put(key, read(parser, source, ConfigNode.child(path, key), positions));
        }
        return new ConfigMap(path, location, entries, keyLocations);
      }
      case START_ARRAY -> {
        List<ConfigNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser, source, path + "[" + items.size() + "]", positions));
        }
        return new ConfigList(path, location, items);
      }
      case VALUE_NULL -> {
        return new ConfigScalar(path, location, null);
      }
      default -> {
        return new ConfigScalar(path, location, expand(parser.getText(), location, path));
      }
    }
  }

  private String expand(String value, Location location, String path) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    Matcher m = ENV.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      if (m.group(1) == null) {
        m.appendReplacement(out, "\\$");
        continue;
      }
      String resolved = environment.apply(m.group(1));
      if (resolved == null) {
        resolved = m.group(2);
      }
      if (resolved == null) {
        throw new ConfigException(location, path, "environment variable " + m.group(1) + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Location locationOf(JsonParser parser, String source) {
    JsonLocation at = parser.currentTokenLocation();
    return new Location(source, at.getLineNr(), at.getColumnNr());
  }
}
