package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/** A log query: a stream selector, optionally followed by a pipeline of stages. */
public sealed interface LogSelectorExpr extends Expr
    permits LogSelectorExpr.MatchersExpr, LogSelectorExpr.PipelineExpr, LiteralExpr, VectorExpr {

  /** The stream selector's matchers (none for a literal or vector). */
  List<LabelMatcher> matchers();

  /** The stages after the selector, as written (empty for a bare selector). */
  default List<StageExpr> stages() {
    return List.of();
  }

  /** {@code {app="api", env=~"prod|dev"}}. */
  record MatchersExpr(List<LabelMatcher> matchers) implements LogSelectorExpr {
    public MatchersExpr {
      matchers = List.copyOf(matchers);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < matchers.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(Printer.matcher(matchers.get(i)));
      }
      return b.append('}').toString();
    }
  }

  /** A selector with stages: {@code {app="api"} |= "error" | json | status >= 500}. */
  record PipelineExpr(MatchersExpr left, List<StageExpr> stages) implements LogSelectorExpr {
    public PipelineExpr {
      stages = List.copyOf(stages);
    }

    @Override
    public List<LabelMatcher> matchers() {
      return left.matchers();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(left.toString()).append(' ');
      for (int i = 0; i < stages.size(); i++) {
        if (i > 0) {
          b.append(' ');
        }
        b.append(stages.get(i));
      }
      return b.toString();
    }
  }
}
