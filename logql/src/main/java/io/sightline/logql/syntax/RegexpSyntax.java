package io.sightline.logql.syntax;

import java.util.HashSet;
import java.util.Set;

/** The checks of Loki's {@code regexp} parser stage ({@code NewRegexpParser}) on its expression. */
public final class RegexpSyntax {
  private RegexpSyntax() {}

  /**
   * @return the parsed expression, whose named groups become labels
   * @throws IllegalArgumentException with Loki's message
   */
  public static GoRegex check(String regex) {
    GoRegex re;
    try {
      re = GoRegex.parse(regex);
    } catch (GoRegex.SyntaxError e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    Set<String> seen = new HashSet<>();
    for (String n : re.groupNames()) {
      if (!n.isEmpty() && !seen.add(n)) {
        throw new IllegalArgumentException("duplicate extracted label name '" + n + "'");
      }
    }
    if (seen.isEmpty()) {
      throw new IllegalArgumentException("at least one named capture must be supplied");
    }
    return re;
  }
}
