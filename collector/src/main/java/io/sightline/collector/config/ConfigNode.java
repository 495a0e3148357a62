package io.sightline.collector.config;

/**
 * One node of a configuration tree: a map, a list or a scalar, with its dotted path from the root
 * ({@code receivers.otlp.protocols.grpc}) and the place it was written.
 */
public sealed interface ConfigNode permits ConfigMap, ConfigList, ConfigScalar {

  String path();

  Location location();

  /** The YAML kind, for messages: "a map", "a list", "a value". */
  String kind();

  /** The same node moved to another path, as when a subtree is merged or overridden. */
  ConfigNode withPath(String path);

  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
