package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.core.model.RegexTemplate;
import io.sightline.logql.engine.LogqlResult.Sample;
import io.sightline.logql.syntax.GoRegex;
import io.sightline.logql.syntax.SampleExpr.LabelReplaceExpr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * {@code label_replace(v, "dst", "replacement", "src", "regex")}: where the anchored regex matches the source
 * label's value, the destination label becomes the expanded replacement (removed when empty); otherwise the sample
 * stays as it is.
 */
final class LabelReplaceEvaluator implements StepEvaluator {
  private final StepEvaluator next;
  private final LabelReplaceExpr expr;
  private final Map<Labels, Labels> cache = new HashMap<>();

  /** The Go names of the regex's groups 1..n, which the Java pattern numbers only. */
  private final List<String> groupNames;

  LabelReplaceEvaluator(StepEvaluator next, LabelReplaceExpr expr) {
    this.next = next;
    this.expr = expr;
    List<String> names;
    try {
      names = GoRegex.parse("^(?:" + expr.regex() + ")$").groupNames();
    } catch (GoRegex.SyntaxError e) {
      names = List.of(); // the parser compiled it already
    }
    this.groupNames = names;
  }

  @Override
  public StepVector next() throws IOException, QueryException {
    StepVector v = next.next();
    if (v == null) {
      return null;
    }
    List<Sample> out = new ArrayList<>(v.samples().size());
    for (Sample s : v.samples()) {
      out.add(new Sample(cache.computeIfAbsent(s.metric(), this::replace), s.timestampMillis(), s.value()));
    }
    return new StepVector(v.timestampMillis(), out);
  }

  private Labels replace(Labels metric) {
    Matcher m = expr.compiled().matcher(metric.get(expr.src()));
    if (!m.matches()) {
      return metric;
    }
    String res = RegexTemplate.expand(expr.replacement(), m, groupNames);
    return metric.toBuilder().delete(expr.dst()).set(expr.dst(), res).build();
  }

  @Override
  public void close() throws IOException {
    next.close();
  }
}
