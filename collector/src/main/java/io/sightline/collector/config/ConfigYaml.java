package io.sightline.collector.config;

import java.util.Map;
import java.util.Set;

/**
 * Writes a config tree back as YAML, for showing the effective config ({@code /api/v1/status/config}). Values under
 * a secret key are shown as {@code <secret>}, as Prometheus shows them.
 */
public final class ConfigYaml {
  /** Keys whose values are never shown. */
  public static final Set<String> SECRET_KEYS = Set.of("password", "credentials", "bearer_token", "api_key",
      "client_secret", "secret_key", "token");

  private ConfigYaml() {}

  public static String render(ConfigMap root) {
    StringBuilder out = new StringBuilder();
    writeMap(out, root, 0);
    return out.toString();
  }

  private static void writeMap(StringBuilder out, ConfigMap map, int indent) {
    for (Map.Entry<String, ConfigNode> e : map.entries().entrySet()) {
      out.append(" ".repeat(indent)).append(scalar(e.getKey())).append(':');
      writeValue(out, e.getKey(), e.getValue(), indent);
    }
  }

  private static void writeValue(StringBuilder out, String key, ConfigNode node, int indent) {
    if (node instanceof ConfigScalar s) {
      String value = s.isNull() ? "null" : SECRET_KEYS.contains(key) ? "<secret>" : scalar(s.value());
      out.append(' ').append(value).append('\n');
    } else if (node instanceof ConfigMap m) {
      if (m.entries().isEmpty()) {
        out.append(" {}\n");
      } else {
        out.append('\n');
        writeMap(out, m, indent + 2);
      }
    } else if (node instanceof ConfigList l) {
      if (l.items().isEmpty()) {
        out.append(" []\n");
        return;
      }
      out.append('\n');
      for (ConfigNode item : l.items()) {
        out.append(" ".repeat(indent)).append("-");
        if (item instanceof ConfigMap m && !m.entries().isEmpty()) {
          // The first key on the dash's line, the rest aligned under it.
          StringBuilder nested = new StringBuilder();
          writeMap(nested, m, indent + 2);
          out.append(' ').append(nested.substring(indent + 2));
        } else {
          writeValue(out, key, item, indent + 2);
        }
      }
    }
  }

  /** A plain scalar when YAML would read it back as the same string, else double-quoted. */
  static String scalar(String s) {
    boolean plain = !s.isEmpty() && s.equals(s.strip()) && !s.contains(": ") && !s.contains(" #")
        && "-?:,[]{}#&*!|>'\"%@`".indexOf(s.charAt(0)) < 0 && !s.endsWith(":")
        && s.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
    if (plain) {
      return s;
    }
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\x%02x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
