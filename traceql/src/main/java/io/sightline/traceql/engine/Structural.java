package io.sightline.traceql.engine;

import io.sightline.traceql.syntax.SpansetOperator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The structural operators on Tempo's nested-set numbers: a span is a child of the span whose left bound is its
 * parent number, a descendant of those whose bounds enclose its own, a sibling of those with its parent number; spans
 * with no numbers (not reachable from a root) relate to nothing.
 */
final class Structural {
  private Structural() {}

  static List<SpanView> join(SpansetOperator op, List<Spanset> lhs, List<Spanset> rhs) {
    if (rhs.isEmpty()) {
      return List.of();
    }
    if (lhs.size() > 1 || rhs.size() > 1) {
      throw new EvaluationException(
          "spanset operators are not supported for multiple spansets per trace. consider using coalesce()");
    }
    List<SpanView> left = lhs.isEmpty() ? List.of() : lhs.getFirst().spans;
    List<SpanView> right = rhs.getFirst().spans;
    if (right.isEmpty()) {
      return List.of();
    }
    if (op.union()) {
      Set<SpanView> out = new LinkedHashSet<>();
      for (SpanView r : right) {
        for (SpanView l : left) {
          if (related(op, l, r)) {
            out.add(r);
            out.add(l);
          }
        }
      }
      List<SpanView> sorted = new ArrayList<>(out);
      sorted.sort(Comparator.comparingInt(s -> s.index));
      return sorted;
    }
    List<SpanView> out = new ArrayList<>();
    for (SpanView r : right) {
      boolean match = false;
      for (SpanView l : left) {
        if (related(op, l, r)) {
          match = true;
          break;
        }
      }
      if (match != op.negated()) {
        out.add(r);
      }
    }
    return out;
  }

  /** Whether right-hand span {@code r} stands in the operator's relation to left-hand span {@code l}. */
  private static boolean related(SpansetOperator op, SpanView l, SpanView r) {
    SpanView upper = op.inverted() ? r : l;
    SpanView lower = op.inverted() ? l : r;
    return switch (op.relation()) {
      case CHILD -> upper.nestedSetLeft != 0 && lower.nestedSetParent != 0
          && upper.nestedSetLeft == lower.nestedSetParent;
      case DESCENDANT -> upper.nestedSetLeft != 0 && lower.nestedSetLeft != 0 && upper.nestedSetRight != 0
          && lower.nestedSetRight != 0 && lower.nestedSetLeft > upper.nestedSetLeft
          && lower.nestedSetRight < upper.nestedSetRight;
      case SIBLING -> l != r && l.nestedSetParent != 0 && r.nestedSetParent != 0
          && l.nestedSetParent == r.nestedSetParent;
    };
  }
}
