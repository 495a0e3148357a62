package io.sightline.server.config;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.ConfigNode;
import io.sightline.collector.config.YamlConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Assembles the effective configuration: the built-in defaults, then each {@code --config} file in order, then each
 * {@code --set key=value}. Maps merge key by key and anything else is replaced, as when the Collector is given
 * several config files. One exception: a file that has {@code service.pipelines} replaces the default pipelines as a
 * whole, so that a Collector config file means exactly the pipelines it lists.
 */
public final class ConfigSources {
  static final String DEFAULTS_RESOURCE = "/io/sightline/server/default-config.yaml";
  private static final List<String> COMPONENT_SECTIONS = List.of("receivers", "processors", "exporters", "connectors",
      "extensions");

  private final YamlConfigLoader loader;

  public ConfigSources(YamlConfigLoader loader) {
    this.loader = loader;
  }

  public static ConfigMap defaults() {
    try (InputStream in = ConfigSources.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + DEFAULTS_RESOURCE);
      }
      return new YamlConfigLoader(k -> null).parse("<defaults>", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The effective config from the defaults, the files and the {@code key=value} overrides. */
  public ConfigMap assemble(List<Path> files, List<String> overrides) {
    ConfigMap config = defaults();
    for (Path file : files) {
      config = layer(config, loader.load(file));
    }
    for (String override : overrides) {
      config = set(config, override);
    }
    return config;
  }

  /**
   * Lays {@code file} over {@code base}. A component the file defines replaces the base's component of the same id
   * as a whole: its defaults are its factory's, not a blend with the built-in file (a blend would, for example, give
   * a memory limiter both {@code limit_mib} and the default {@code limit_percentage}).
   */
  public static ConfigMap layer(ConfigMap base, ConfigMap file) {
    ConfigMap merged = base.mergedWith(file);
    for (String section : COMPONENT_SECTIONS) {
      if (file.entries().get(section) instanceof ConfigMap own && merged.entries().get(section) instanceof ConfigMap all) {
        ConfigMap replaced = all;
        for (Map.Entry<String, ConfigNode> component : own.entries().entrySet()) {
          replaced = replaced.with(component.getKey(), component.getValue(), own.keyLocation(component.getKey()));
        }
        merged = merged.with(section, replaced, merged.keyLocation(section));
      }
    }
    ConfigNode service = file.entries().get("service");
    if (service instanceof ConfigMap s && s.entries().containsKey("pipelines")) {
      ConfigMap mergedService = merged.map("service").with("pipelines", s.entries().get("pipelines"),
          s.keyLocation("pipelines"));
      merged = merged.with("service", mergedService, merged.keyLocation("service"));
    }
    return merged;
  }

  /** Applies one {@code dotted.key=value}; the value is read as YAML, so lists and maps can be given too. */
  public ConfigMap set(ConfigMap base, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set " + override + ": expected key=value, such as --set processors.batch.timeout=1s");
    }
    String path = override.substring(0, eq).strip();
    ConfigNode value = loader.parseValue("--set " + path, path, override.substring(eq + 1));
    String[] keys = path.split("\\.");
    for (String k : keys) {
      if (k.isEmpty()) {
        throw new ConfigException("--set " + override + ": empty key in \"" + path + "\"");
      }
    }
    return setAt(base, keys, 0, value);
  }

  private static ConfigMap setAt(ConfigMap map, String[] keys, int i, ConfigNode value) {
    if (i == keys.length - 1) {
      return map.with(keys[i], value);
    }
    ConfigNode child = map.entries().get(keys[i]);
    ConfigMap childMap = child instanceof ConfigMap m ? m
        : ConfigMap.empty(ConfigNode.child(map.path(), keys[i]), value.location());
    return map.with(keys[i], setAt(childMap, keys, i + 1, value));
  }
}
