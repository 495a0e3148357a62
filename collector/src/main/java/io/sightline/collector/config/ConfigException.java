package io.sightline.collector.config;

/**
 * A configuration that cannot be used. The message always names where the value was written and the full key,
 * for example {@code sightline.yaml:12:7: processors.batch.timeout: invalid duration "2x"}.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(Location location, String path, String problem) {
    super(location + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
  }
}
