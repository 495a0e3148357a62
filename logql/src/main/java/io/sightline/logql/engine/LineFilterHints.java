package io.sightline.logql.engine;

import io.sightline.logql.syntax.LineFilterExpr;
import io.sightline.logql.syntax.StageExpr;
import io.sightline.logstore.LineFilterHint;
import java.util.ArrayList;
import java.util.List;

/**
 * The needles a store may use to skip chunks: the strings of the case-sensitive {@code |=} filters that every kept
 * line must pass, up to the first stage that rewrites the line ({@code line_format}, {@code unpack},
 * {@code decolorize}): after it a filter tests the new line, not the stored one. Filters with {@code or}
 * alternatives, IP filters and empty strings require nothing.
 */
final class LineFilterHints {
  private LineFilterHints() {}

  static LineFilterHint of(List<StageExpr> stages) {
    List<String> needles = new ArrayList<>();
    for (StageExpr s : stages) {
      switch (s) {
        case LineFilterExpr f -> collect(f, needles);
        case StageExpr.LineFormatExpr f -> {
          return hint(needles);
        }
        case StageExpr.DecolorizeExpr d -> {
          return hint(needles);
        }
        case StageExpr.LineParserExpr p when p.op().equals("unpack") -> {
          return hint(needles);
        }
        default -> { }
      }
    }
    return hint(needles);
  }

  private static void collect(LineFilterExpr f, List<String> out) {
    if (f.left() != null) {
      collect(f.left(), out);
    }
    if (f.type() == LineFilterExpr.Type.EQUAL && f.or() == null && !f.isIp() && !f.match().isEmpty()
        && !out.contains(f.match())) {
      out.add(f.match());
    }
  }

  private static LineFilterHint hint(List<String> needles) {
    return needles.isEmpty() ? LineFilterHint.NONE : LineFilterHint.contains(needles.toArray(String[]::new));
  }
}
