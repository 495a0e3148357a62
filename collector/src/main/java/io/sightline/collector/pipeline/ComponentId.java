package io.sightline.collector.pipeline;

import java.util.regex.Pattern;

/**
 * A component's name in a config: its type, optionally followed by {@code /} and a name ({@code otlp},
 * {@code otlp/tempo}, {@code batch/2}). The type selects the factory; the whole id tells instances apart.
 */
public record ComponentId(String type, String name) {
  private static final Pattern TYPE = Pattern.compile("[a-zA-Z][0-9a-zA-Z_]{0,62}");

  public static ComponentId parse(String text) {
    int slash = text.indexOf('/');
    String type = slash < 0 ? text : text.substring(0, slash);
    String name = slash < 0 ? "" : text.substring(slash + 1);
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("invalid component type \"" + type + "\" in id \"" + text + "\"");
    }
    if (slash >= 0 && name.isEmpty()) {
      throw new IllegalArgumentException("component id \"" + text + "\" has an empty name after '/'");
    }
    return new ComponentId(type, name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
