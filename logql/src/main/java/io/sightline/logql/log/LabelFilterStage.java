package io.sightline.logql.log;

import io.sightline.core.model.GoDuration;
import io.sightline.core.model.LabelMatcher;
import io.sightline.logql.syntax.GoRegex;
import io.sightline.logql.syntax.GoStrconv;
import io.sightline.logql.syntax.Humanize;
import io.sightline.logql.syntax.LabelFilter;
import io.sightline.logql.syntax.LabelFilter.Op;
import java.nio.charset.StandardCharsets;

/**
 * A label filter stage, as Loki's label filters behave: a missing label drops the line for typed comparisons; a
 * value that does not convert keeps the line and sets {@code __error__=LabelFilterErr} (unless an error is there
 * already) with the conversion's message in {@code __error_details__}; {@code or} skips its right side when the left
 * holds.
 */
abstract class LabelFilterStage implements Stage {
  static final String LABEL_FILTER_ERR = "LabelFilterErr";

  abstract boolean test(Line line, LabelsBuilder lbs);

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    return test(line, lbs);
  }

  /** Always true: {@code foo=~".*"}, which Loki drops from the pipeline. */
  boolean noop() {
    return false;
  }

  /**
   * @throws IllegalArgumentException with the message of Loki's stage error (an invalid IP pattern)
   */
  static LabelFilterStage of(LabelFilter f) {
    return switch (f) {
      case LabelFilter.Binary b -> new Binary(of(b.left()), of(b.right()), b.and());
      case LabelFilter.StringFilter s -> string(s.matcher());
      case LabelFilter.NumericFilter n -> new Numeric(n.name(), n.op(), n.value());
      case LabelFilter.DurationFilter d -> new Duration(d.name(), d.op(), d.nanos());
      case LabelFilter.BytesFilter b -> new ByteSize(b.name(), b.op(), b.bytes());
      case LabelFilter.IpFilter ip -> new Ip(ip.label(), ip.op(), IpMatcher.parse(ip.pattern()));
    };
  }

  /** Loki's {@code NewStringLabelFilter}: the value tested with the line filters' machinery. */
  private static LabelFilterStage string(LabelMatcher m) {
    LineFilter f;
    try {
      f = switch (m.type()) {
        case EQUAL -> new LineFilter.Equal(m.value(), false);
        case NOT_EQUAL -> LineFilter.not(new LineFilter.Equal(m.value(), false));
        case REGEX -> LineFilter.regex(m.value(), true, true);
        case NOT_REGEX -> LineFilter.regex(m.value(), false, true);
      };
    } catch (GoRegex.SyntaxError e) {
      return new Matcher(m);
    }
    return new StringValue(m.name(), f);
  }

  static final class Binary extends LabelFilterStage {
    final LabelFilterStage left;
    final LabelFilterStage right;
    final boolean and;

    Binary(LabelFilterStage left, LabelFilterStage right, boolean and) {
      this.left = left;
      this.right = right;
      this.and = and;
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      boolean l = left.test(line, lbs);
      if (!and && l) {
        return true;
      }
      boolean r = right.test(line, lbs);
      return and ? l && r : r;
    }
  }

  static final class StringValue extends LabelFilterStage {
    final String name;
    final LineFilter filter;

    StringValue(String name, LineFilter filter) {
      this.name = name;
      this.filter = filter;
    }

    @Override
    boolean noop() {
      return filter.isTrue();
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      byte[] v = lbs.valueForFilter(name).getBytes(StandardCharsets.UTF_8);
      return filter.test(v, 0, v.length);
    }
  }

  static final class Matcher extends LabelFilterStage {
    final LabelMatcher m;

    Matcher(LabelMatcher m) {
      this.m = m;
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      return m.matches(lbs.valueForFilter(m.name()));
    }
  }

  static final class Numeric extends LabelFilterStage {
    final String name;
    final Op op;
    final double value;

    Numeric(String name, Op op, double value) {
      this.name = name;
      this.op = op;
      this.value = value;
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      String v = lbs.get(name);
      if (v == null) {
        return false;
      }
      double d;
      try {
        d = GoStrconv.parseFloat(v);
      } catch (NumberFormatException e) {
        lbs.setErrIfNone(LABEL_FILTER_ERR, e.getMessage());
        return true;
      }
      // Go's float comparisons: NaN compares false with everything, != true.
      return switch (op) {
        case EQ -> d == value;
        case NE -> d != value;
        case GT -> d > value;
        case GE -> d >= value;
        case LT -> d < value;
        case LE -> d <= value;
      };
    }
  }

  static final class Duration extends LabelFilterStage {
    final String name;
    final Op op;
    final long nanos;

    Duration(String name, Op op, long nanos) {
      this.name = name;
      this.op = op;
      this.nanos = nanos;
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      String v = lbs.get(name);
      if (v == null) {
        return false;
      }
      long d;
      try {
        d = GoDuration.parseNanos(v);
      } catch (IllegalArgumentException e) {
        lbs.setErrIfNone(LABEL_FILTER_ERR, e.getMessage());
        return true;
      }
      return op.test(Long.compare(d, nanos));
    }
  }

  static final class ByteSize extends LabelFilterStage {
    final String name;
    final Op op;
    final long bytes;

    ByteSize(String name, Op op, long bytes) {
      this.name = name;
      this.op = op;
      this.bytes = bytes;
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      String v = lbs.get(name);
      if (v == null) {
        return false;
      }
      long b;
      try {
        b = Humanize.parseBytes(v);
      } catch (IllegalArgumentException e) {
        lbs.setErrIfNone(LABEL_FILTER_ERR, e.getMessage());
        return true;
      }
      return op.test(Long.compareUnsigned(b, bytes));
    }
  }

  static final class Ip extends LabelFilterStage {
    final String label;
    final Op op;
    final IpMatcher ip;

    Ip(String label, Op op, IpMatcher ip) {
      this.label = label;
      this.op = op;
      this.ip = ip;
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      if (lbs.hasErr()) {
        return true; // with an error, only string matchers filter (Loki)
      }
      String v = lbs.get(label);
      if (v == null) {
        return false;
      }
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      boolean found = ip.findIn(b, 0, b.length);
      return op == Op.EQ ? found : !found;
    }
  }
}
