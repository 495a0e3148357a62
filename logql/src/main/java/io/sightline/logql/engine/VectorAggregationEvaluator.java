package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult.Sample;
import io.sightline.logql.syntax.SampleExpr.VectorAggregationExpr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sum by (app) (...)} and the other vector aggregations, per step, as Loki's {@code VectorAggEvaluator}: each
 * sample goes to the group of its {@code by} labels (or of all labels but the {@code without} ones); topk, bottomk,
 * sort and sort_desc keep the samples themselves, ordered by value.
 */
final class VectorAggregationEvaluator implements StepEvaluator {
  /** Descending, NaN last (Prometheus' {@code vectorByValueHeap} reversed); ties by labels, for a stable order. */
  private static final Comparator<Sample> DESC = (a, b) -> {
    int c = nanLast(a.value(), b.value(), true);
    return c != 0 ? c : a.metric().compareTo(b.metric());
  };
  private static final Comparator<Sample> ASC = (a, b) -> {
    int c = nanLast(a.value(), b.value(), false);
    return c != 0 ? c : a.metric().compareTo(b.metric());
  };

  private final StepEvaluator next;
  private final VectorAggregationExpr expr;
  private final String[] groups;
  private final boolean without;
  private final Map<Labels, Labels> groupCache = new HashMap<>();

  VectorAggregationEvaluator(StepEvaluator next, VectorAggregationExpr expr) {
    this.next = next;
    this.expr = expr;
    this.groups = expr.grouping().labelList().stream().sorted().distinct().toArray(String[]::new);
    this.without = expr.grouping().without();
  }

  @Override
  public StepVector next() throws IOException, QueryException {
    StepVector v = next.next();
    if (v == null) {
      return null;
    }
    // Loki answers approx_topk outside sharding with topk over a count-min sketch; exact counts give topk's answer.
    String op = expr.operation().equals("approx_topk") ? "topk" : expr.operation();
    int k = expr.parameter();
    if ((op.equals("topk") || op.equals("bottomk")) && k < 1) {
      return new StepVector(v.timestampMillis(), List.of());
    }
    Map<Labels, Group> result = new LinkedHashMap<>();
    for (Sample s : v.samples()) {
      Labels key = groupLabels(s.metric());
      Group g = result.get(key);
      double f = s.value();
      if (g == null) {
        g = new Group(key, f);
        result.put(key, g);
        switch (op) {
          case "stdvar", "stddev" -> g.value = 0;
          case "topk", "bottomk", "sort", "sort_desc" -> g.samples.add(s);
          default -> { }
        }
        continue;
      }
      switch (op) {
        case "sum" -> g.value += f;
        case "avg" -> {
          g.count++;
          if (Double.isInfinite(g.mean)) {
            if (Double.isInfinite(f) && (g.mean > 0) == (f > 0)) {
              break;
            }
            if (!Double.isInfinite(f) && !Double.isNaN(f)) {
              break;
            }
          }
          g.mean += (f - g.mean) / g.count;
        }
        case "max" -> {
          if (g.value < f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case "min" -> {
          if (g.value > f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case "count" -> g.count++;
        case "stddev", "stdvar" -> {
          g.count++;
          double delta = f - g.mean;
          g.mean += delta / g.count;
          g.value += delta * (f - g.mean);
        }
        case "topk", "bottomk", "sort", "sort_desc" -> g.samples.add(s);
        default -> throw new QueryException(500, "expected aggregation operator but got \"" + op + "\"");
      }
    }
    List<Sample> out = new ArrayList<>(result.size());
    long ts = v.timestampMillis();
    for (Group g : result.values()) {
      switch (op) {
        case "avg" -> out.add(new Sample(g.labels, ts, g.mean));
        case "count" -> out.add(new Sample(g.labels, ts, g.count));
        case "stddev" -> out.add(new Sample(g.labels, ts, Math.sqrt(g.value / g.count)));
        case "stdvar" -> out.add(new Sample(g.labels, ts, g.value / g.count));
        case "topk", "sort_desc", "bottomk", "sort" -> {
          boolean desc = op.equals("topk") || op.equals("sort_desc");
          g.samples.sort(desc ? DESC : ASC);
          int n = op.startsWith("sort") ? g.samples.size() : Math.min(k, g.samples.size());
          for (int i = 0; i < n; i++) {
            Sample s = g.samples.get(i);
            out.add(new Sample(s.metric(), ts, s.value()));
          }
        }
        default -> out.add(new Sample(g.labels, ts, g.value));
      }
    }
    return new StepVector(ts, out);
  }

  /** A series keeps its group from step to step: computed once per series. */
  private Labels groupLabels(Labels metric) {
    return groupCache.computeIfAbsent(metric, this::computeGroupLabels);
  }

  private Labels computeGroupLabels(Labels metric) {
    if (without) {
      Labels.Builder b = metric.toBuilder();
      for (String g : groups) {
        b.delete(g);
      }
      b.delete(Labels.METRIC_NAME);
      return b.build();
    }
    if (groups.length == 0) {
      return Labels.EMPTY;
    }
    List<String> pairs = new ArrayList<>(groups.length * 2);
    for (String g : groups) {
      String val = metric.get(g);
      if (!val.isEmpty()) {
        pairs.add(g);
        pairs.add(val);
      }
    }
    return Labels.of(pairs.toArray(String[]::new));
  }

  /** Orders values with NaN after every number. */
  private static int nanLast(double a, double b, boolean desc) {
    boolean na = Double.isNaN(a);
    boolean nb = Double.isNaN(b);
    if (na || nb) {
      return na == nb ? 0 : na ? 1 : -1;
    }
    return desc ? Double.compare(b, a) : Double.compare(a, b);
  }

  @Override
  public void close() throws IOException {
    next.close();
  }

  private static final class Group {
    final Labels labels;
    double value;
    double mean;
    int count = 1;
    final List<Sample> samples = new ArrayList<>();

    Group(Labels labels, double first) {
      this.labels = labels;
      this.value = first;
      this.mean = first;
    }
  }
}
