package io.sightline.logql.syntax;

import java.util.List;

/**
 * The modifiers of a binary operation: {@code bool} and vector matching ({@code on}/{@code ignoring} with
 * {@code group_left}/{@code group_right}). Lists are null where the query has no parentheses for them, because
 * Loki prints {@code on ()} and nothing differently.
 */
public record BinOpOptions(boolean returnBool, Cardinality cardinality, boolean on, List<String> matchingLabels,
                           List<String> include) {
  /** Vector matching cardinality. */
  public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY }

  public static final BinOpOptions NONE = new BinOpOptions(false, Cardinality.ONE_TO_ONE, false, null, null);

  public BinOpOptions {
    matchingLabels = matchingLabels == null ? null : List.copyOf(matchingLabels);
    include = include == null ? null : List.copyOf(include);
  }

  BinOpOptions withBool() {
    return new BinOpOptions(true, cardinality, on, matchingLabels, include);
  }

  BinOpOptions withMatching(boolean on, List<String> labels) {
    return new BinOpOptions(returnBool, cardinality, on, labels, include);
  }

  BinOpOptions withGroup(Cardinality card, List<String> include) {
    return new BinOpOptions(returnBool, card, on, matchingLabels, include);
  }

  /** The operator as Loki's {@code BinOpExpr.String} writes it with its modifiers. */
  String decorate(String op) {
    String s = returnBool ? op + " bool" : op;
    String group = switch (cardinality) {
      case MANY_TO_ONE -> "group_left";
      case ONE_TO_MANY -> "group_right";
      case ONE_TO_ONE -> "";
    };
    if (include != null) {
      group = group + " (" + String.join(",", include) + ")";
    }
    if (on || matchingLabels != null) {
      s = s + " " + (on ? "on" : "ignoring") + " (" + String.join(",", matchingLabels == null ? List.of()
          : matchingLabels) + ") " + group;
    }
    return s;
  }
}
