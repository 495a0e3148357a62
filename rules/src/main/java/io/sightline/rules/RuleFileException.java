package io.sightline.rules;

import java.util.List;

/**
 * A rule file that does not load. Each error is one line of {@code promtool check rules}' output,
 * prefixed with the file name: {@code rules.yml: 16:11: group "g", rule 5, "A": could not parse ...}.
 */
public final class RuleFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  RuleFileException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
