package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/** One stage of a log pipeline, as written after the stream selector. */
public sealed interface StageExpr
    permits LineFilterExpr, StageExpr.LogfmtParserExpr, StageExpr.LineParserExpr, StageExpr.JsonExpressionParserExpr,
        StageExpr.LogfmtExpressionParserExpr, StageExpr.LabelFilterExpr, StageExpr.LineFormatExpr,
        StageExpr.LabelFormatExpr, StageExpr.DecolorizeExpr, StageExpr.DropLabelsExpr, StageExpr.KeepLabelsExpr {

  /** {@code | logfmt}, {@code | logfmt --strict --keep-empty}. */
  record LogfmtParserExpr(boolean strict, boolean keepEmpty) implements StageExpr {
    @Override
    public String toString() {
      return "| logfmt" + (strict ? " --strict" : "") + (keepEmpty ? " --keep-empty" : "");
    }
  }

  /** {@code | json}, {@code | unpack}, {@code | regexp "..."}, {@code | pattern "..."}. */
  record LineParserExpr(String op, String param) implements StageExpr {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("| ").append(op);
      if (!param.isEmpty()) {
        b.append(' ').append(Printer.quote(param));
      }
      if ((op.equals("regexp") || op.equals("pattern")) && param.isEmpty()) {
        b.append(" \"\"");
      }
      return b.toString();
    }
  }

  /** {@code name="expression"} in {@code | json a="b.c"} and {@code | logfmt a="b"}. */
  record LabelExtraction(String identifier, String expression) {}

  /** {@code | json first="a.b", second="c[0]"}. */
  record JsonExpressionParserExpr(List<LabelExtraction> expressions) implements StageExpr {
    public JsonExpressionParserExpr {
      expressions = List.copyOf(expressions);
    }

    @Override
    public String toString() {
      return "| json " + Printer.extractions(expressions);
    }
  }

  /** {@code | logfmt --strict a="b", c}. */
  record LogfmtExpressionParserExpr(List<LabelExtraction> expressions, boolean strict, boolean keepEmpty)
      implements StageExpr {
    public LogfmtExpressionParserExpr {
      expressions = List.copyOf(expressions);
    }

    @Override
    public String toString() {
      return "| logfmt " + (strict ? "--strict " : "") + (keepEmpty ? "--keep-empty " : "")
          + Printer.extractions(expressions);
    }
  }

  /** {@code | status >= 500 and level="error"}. */
  record LabelFilterExpr(LabelFilter filter) implements StageExpr {
    @Override
    public String toString() {
      return "| " + filter;
    }
  }

  /** {@code | line_format "{{.msg}}"}. */
  record LineFormatExpr(String template) implements StageExpr {
    @Override
    public String toString() {
      return "| line_format " + Printer.quote(template);
    }
  }

  /** One {@code dst=src} (rename) or {@code dst="{{template}}"} of label_format. */
  record LabelFormat(String name, String value, boolean rename) {}

  /** {@code | label_format a=b, c="{{.d}}"}. */
  record LabelFormatExpr(List<LabelFormat> formats) implements StageExpr {
    public LabelFormatExpr {
      formats = List.copyOf(formats);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("| label_format ");
      for (int i = 0; i < formats.size(); i++) {
        LabelFormat f = formats.get(i);
        if (i > 0) {
          b.append(',');
        }
        b.append(f.name()).append('=').append(f.rename() ? f.value() : Printer.quote(f.value()));
      }
      return b.toString();
    }
  }

  /** {@code | decolorize}. */
  record DecolorizeExpr() implements StageExpr {
    @Override
    public String toString() {
      return "| decolorize";
    }
  }

  /** A name ({@code matcher} null) or a matcher ({@code name} empty) in drop and keep. */
  record NamedMatcher(LabelMatcher matcher, String name) {
    @Override
    public String toString() {
      return matcher != null ? Printer.matcher(matcher) : name;
    }
  }

  /** {@code | drop a, b="x"}. */
  record DropLabelsExpr(List<NamedMatcher> labels) implements StageExpr {
    public DropLabelsExpr {
      labels = List.copyOf(labels);
    }

    @Override
    public String toString() {
      return "| drop " + Printer.named(labels);
    }
  }

  /** {@code | keep a, b="x"}. */
  record KeepLabelsExpr(List<NamedMatcher> labels) implements StageExpr {
    public KeepLabelsExpr {
      labels = List.copyOf(labels);
    }

    @Override
    public String toString() {
      return "| keep " + Printer.named(labels);
    }
  }
}
