package io.sightline.core.model;

import java.util.List;
import java.util.regex.Matcher;

/**
 * Replacement templates as Go's regexp expands them, which Prometheus' relabeling and PromQL's {@code label_replace}
 * both use: a Java {@code Matcher} with Go's {@code $name}, {@code ${name}} and {@code $$} rules.
 */
public final class RegexTemplate {
  private RegexTemplate() {}

  /**
   * Go's {@code Regexp.Expand}: {@code $name} or {@code ${name}}, where a name is the longest run of letters, digits
   * and underscores ({@code $1x} is the group named "1x", not group 1 then "x"); a group that does not exist or did
   * not take part is empty; {@code $$} is a dollar sign.
   */
  public static String expand(String template, Matcher m) {
    return expand(template, m, null);
  }

  /**
   * As {@link #expand(String, Matcher)}, with group names looked up in {@code groupNames} (the name of group i + 1 at
   * index i) rather than in the Java pattern: for a Go regex translated to Java, whose group names Java may not keep.
   */
  public static String expand(String template, Matcher m, List<String> groupNames) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0 || !isWordRun(template, i + 2, close)) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        end = close + 1;
      } else {
        end = i + 1;
        while (end < template.length() && isWordChar(template.charAt(end))) {
          end++;
        }
        if (end == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 1, end);
      }
      out.append(group(m, name, groupNames));
      i = end;
    }
    return out.toString();
  }

  private static String group(Matcher m, String name, List<String> groupNames) {
    String value = null;
    if (groupNames != null && !name.chars().allMatch(Character::isDigit)) {
      int at = groupNames.indexOf(name);
      value = at < 0 || at + 1 > m.groupCount() ? null : m.group(at + 1);
    } else if (name.chars().allMatch(Character::isDigit)) {
      try {
        int n = Integer.parseInt(name);
        value = n <= m.groupCount() ? m.group(n) : null;
      } catch (NumberFormatException e) {
        value = null;
      }
    } else {
      try {
        value = m.group(name);
      } catch (IllegalArgumentException e) {
        value = null;
      }
    }
    return value == null ? "" : value;
  }

  private static boolean isWordRun(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isWordChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWordChar(char c) {
    return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }
}
