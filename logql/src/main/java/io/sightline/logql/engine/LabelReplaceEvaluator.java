package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
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
    String res = expand(expr.replacement(), m);
    return metric.toBuilder().delete(expr.dst()).set(expr.dst(), res).build();
  }

  /**
   * Go's {@code Regexp.Expand}: {@code $name} or {@code ${name}} (a name is the longest run of letters, digits and
   * underscores), a number or a group name, the first group of that name; {@code $$} is a dollar sign; an unknown
   * group is empty.
   */
  private String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      int start;
      int end;
      int after;
      if (n == '{') {
        start = i + 2;
        end = template.indexOf('}', start);
        if (end < 0 || !wordRun(template, start, end)) {
          out.append(c);
          i++;
          continue;
        }
        after = end + 1;
      } else {
        start = i + 1;
        end = start;
        while (end < template.length() && wordChar(template.charAt(end))) {
          end++;
        }
        if (end == start) {
          out.append(c);
          i++;
          continue;
        }
        after = end;
      }
      String name = template.substring(start, end);
      int group = -1;
      if (name.chars().allMatch(Character::isDigit)) {
        try {
          group = Integer.parseInt(name);
        } catch (NumberFormatException e) {
          group = -1;
        }
      } else {
        int at = groupNames.indexOf(name);
        group = at < 0 ? -1 : at + 1;
      }
      if (group >= 0 && group <= m.groupCount() && m.group(group) != null) {
        out.append(m.group(group));
      }
      i = after;
    }
    return out.toString();
  }

  private static boolean wordChar(char c) {
    return c == '_' || c < 128 && Character.isLetterOrDigit(c);
  }

  private static boolean wordRun(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!wordChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    next.close();
  }
}
