package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;

/** A label filter stage's condition: comparisons of one label, combined with {@code and}/{@code or}. */
public sealed interface LabelFilter {

  /** The comparison operators of numeric, duration and bytes filters. */
  enum Op {
    EQ("=="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** The comparison result for {@code Integer.compare}-style {@code c}. */
    public boolean test(int c) {
      return switch (this) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case GT -> c > 0;
        case GE -> c >= 0;
        case LT -> c < 0;
        case LE -> c <= 0;
      };
    }
  }

  /** {@code a and b} ({@code and} true) or {@code a or b}; written {@code ( a , b )} and {@code ( a or b )}. */
  record Binary(LabelFilter left, LabelFilter right, boolean and) implements LabelFilter {
    @Override
    public String toString() {
      return "( " + left + (and ? " , " : " or ") + right + " )";
    }
  }

  /**
   * {@code name="v"}, {@code name=~"re"}, ... Loki prints a regex that its filter simplifier cannot turn into
   * string comparisons in back quotes; {@code rawRegex} says so.
   */
  record StringFilter(LabelMatcher matcher, boolean rawRegex) implements LabelFilter {
    @Override
    public String toString() {
      if (rawRegex) {
        String v = matcher.value();
        return Printer.name(matcher.name()) + matcher.type().symbol()
            + (v.contains("`") ? Printer.quote(v) : "`" + v + "`");
      }
      return Printer.matcher(matcher);
    }
  }

  /** {@code status >= 500}. */
  record NumericFilter(String name, Op op, double value) implements LabelFilter {
    @Override
    public String toString() {
      return name + op.symbol + io.sightline.core.model.GoFormat.plain(value);
    }
  }

  /** {@code latency > 250ms}, nanoseconds. */
  record DurationFilter(String name, Op op, long nanos) implements LabelFilter {
    @Override
    public String toString() {
      return name + op.symbol + Printer.goDuration(nanos);
    }
  }

  /** {@code size > 20MB}, bytes (unsigned). */
  record BytesFilter(String name, Op op, long bytes) implements LabelFilter {
    @Override
    public String toString() {
      return name + op.symbol + Printer.humanizeBytes(bytes);
    }
  }

  /** {@code addr = ip("10.0.0.0/8")}, {@code op} EQ or NE. */
  record IpFilter(String label, Op op, String pattern) implements LabelFilter {
    @Override
    public String toString() {
      return label + (op == Op.NE ? "!=" : "=") + "ip(" + Printer.quote(pattern) + ")";
    }
  }
}
