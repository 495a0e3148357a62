package io.sightline.traceql.syntax;

/**
 * The spanset operators, as data: the symbol, the relation (null for {@code &&} and {@code ||}), whether the
 * relation is read right to left ({@code <}, {@code <<}: the right side holds the parents), whether the right side is
 * kept where no left span relates ({@code !>}...), and whether both sides are returned ({@code &>}...).
 */
public enum SpansetOperator {
  AND("&&", null, false, false, false),
  UNION("||", null, false, false, false),
  CHILD(">", Relation.CHILD, false, false, false),
  PARENT("<", Relation.CHILD, true, false, false),
  DESCENDANT(">>", Relation.DESCENDANT, false, false, false),
  ANCESTOR("<<", Relation.DESCENDANT, true, false, false),
  SIBLING("~", Relation.SIBLING, false, false, false),
  NOT_CHILD("!>", Relation.CHILD, false, true, false),
  NOT_PARENT("!<", Relation.CHILD, true, true, false),
  NOT_DESCENDANT("!>>", Relation.DESCENDANT, false, true, false),
  NOT_ANCESTOR("!<<", Relation.DESCENDANT, true, true, false),
  NOT_SIBLING("!~", Relation.SIBLING, false, true, false),
  UNION_CHILD("&>", Relation.CHILD, false, false, true),
  UNION_PARENT("&<", Relation.CHILD, true, false, true),
  UNION_DESCENDANT("&>>", Relation.DESCENDANT, false, false, true),
  UNION_ANCESTOR("&<<", Relation.DESCENDANT, true, false, true),
  UNION_SIBLING("&~", Relation.SIBLING, false, false, true);

  /** How a right-hand span relates to a left-hand one. */
  public enum Relation { CHILD, DESCENDANT, SIBLING }

  private final String symbol;
  private final Relation relation;
  private final boolean inverted;
  private final boolean negated;
  private final boolean union;

  SpansetOperator(String symbol, Relation relation, boolean inverted, boolean negated, boolean union) {
    this.symbol = symbol;
    this.relation = relation;
    this.inverted = inverted;
    this.negated = negated;
    this.union = union;
  }

  public String symbol() {
    return symbol;
  }

  public Relation relation() {
    return relation;
  }

  public boolean inverted() {
    return inverted;
  }

  public boolean negated() {
    return negated;
  }

  public boolean union() {
    return union;
  }

  static SpansetOperator fromSymbol(String symbol) {
    for (SpansetOperator op : values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    return null;
  }
}
