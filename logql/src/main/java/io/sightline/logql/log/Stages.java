package io.sightline.logql.log;

import io.sightline.logql.syntax.LabelFilter;
import io.sightline.logql.syntax.LineFilterExpr;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.PatternSyntax;
import io.sightline.logql.syntax.RegexpSyntax;
import io.sightline.logql.syntax.StageExpr;
import io.sightline.logql.template.Funcs;
import io.sightline.logql.template.Template;
import io.sightline.logql.template.TemplateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed stages into runnable ones, as Loki's {@code MultiStageExpr.stages()} does: line filters move to the
 * front of each run of stages that do not change the line (Loki's {@code reorderStages}), consecutive ones become
 * one filter, always-true filters drop out, and a stage that cannot be built fails the query with Loki's stage
 * error ({@code stage '| json a="["' : ...}).
 */
final class Stages {
  private Stages() {}

  static List<Stage> compile(List<StageExpr> parsed) throws ParseException {
    List<Stage> out = new ArrayList<>();
    for (Object e : reorder(parsed)) {
      Stage s;
      try {
        s = compile(e);
      } catch (IllegalArgumentException x) {
        throw ParseException.stage(e.toString(), x.getMessage());
      }
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** Loki's {@code reorderStages}. */
  static List<Object> reorder(List<StageExpr> stages) {
    List<Object> result = new ArrayList<>();
    List<LineFilterExpr> filters = new ArrayList<>();
    List<StageExpr> others = new ArrayList<>();
    for (StageExpr s : stages) {
      switch (s) {
        case StageExpr.LabelFilterExpr f -> {
          flush(result, filters, others);
          result.add(f);
        }
        case LineFilterExpr f -> filters.add(f);
        case StageExpr.LineFormatExpr f -> {
          others.add(f);
          flush(result, filters, others);
        }
        case StageExpr.LineParserExpr p -> {
          others.add(p);
          if (p.op().equals("unpack")) {
            flush(result, filters, others);
          }
        }
        default -> others.add(s);
      }
    }
    flush(result, filters, others);
    return result;
  }

  private static void flush(List<Object> result, List<LineFilterExpr> filters, List<StageExpr> others) {
    if (!filters.isEmpty()) {
      result.add(filters.size() == 1 ? filters.get(0) : new CombinedFilters(List.copyOf(filters)));
    }
    result.addAll(others);
    filters.clear();
    others.clear();
  }

  /** Line filters that Loki chains into one ({@code combineFilters}); printed as the filters one after another. */
  record CombinedFilters(List<LineFilterExpr> filters) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (LineFilterExpr f : filters) {
        if (!b.isEmpty()) {
          b.append(' ');
        }
        b.append(f);
      }
      return b.toString();
    }
  }

  /** Null for a stage that does nothing (Loki's {@code NoopStage}). */
  private static Stage compile(Object e) {
    return switch (e) {
      case CombinedFilters c -> {
        List<LineFilter> all = new ArrayList<>();
        for (LineFilterExpr f : c.filters()) {
          all.add(LineFilter.of(f));
        }
        yield filterStage(LineFilter.and(all));
      }
      case LineFilterExpr f -> filterStage(LineFilter.of(f));
      case StageExpr.LogfmtParserExpr p -> new LogfmtParser(p.strict(), p.keepEmpty());
      case StageExpr.LineParserExpr p -> switch (p.op()) {
        case "json" -> new JsonParser();
        case "unpack" -> new UnpackParser();
        case "regexp" -> new RegexpParser(RegexpSyntax.check(p.param()));
        case "pattern" -> new PatternParser(new LinePattern(PatternSyntax.parse(p.param())));
        default -> throw new IllegalArgumentException("unknown parser operator: " + p.op());
      };
      case StageExpr.JsonExpressionParserExpr j -> {
        String[] ids = new String[j.expressions().size()];
        List<List<Object>> paths = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
          StageExpr.LabelExtraction x = j.expressions().get(i);
          try {
            paths.add(JsonPath.parse(x.expression()));
          } catch (IllegalArgumentException err) {
            throw new IllegalArgumentException("cannot parse expression [" + x.expression() + "]: "
                + err.getMessage());
          }
          ids[i] = checkName(x.identifier());
        }
        yield new JsonExpressionParser(ids, paths);
      }
      case StageExpr.LogfmtExpressionParserExpr l -> {
        Map<String, String> keys = new LinkedHashMap<>();
        for (StageExpr.LabelExtraction x : l.expressions()) {
          keys.put(checkName(x.identifier()), logfmtKey(x.expression()));
        }
        yield new LogfmtExpressionParser(keys, l.strict());
      }
      case StageExpr.LabelFilterExpr f -> {
        LabelFilterStage s = LabelFilterStage.of(f.filter());
        yield s.noop() ? null : s;
      }
      case StageExpr.LineFormatExpr f -> {
        try {
          yield new LineFormatter(Template.parse("line", f.template(), Funcs.NAMES));
        } catch (TemplateException x) {
          throw new IllegalArgumentException("invalid line template: " + x.getMessage());
        }
      }
      case StageExpr.LabelFormatExpr f -> {
        Set<String> names = new HashSet<>();
        List<LabelsFormatter.Format> formats = new ArrayList<>();
        for (StageExpr.LabelFormat lf : f.formats()) {
          if (lf.name().equals(LabelsBuilder.ERROR)) {
            throw new IllegalArgumentException(lf.name() + " cannot be formatted");
          }
          if (!names.add(lf.name())) {
            throw new IllegalArgumentException("multiple label name '" + lf.name()
                + "' not allowed in a single format operation");
          }
        }
        for (StageExpr.LabelFormat lf : f.formats()) {
          if (lf.rename()) {
            formats.add(new LabelsFormatter.Format(lf.name(), lf.value(), null));
            continue;
          }
          try {
            formats.add(new LabelsFormatter.Format(lf.name(), null, Template.parse("label", lf.value(),
                Funcs.NAMES)));
          } catch (TemplateException x) {
            throw new IllegalArgumentException("invalid template for label '" + lf.name() + "': " + x.getMessage());
          }
        }
        yield new LabelsFormatter(formats);
      }
      case StageExpr.DecolorizeExpr d -> new Decolorizer();
      case StageExpr.DropLabelsExpr d -> new DropLabels(d.labels());
      case StageExpr.KeepLabelsExpr k -> new KeepLabels(k.labels());
      default -> throw new IllegalStateException("unknown stage " + e);
    };
  }

  private static String checkName(String id) {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("invalid extracted label name '" + id + "'");
    }
    return id;
  }

  /** The key of {@code | logfmt a="key"} (Loki's logfmt expression is a key name or a quoted string). */
  private static String logfmtKey(String expr) {
    String e = expr.strip();
    if (e.startsWith("\"")) {
      int end = e.indexOf('"', 1);
      return end < 0 ? e.substring(1) : e.substring(1, end);
    }
    int i = 0;
    if (e.isEmpty() || !(Character.isLetter(e.charAt(0)) && e.charAt(0) < 128 || e.charAt(0) == '_')) {
      throw new IllegalArgumentException("cannot parse expression [" + expr + "]: unexpected char "
          + (e.isEmpty() ? "" : e.substring(0, 1)));
    }
    while (i < e.length() && (Character.isLetterOrDigit(e.charAt(i)) && e.charAt(i) < 128 || e.charAt(i) == '_')) {
      i++;
    }
    return e.substring(0, i);
  }

  private static Stage filterStage(LineFilter f) {
    if (f.isTrue()) {
      return null;
    }
    return (ts, line, lbs) -> f.test(line.buf, line.off, line.len);
  }

  /** Label filters of an unwrap, reduced with {@code and} (Loki's {@code ReduceAndLabelFilter}). */
  static Stage postFilter(List<LabelFilter> filters) throws ParseException {
    if (filters.isEmpty()) {
      return null;
    }
    LabelFilter f = filters.get(0);
    for (int i = 1; i < filters.size(); i++) {
      f = new LabelFilter.Binary(f, filters.get(i), true);
    }
    try {
      return LabelFilterStage.of(f);
    } catch (IllegalArgumentException x) {
      throw ParseException.stage(f.toString(), x.getMessage());
    }
  }
}
