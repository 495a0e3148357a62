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
      case LabelFilter.NumericFilter n -> new Typed(n.name(), n.op(),
          v -> compareFloat(GoStrconv.parseFloat(v), n.value()));
      case LabelFilter.DurationFilter d -> new Typed(d.name(), d.op(),
          v -> Long.compare(GoDuration.parseNanos(v), d.nanos()));
      case LabelFilter.BytesFilter b -> new Typed(b.name(), b.op(),
          v -> Long.compareUnsigned(Humanize.parseBytes(v), b.bytes()));
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

  /** Parses a label value for a typed comparison; throws with the message for {@code __error_details__}. */
  @FunctionalInterface
  interface Compare {
    int compare(String value);
  }

  /**
   * {@code status >= 500}, {@code latency > 250ms}, {@code size > 1KB}: the label's value converted and compared; an
   * absent label drops the line, a value that does not convert keeps it with {@code LabelFilterErr}.
   */
  static final class Typed extends LabelFilterStage {
    final String name;
    final Op op;
    final Compare compare;

    Typed(String name, Op op, Compare compare) {
      this.name = name;
      this.op = op;
      this.compare = compare;
    }

    @Override
    boolean test(Line line, LabelsBuilder lbs) {
      String v = lbs.get(name);
      if (v == null) {
        return false;
      }
      int c;
      try {
        c = compare.compare(v);
      } catch (IllegalArgumentException e) {
        lbs.setErrIfNone(LABEL_FILTER_ERR, e.getMessage());
        return true;
      }
      return c != NAN && op.test(c) || c == NAN && op == Op.NE;
    }
  }

  /** What {@link Compare} answers for NaN, which compares false with everything but {@code !=} (Go's floats). */
  static final int NAN = Integer.MIN_VALUE;

  private static int compareFloat(double d, double value) {
    return Double.isNaN(d) || Double.isNaN(value) ? NAN : d < value ? -1 : d > value ? 1 : 0;
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
