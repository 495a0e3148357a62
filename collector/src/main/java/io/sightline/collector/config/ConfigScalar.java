package io.sightline.collector.config;

/**
 * A scalar as written, or {@code null} for YAML's null ({@code key:} with nothing after it). Typed accessors
 * live on {@link ConfigMap} so that errors can name the key.
 */
public record ConfigScalar(String path, Location location, String value) implements ConfigNode {

  public boolean isNull() {
    return value == null;
  }

  @Override
  public String kind() {
    return "a value";
  }

  @Override
  public ConfigScalar withPath(String newPath) {
    return new ConfigScalar(newPath, location, value);
  }
}
