package io.sightline.logql.syntax;

import java.util.List;
import java.util.regex.Pattern;

/** A metric query: range and vector aggregations, binary operations, literals, {@code vector()}, label_replace. */
public sealed interface SampleExpr extends Expr
    permits SampleExpr.RangeAggregationExpr, SampleExpr.VectorAggregationExpr, SampleExpr.BinOpExpr,
        SampleExpr.LabelReplaceExpr, LiteralExpr, VectorExpr, InvalidExpr {

  /**
   * {@code count_over_time({app="api"}[5m])}, {@code quantile_over_time(0.99, {app="api"} | unwrap latency [5m]) by
   * (route)}: {@code parameter} is the quantile (null for the others), {@code grouping} null when absent.
   */
  record RangeAggregationExpr(LogRangeExpr left, String operation, Double parameter, Grouping grouping)
      implements SampleExpr {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(operation).append('(');
      if (parameter != null) {
        b.append(io.sightline.core.model.GoFormat.plain(parameter)).append(',');
      }
      b.append(left).append(')');
      if (grouping != null) {
        b.append(grouping);
      }
      return b.toString();
    }
  }

  /**
   * {@code sum by (app) (...)}, {@code topk(5, ...)}: {@code grouping} is never null (Loki's empty grouping is
   * {@code by ()} without labels, printed as nothing); {@code parameter} is k for topk, bottomk and approx_topk.
   */
  record VectorAggregationExpr(SampleExpr left, Grouping grouping, int parameter, String operation)
      implements SampleExpr {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(operation);
      if (!grouping.singleton()) {
        b.append(grouping);
      }
      b.append('(');
      boolean k = operation.equals("topk") || operation.equals("bottomk") || operation.equals("approx_topk");
      if (k || parameter != 0) {
        b.append(parameter).append(',');
      }
      return b.append(left).append(')').toString();
    }
  }

  /** {@code lhs op rhs}, printed fully parenthesised as Loki does. {@code options} is never null. */
  record BinOpExpr(SampleExpr lhs, String op, BinOpOptions options, SampleExpr rhs) implements SampleExpr {
    @Override
    public String toString() {
      return "(" + lhs + " " + options.decorate(op) + " " + rhs + ")";
    }
  }

  /** {@code label_replace(v, "dst", "replacement", "src", "regex")}; {@code compiled} is the anchored regex. */
  record LabelReplaceExpr(SampleExpr left, String dst, String replacement, String src, String regex,
                          Pattern compiled) implements SampleExpr {
    @Override
    public String toString() {
      return "label_replace(" + left + "," + Printer.quote(dst) + "," + Printer.quote(replacement) + ","
          + Printer.quote(src) + "," + Printer.quote(regex) + ")";
    }
  }

  /** {@code by (a,b)} or {@code without (a,b)}; {@code labels} null when written {@code by ()}. */
  record Grouping(List<String> labels, boolean without) {
    public Grouping {
      labels = labels == null ? null : List.copyOf(labels);
    }

    /** Grouping by nothing: the aggregation has one series without labels. */
    public boolean singleton() {
      return (labels == null || labels.isEmpty()) && !without;
    }

    /** {@code without ()}: every series stays as it is. */
    public boolean noop() {
      return (labels == null || labels.isEmpty()) && without;
    }

    public List<String> labelList() {
      return labels == null ? List.of() : labels;
    }

    @Override
    public String toString() {
      return (without ? " without " : " by ") + "(" + String.join(",", labelList()) + ")";
    }
  }
}
