package io.sightline.logql.log;

import io.sightline.logql.syntax.GoRegex;
import io.sightline.logql.syntax.LineFilterExpr;
import io.sightline.logql.syntax.PatternSyntax;
import io.sightline.logql.syntax.RegexSimplifier;
import io.sightline.logql.syntax.RegexSimplifier.Simple;
import java.util.ArrayList;
import java.util.List;

/**
 * A test on a line's bytes: substring searches (the common case, no allocation), regexes (simplified into substring
 * searches where Loki's simplifier can), patterns and IP matches, combined with and/or/not as Loki combines them.
 */
abstract class LineFilter {
  abstract boolean test(byte[] b, int off, int len);

  boolean isTrue() {
    return false;
  }

  static final LineFilter TRUE = new LineFilter() {
    @Override
    boolean test(byte[] b, int off, int len) {
      return true;
    }

    @Override
    boolean isTrue() {
      return true;
    }
  };

  /** {@code .+}: any non-empty line. */
  static final LineFilter EXISTS = new LineFilter() {
    @Override
    boolean test(byte[] b, int off, int len) {
      return len > 0;
    }
  };

  static final class Contains extends LineFilter {
    final byte[] needle;
    final boolean fold;

    Contains(String literal, boolean fold) {
      this.fold = fold;
      this.needle = fold ? Bytes.lower(literal) : Bytes.utf8(literal);
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      return fold ? Bytes.containsLower(b, off, len, needle) : Bytes.contains(b, off, len, needle);
    }
  }

  static final class Equal extends LineFilter {
    final byte[] value;
    final boolean fold;

    Equal(String literal, boolean fold) {
      this.fold = fold;
      this.value = fold ? Bytes.lower(literal) : Bytes.utf8(literal);
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      if (!fold) {
        return Bytes.equals(b, off, len, value);
      }
      return len == value.length && Bytes.containsLower(b, off, len, value);
    }
  }

  static final class Not extends LineFilter {
    final LineFilter inner;

    Not(LineFilter inner) {
      this.inner = inner;
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      return !inner.test(b, off, len);
    }
  }

  static final class Or extends LineFilter {
    final LineFilter left;
    final LineFilter right;

    Or(LineFilter left, LineFilter right) {
      this.left = left;
      this.right = right;
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      return left.test(b, off, len) || right.test(b, off, len);
    }
  }

  static final class And extends LineFilter {
    final LineFilter[] all;

    And(List<LineFilter> all) {
      this.all = all.toArray(LineFilter[]::new);
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      for (LineFilter f : all) {
        if (!f.test(b, off, len)) {
          return false;
        }
      }
      return true;
    }
  }

  static final class Regex extends LineFilter {
    final LineRegex re;

    Regex(java.util.regex.Pattern p) {
      re = new LineRegex(p);
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      return re.find(b, off, len);
    }
  }

  static final class PatternFilter extends LineFilter {
    final LinePattern pattern;

    PatternFilter(LinePattern pattern) {
      this.pattern = pattern;
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      return pattern.test(b, off, len);
    }
  }

  static final class Ip extends LineFilter {
    final IpMatcher ip;

    Ip(IpMatcher ip) {
      this.ip = ip;
    }

    @Override
    boolean test(byte[] b, int off, int len) {
      return ip.findIn(b, off, len);
    }
  }

  /** Loki's {@code NewNotFilter}: not (a or b) is (not a) and (not b). */
  static LineFilter not(LineFilter f) {
    if (f instanceof Or o) {
      return and(List.of(not(o.left), not(o.right)));
    }
    return new Not(f);
  }

  /** Loki's {@code newOrFilter}: an alternative that is always true is dropped. */
  static LineFilter or(LineFilter left, LineFilter right) {
    if (left == null || left.isTrue()) {
      return right;
    }
    if (right == null || right.isTrue()) {
      return left;
    }
    return new Or(left, right);
  }

  /** Loki's {@code NewAndFilters}: true filters drop out; substring tests first, regexes last. */
  static LineFilter and(List<LineFilter> filters) {
    List<LineFilter> plain = new ArrayList<>();
    List<LineFilter> regexes = new ArrayList<>();
    for (LineFilter f : filters) {
      if (f == null || f.isTrue()) {
        continue;
      }
      (f instanceof Regex ? regexes : plain).add(f);
    }
    plain.addAll(regexes);
    if (plain.isEmpty()) {
      return TRUE;
    }
    return plain.size() == 1 ? plain.get(0) : new And(plain);
  }

  /** A simplified regex as filters. */
  static LineFilter of(Simple s) {
    return switch (s) {
      case Simple.Contains c -> c.literal().isEmpty() ? TRUE : new Contains(c.literal(), c.fold());
      case Simple.Equal e -> new Equal(e.literal(), e.fold());
      case Simple.Or o -> or(of(o.left()), of(o.right()));
      case Simple.True t -> TRUE;
      case Simple.Exists e -> EXISTS;
    };
  }

  /** Loki's {@code parseRegexpFilter}: simplified when possible; label regexes are anchored. */
  static LineFilter regex(String re, boolean match, boolean label) throws GoRegex.SyntaxError {
    GoRegex g = GoRegex.parse(re);
    Simple s = RegexSimplifier.simplify(g, label);
    LineFilter f = s != null ? of(s) : new Regex(label ? g.anchored() : g.pattern());
    return match ? f : not(f);
  }

  /**
   * The filters of a line filter chain ({@code |= "a" or "b" != "c"}), as Loki's {@code LineFilterExpr.Filter}
   * builds them.
   *
   * @throws IllegalArgumentException with the message Loki puts in its stage error
   */
  static LineFilter of(LineFilterExpr e) {
    List<LineFilter> acc = new ArrayList<>();
    for (LineFilterExpr curr = e; curr != null; curr = curr.left()) {
      LineFilter f = single(curr);
      for (LineFilterExpr or = curr.or(); or != null; or = or.or()) {
        f = or(f, single(or));
      }
      acc.add(0, f);
    }
    return acc.size() == 1 ? acc.get(0) : and(acc);
  }

  private static LineFilter single(LineFilterExpr e) {
    if (e.isIp()) {
      if (e.type() != LineFilterExpr.Type.EQUAL && e.type() != LineFilterExpr.Type.NOT_EQUAL) {
        throw new IllegalArgumentException("ip: invalid operation");
      }
      LineFilter f = new Ip(IpMatcher.parse(e.match()));
      return e.type() == LineFilterExpr.Type.EQUAL ? f : new Not(f);
    }
    try {
      return switch (e.type()) {
        case REGEX -> regex(e.match(), true, false);
        case NOT_REGEX -> regex(e.match(), false, false);
        case EQUAL -> e.match().isEmpty() ? TRUE : new Contains(e.match(), false);
        case NOT_EQUAL -> not(e.match().isEmpty() ? TRUE : new Contains(e.match(), false));
        case PATTERN -> new PatternFilter(new LinePattern(PatternSyntax.parseLineFilter(e.match())));
        case NOT_PATTERN -> not(new PatternFilter(new LinePattern(PatternSyntax.parseLineFilter(e.match()))));
      };
    } catch (GoRegex.SyntaxError x) {
      throw new IllegalArgumentException(x.getMessage());
    }
  }
}
