package io.sightline.logql.syntax;

/**
 * A chain of line filters as Loki's parser builds it: each filter has the filters before it in {@link #left()} and
 * the alternatives joined with {@code or} in {@link #or()}. Loki rewrites a negated {@code or} chain into a chain
 * of negations ({@code != "a" or "b"} is {@code != "a" != "b"}), so a printed query shows that form.
 *
 * <p>Mutable only while the parser assembles it.
 */
public final class LineFilterExpr implements StageExpr {
  /** The six line filter operators. */
  public enum Type {
    EQUAL("|="), NOT_EQUAL("!="), REGEX("|~"), NOT_REGEX("!~"), PATTERN("|>"), NOT_PATTERN("!>");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** Whether lines that match are kept ({@code |= |~ |>}) rather than dropped. */
    public boolean positive() {
      return this == EQUAL || this == REGEX || this == PATTERN;
    }
  }

  Type type;
  final String match;
  /** {@code ""} or {@code "ip"} for {@code ip("...")}. */
  final String op;
  LineFilterExpr left;
  LineFilterExpr or;
  boolean orChild;

  LineFilterExpr(Type type, String op, String match) {
    this.type = type;
    this.op = op;
    this.match = match;
  }

  private LineFilterExpr(LineFilterExpr left, LineFilterExpr of) {
    this.left = left;
    this.type = of.type;
    this.op = of.op;
    this.match = of.match;
    this.or = of.or;
    this.orChild = of.orChild;
  }

  public Type type() {
    return type;
  }

  /** The string, regex, pattern or IP range. */
  public String match() {
    return match;
  }

  public boolean isIp() {
    return op.equals("ip");
  }

  public LineFilterExpr left() {
    return left;
  }

  public LineFilterExpr or() {
    return or;
  }

  /** Loki's {@code newOrLineFilterExpr}. */
  static LineFilterExpr or(LineFilterExpr left, LineFilterExpr right) {
    right.type = left.type;
    for (LineFilterExpr t = right; t.or != null; t = t.or) {
      t.or.type = left.type;
    }
    if (left.type.positive()) {
      LineFilterExpr tail = left;
      while (tail.or != null) {
        tail = tail.or;
      }
      tail.or = right;
      right.orChild = true;
      return left;
    }
    return nested(left, right); // !(a or b) is !a and !b
  }

  /** Loki's {@code newNestedLineFilterExpr}. */
  static LineFilterExpr nested(LineFilterExpr left, LineFilterExpr right) {
    if (right.or != null && !right.type.positive()) {
      right.or.orChild = false;
      LineFilterExpr tmp = right.or;
      right.or = null;
      right = nested(right, tmp);
    }
    if (right.left != null) {
      left = nested(left, right.left);
    }
    return new LineFilterExpr(left, right);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (left != null) {
      b.append(left).append(' ');
    }
    if (!orChild) {
      b.append(type.symbol).append(' ');
    }
    if (op.isEmpty()) {
      b.append(Printer.quote(match));
    } else {
      b.append(op).append('(').append(Printer.quote(match)).append(')');
    }
    if (or != null) {
      b.append(" or ").append(or);
    }
    return b.toString();
  }
}
