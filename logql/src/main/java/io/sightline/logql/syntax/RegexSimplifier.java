package io.sightline.logql.syntax;

import io.sightline.logql.syntax.GoRegex.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Loki's regex simplifier ({@code RegexSimplifier} in {@code pkg/logql/log/filter.go}): a regex made only of
 * literals, alternations, {@code .*} and {@code .+} becomes string comparisons, which are much faster than a regex
 * on every line. Kept rule for rule, quirks included: for label filters a literal alone is an equality but a
 * literal within a concatenation is a substring test, and an alternative that matches everything is dropped from an
 * {@code or} (Loki's {@code newOrFilter}).
 */
public final class RegexSimplifier {
  /** What a simplified regex tests. */
  public sealed interface Simple {
    record Contains(String literal, boolean fold) implements Simple {}

    record Equal(String literal, boolean fold) implements Simple {}

    record Or(Simple left, Simple right) implements Simple {}

    /** Matches every line ({@code .*}, empty). */
    record True() implements Simple {}

    /** Matches non-empty lines ({@code .+}). */
    record Exists() implements Simple {}
  }

  private static final Simple TRUE = new Simple.True();

  private RegexSimplifier() {}

  /** The simplified form, or null when the regex must run as a regex. */
  public static Simple simplify(GoRegex re, boolean label) {
    return simplify(re.tree(), label);
  }

  /** Whether a positive label regex filter simplifies (Loki prints the ones that do not in back quotes). */
  static boolean simplifiable(GoRegex re) {
    return simplify(re.tree(), true) != null;
  }

  static Simple or(Simple left, Simple right) {
    if (left == null || left instanceof Simple.True) {
      return right;
    }
    if (right == null || right instanceof Simple.True) {
      return left;
    }
    return new Simple.Or(left, right);
  }

  private static Node clear(Node n) {
    return n instanceof Node.Capture c ? c.sub() : n;
  }

  private static boolean anyNotNl(Node n) {
    return n instanceof Node.AnyNotNl;
  }

  private static Simple simplify(Node n, boolean label) {
    switch (n) {
      case Node.Alternate a -> {
        List<Node> subs = a.subs().stream().map(RegexSimplifier::clear).toList();
        Simple f = simplify(subs.get(0), label);
        if (f == null) {
          return null;
        }
        for (int i = 1; i < subs.size(); i++) {
          Simple f2 = simplify(subs.get(i), label);
          if (f2 == null) {
            return null;
          }
          f = or(f, f2);
        }
        return f;
      }
      case Node.Concat c -> {
        return concat(c, null, false);
      }
      case Node.Capture c -> {
        return simplify(c.sub(), label);
      }
      case Node.Literal l -> {
        return label ? new Simple.Equal(l.text(), l.fold()) : new Simple.Contains(l.text(), l.fold());
      }
      case Node.Repeat r when r.min() == 0 && r.max() == -1 && anyNotNl(r.sub()) -> {
        return TRUE;
      }
      case Node.Repeat r when r.min() == 1 && r.max() == -1 && anyNotNl(r.sub()) -> {
        return new Simple.Exists();
      }
      case Node.Empty e -> {
        return TRUE;
      }
      default -> {
        return null;
      }
    }
  }

  private static boolean star(Node n) {
    return n instanceof Node.Repeat r && r.min() == 0 && r.max() == -1 && anyNotNl(r.sub());
  }

  private static Simple concat(Node.Concat c, String base, boolean baseFold) {
    List<Node> subs = new ArrayList<>();
    for (Node s : c.subs()) {
      Node x = clear(s);
      if (!(x instanceof Node.Empty)) {
        subs.add(x);
      }
    }
    if (subs.size() > 3) {
      return null;
    }
    Simple curr = null;
    int literals = 0;
    for (Node sub : subs) {
      if (sub instanceof Node.Literal l) {
        if (literals != 0) {
          return null;
        }
        literals++;
        base = (base == null ? "" : base) + l.text();
        baseFold = l.fold();
        continue;
      }
      if (sub instanceof Node.Alternate a && base != null) {
        curr = concatAlternate(a, base, curr, baseFold);
        if (curr == null) {
          return null;
        }
        continue;
      }
      if (star(sub)) {
        continue;
      }
      return null;
    }
    if (curr != null) {
      return curr;
    }
    return base != null ? new Simple.Contains(base, baseFold) : null;
  }

  private static Simple chain(Simple curr, Simple next) {
    return curr == null ? next : or(curr, next);
  }

  private static Simple concatAlternate(Node.Alternate a, String literal, Simple curr, boolean baseFold) {
    for (Node alt : a.subs()) {
      boolean altFold = alt instanceof Node.Literal l && l.fold();
      if (!baseFold && altFold) {
        return null;
      }
      switch (alt) {
        case Node.Empty e -> curr = chain(curr, new Simple.Contains(literal, baseFold));
        case Node.Literal l -> curr = chain(curr, new Simple.Contains(literal + l.text(), baseFold));
        case Node.Concat c -> {
          Simple f = concat(c, literal, baseFold);
          if (f == null) {
            return null;
          }
          curr = chain(curr, f);
        }
        default -> {
          if (!star(alt)) {
            return null;
          }
          curr = chain(curr, new Simple.Contains(literal, baseFold));
        }
      }
    }
    return curr;
  }
}
