package io.sightline.core.model;

import java.util.regex.Pattern;

/**
 * A condition on one label, as PromQL and LogQL selectors write it: {@code =}, {@code !=}, {@code =~}, {@code !~}.
 * Regular expressions are anchored at both ends and follow RE2's syntax ({@link Re2}), as in Prometheus; a missing
 * label has the empty value.
 */
public record LabelMatcher(Type type, String name, String value, Pattern pattern) {

  /** The four operators. */
  public enum Type {
    EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public LabelMatcher {
    if ((type == Type.REGEX || type == Type.NOT_REGEX) && pattern == null) {
      pattern = Re2.compile(value, Pattern.DOTALL);
    }
  }

  public static LabelMatcher equal(String name, String value) {
    return new LabelMatcher(Type.EQUAL, name, value, null);
  }

  public static LabelMatcher notEqual(String name, String value) {
    return new LabelMatcher(Type.NOT_EQUAL, name, value, null);
  }

  /** @throws java.util.regex.PatternSyntaxException for an invalid expression */
  public static LabelMatcher regex(String name, String regex) {
    return new LabelMatcher(Type.REGEX, name, regex, null);
  }

  public static LabelMatcher notRegex(String name, String regex) {
    return new LabelMatcher(Type.NOT_REGEX, name, regex, null);
  }

  public boolean matches(String v) {
    String s = v == null ? "" : v;
    return switch (type) {
      case EQUAL -> s.equals(value);
      case NOT_EQUAL -> !s.equals(value);
      case REGEX -> pattern.matcher(s).matches();
      case NOT_REGEX -> !pattern.matcher(s).matches();
    };
  }

  /** Whether the matcher accepts the empty value, i.e. series that lack the label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  @Override
  public String toString() {
    return name + type.symbol + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
