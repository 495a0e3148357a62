package io.sightline.promql.engine;

import io.sightline.core.model.Labels;
import io.sightline.metricstore.Querier;
import io.sightline.promql.parser.Expr;
import io.sightline.promql.parser.ParenExpr;
import io.sightline.promql.parser.ParseException;
import io.sightline.promql.parser.Parser;
import io.sightline.promql.parser.StringLiteral;
import io.sightline.promql.parser.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Evaluates PromQL over a {@link Querier}, as Prometheus 3 does. */
public final class Engine {
  private final EngineOptions options;

  public Engine(EngineOptions options) {
    this.options = options;
  }

  public EngineOptions options() {
    return options;
  }

  /** {@code query} at one instant ({@code /api/v1/query}). */
  public QueryResult instant(Querier querier, String query, long timeMs) throws QueryException {
    return instant(querier, query, timeMs, () -> false);
  }

  /** As {@link #instant(Querier, String, long)}; {@code canceled} is polled, and stops the query when true. */
  public QueryResult instant(Querier querier, String query, long timeMs, BooleanSupplier canceled)
      throws QueryException {
    return execute(querier, parse(query), timeMs, timeMs, 1, true, canceled);
  }

  /** {@code query} at {@code start, start + step, …, end} ({@code /api/v1/query_range}); the result is a matrix. */
  public QueryResult range(Querier querier, String query, long startMs, long endMs, long stepMs)
      throws QueryException {
    return range(querier, query, startMs, endMs, stepMs, () -> false);
  }

  public QueryResult range(Querier querier, String query, long startMs, long endMs, long stepMs,
      BooleanSupplier canceled) throws QueryException {
    Expr expr = parse(query);
    if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
      throw new QueryException(QueryException.Kind.BAD_DATA, "invalid expression type \""
          + expr.type().description() + "\" for range query, must be Scalar or instant Vector");
    }
    return execute(querier, expr, startMs, endMs, stepMs, false, canceled);
  }

  private static Expr parse(String query) throws QueryException {
    try {
      return Parser.parse(query);
    } catch (ParseException e) {
      throw new QueryException(QueryException.Kind.BAD_DATA, e.getMessage());
    }
  }

  private QueryResult execute(Querier querier, Expr expr, long start, long end, long step, boolean instant,
      BooleanSupplier canceled) throws QueryException {
    Annotations annotations = new Annotations();
    Limits limits = new Limits(options.maxSamples(), options.timeout().toNanos(), canceled);
    limits.checkSteps((end - start) / step + 1);
    Evaluator ev = new Evaluator(querier, start, end, step, options.lookbackDelta().toMillis(), limits, annotations,
        start, end, step);
    Value value;
    try {
      value = switch (expr.type()) {
        case STRING -> new Value.StringValue(start, string(expr));
        case MATRIX -> rangeVector(ev, expr);
        case SCALAR -> {
          List<Steps> s = ev.eval(expr);
          Steps only = s.get(0);
          if (instant) {
            yield new Value.Scalar(start, only.count == 0 ? Double.NaN : only.values[0]);
          }
          yield toMatrix(List.of(only));
        }
        case VECTOR -> {
          List<Steps> s = dropNames(ev.eval(expr), instant);
          if (instant) {
            List<Sample> samples = new ArrayList<>(s.size());
            for (Steps x : s) {
              if (x.count > 0) {
                samples.add(new Sample(x.labels, start, x.values[0], x.histogram(0)));
              }
            }
            yield new Vector(samples);
          }
          s.sort((a, b) -> a.labels.compareTo(b.labels));
          yield toMatrix(s);
        }
      };
    } catch (StackOverflowError e) {
      throw new QueryException(QueryException.Kind.EXECUTION, "query is nested too deeply");
    } catch (RuntimeException e) {
      // Prometheus recovers a panic in evaluation the same way: the query fails, the server goes on
      throw new QueryException(QueryException.Kind.EXECUTION, "unexpected error: " + e);
    }
    return new QueryResult(value, annotations.warnings(), annotations.infos());
  }

  private static String string(Expr e) {
    return e instanceof ParenExpr p ? string(p.expr()) : ((StringLiteral) e).value();
  }

  /** An instant query of a range vector: the raw samples of each series in its window. */
  private static Value rangeVector(Evaluator ev, Expr expr) throws QueryException {
    Evaluator.RangeInput input = ev.rangeInput(expr);
    long ref = ev.refTime(ev.start, input.at(), input.offsetMs());
    List<Matrix.Series> out = new ArrayList<>();
    List<Steps> series = new ArrayList<>(input.series());
    series.sort((a, b) -> a.labels.compareTo(b.labels));
    for (Steps s : series) {
      Steps window = new Steps(s.dropName ? LabelSets.withoutName(s.labels) : s.labels, false, 8);
      for (int i = 0; i < s.count; i++) {
        if (s.times[i] > ref - input.rangeMs() && s.times[i] <= ref && !Evaluator.isStale(s, i)) {
          window.add(s.times[i], s.values[i], s.histogram(i));
        }
      }
      if (window.count > 0) {
        out.add(new Matrix.Series(window.labels, window.times, window.values, window.histograms, window.count));
      }
    }
    return new Matrix(out);
  }

  /** Prometheus 3's delayed name removal, at the end: then series that became equal merge, or clash. */
  private static List<Steps> dropNames(List<Steps> in, boolean instant) throws QueryException {
    List<Steps> out = new ArrayList<>(in);
    boolean any = false;
    for (Steps s : out) {
      if (s.dropName) {
        Labels l = s.labels;
        if (!l.get(Labels.METRIC_NAME).isEmpty() || !l.get("__type__").isEmpty() || !l.get("__unit__").isEmpty()) {
          s.labels = l.toBuilder().delete(Labels.METRIC_NAME).delete("__type__").delete("__unit__").build();
          any = true;
        }
      }
    }
    if (!any) {
      return out;
    }
    if (instant) {
      java.util.Set<Labels> seen = new java.util.HashSet<>();
      for (Steps s : out) {
        if (s.count > 0 && !seen.add(s.labels)) {
          throw new QueryException(QueryException.Kind.EXECUTION,
              "vector cannot contain metrics with the same labelset");
        }
      }
      return out;
    }
    return new ArrayList<>(FunctionCalls.mergeSameLabels(out));
  }

  private static Matrix toMatrix(List<Steps> series) {
    List<Matrix.Series> out = new ArrayList<>(series.size());
    for (Steps s : series) {
      if (s.count > 0) {
        out.add(new Matrix.Series(s.labels, s.times, s.values, s.histograms, s.count));
      }
    }
    return new Matrix(out);
  }
}
