package io.sightline.logql.engine;

import io.sightline.logql.syntax.LineFilterExpr;
import io.sightline.logql.syntax.LogRangeExpr;
import io.sightline.logql.syntax.LogSelectorExpr;
import io.sightline.logql.syntax.SampleExpr.RangeAggregationExpr;
import io.sightline.logql.syntax.StageExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * Loki's {@code removeLineformat} optimisation of metric queries: a {@code line_format} that no later parser or line
 * filter reads is dropped from a range aggregation's pipeline, except for {@code bytes_over_time} and
 * {@code bytes_rate}, which measure the formatted line. Besides saving the formatting, this is visible: such a
 * template can no longer fail the query with a {@code TemplateFormatErr}, as in Loki.
 */
final class LineFormatRemoval {
  private LineFormatRemoval() {}

  static RangeAggregationExpr apply(RangeAggregationExpr r) {
    if (r.operation().equals("bytes_over_time") || r.operation().equals("bytes_rate")) {
      return r;
    }
    if (!(r.left().left() instanceof LogSelectorExpr.PipelineExpr p)) {
      return r;
    }
    List<StageExpr> stages = p.stages();
    List<StageExpr> kept = new ArrayList<>(stages.size());
    for (int i = 0; i < stages.size(); i++) {
      StageExpr s = stages.get(i);
      if (!(s instanceof StageExpr.LineFormatExpr) || readLater(stages, i + 1)) {
        kept.add(s);
      }
    }
    if (kept.size() == stages.size()) {
      return r;
    }
    LogSelectorExpr left = kept.isEmpty() ? p.left() : new LogSelectorExpr.PipelineExpr(p.left(), kept);
    LogRangeExpr range = new LogRangeExpr(left, r.left().intervalNanos(), r.left().offsetNanos(), r.left().unwrap());
    return new RangeAggregationExpr(range, r.operation(), r.parameter(), r.grouping());
  }

  private static boolean readLater(List<StageExpr> stages, int from) {
    for (int j = from; j < stages.size(); j++) {
      switch (stages.get(j)) {
        case StageExpr.LogfmtParserExpr x -> {
          return true;
        }
        case StageExpr.LineParserExpr x -> {
          return true;
        }
        case LineFilterExpr x -> {
          return true;
        }
        case StageExpr.JsonExpressionParserExpr x -> {
          return true;
        }
        case StageExpr.LogfmtExpressionParserExpr x -> {
          return true;
        }
        default -> { }
      }
    }
    return false;
  }
}
