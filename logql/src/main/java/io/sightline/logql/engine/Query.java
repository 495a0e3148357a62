package io.sightline.logql.engine;

import io.sightline.core.model.Durations;
import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult.Point;
import io.sightline.logql.engine.LogqlResult.Sample;
import io.sightline.logql.engine.LogqlResult.Series;
import io.sightline.logql.log.SampleExtractor;
import io.sightline.logql.syntax.Expr;
import io.sightline.logql.syntax.LiteralExpr;
import io.sightline.logql.syntax.LogSelectorExpr;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.Parser;
import io.sightline.logql.syntax.SampleExpr;
import io.sightline.logql.syntax.SampleExpr.BinOpExpr;
import io.sightline.logql.syntax.SampleExpr.LabelReplaceExpr;
import io.sightline.logql.syntax.SampleExpr.RangeAggregationExpr;
import io.sightline.logql.syntax.SampleExpr.VectorAggregationExpr;
import io.sightline.logql.syntax.VectorExpr;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.SelectRequest.Direction;
import java.io.IOException;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One query's run, as Loki's {@code query.Exec} with the checks of its querier's handlers before it: parse, limits,
 * then a log query ({@link LogQueryReader}) or a metric query (step evaluators joined into a vector or matrix).
 */
final class Query {
  private final EngineLimits limits;
  private final LogQuerier querier;
  private final BooleanSupplier canceled;
  private final long started = System.nanoTime();

  Query(LogqlEngine engine, LogQuerier querier, BooleanSupplier canceled) {
    this.limits = engine.limits();
    this.querier = querier;
    this.canceled = canceled;
  }

  LogqlResult instant(String query, long timeNanos, Direction direction, int limit) throws ParseException,
      QueryException {
    Expr e = Parser.parseExpr(query);
    if (!(e instanceof SampleExpr s)) {
      throw QueryException.badRequest("log queries are not supported as an instant query type, please change your "
          + "query to a range query type");
    }
    checkRangeIntervals(s);
    QueryContext ctx = context(timeNanos, timeNanos, 0);
    if (s instanceof LiteralExpr l) {
      return new LogqlResult.Scalar(timeNanos / 1_000_000, l.value(), ctx.stats().result(elapsed(), 0));
    }
    if (s instanceof VectorExpr v) {
      return new LogqlResult.Vector(List.of(new Sample(Labels.EMPTY, timeNanos / 1_000_000, v.value())),
          ctx.stats().result(elapsed(), 1));
    }
    try (StepEvaluator ev = evaluator(s, ctx)) {
      StepVector v = ev.next();
      List<Sample> samples = v == null ? List.of() : new ArrayList<>(v.samples());
      if (limits.maxQuerySeries() > 0 && samples.size() > limits.maxQuerySeries()) {
        throw seriesLimit();
      }
      if (!sortable(s)) {
        samples.sort((a, b) -> a.metric().compareTo(b.metric()));
      }
      return new LogqlResult.Vector(samples, ctx.stats().result(elapsed(), samples.size()));
    } catch (IOException x) {
      throw storeError(x);
    }
  }

  LogqlResult range(String query, long startNanos, long endNanos, long stepNanos, long intervalNanos,
      Direction direction, int limit) throws ParseException, QueryException {
    // The checks of Loki's ParseRangeQuery, in its order.
    if (endNanos < startNanos) {
      throw QueryException.badRequest("end timestamp must not be before or equal to start time");
    }
    if (stepNanos <= 0) {
      throw QueryException.badRequest(
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (limits.maxPointsPerSeries() > 0 && (endNanos - startNanos) / stepNanos > limits.maxPointsPerSeries()) {
      throw QueryException.badRequest("exceeded maximum resolution of "
          + NumberFormat.getIntegerInstance(Locale.US).format(limits.maxPointsPerSeries())
          + " points per time series. Try increasing the value of the step parameter");
    }
    if (intervalNanos < 0) {
      throw QueryException.badRequest("interval must be >= 0");
    }
    Expr e = Parser.parseExpr(query);
    if (e instanceof LogSelectorExpr && !(e instanceof SampleExpr)) {
      checkEntriesLimit(limit);
    }
    long maxLength = limits.maxQueryLength().toNanos();
    if (maxLength > 0 && endNanos - startNanos > maxLength) {
      throw QueryException.badRequest("the query time range exceeds the limit (query length: "
          + LabelStrings.goDuration(endNanos - startNanos) + ", limit: " + Durations.format(maxLength / 1_000_000)
          + ")");
    }
    QueryContext ctx = context(startNanos, endNanos, stepNanos);
    if (!(e instanceof SampleExpr s)) {
      LogqlResult.Streams streams = new LogQueryReader((LogSelectorExpr) e, ctx, direction, limit, intervalNanos)
          .read();
      return new LogqlResult.Streams(streams.streams(), direction, ctx.stats().result(elapsed(), streams.entries()));
    }
    checkRangeIntervals(s);
    if (s instanceof LiteralExpr l) {
      return constantMatrix(l.value(), ctx);
    }
    if (s instanceof VectorExpr v) {
      return constantMatrix(v.value(), ctx);
    }
    try (StepEvaluator ev = evaluator(s, ctx)) {
      Map<Labels, List<Point>> series = new LinkedHashMap<>();
      boolean first = true;
      long total = 0;
      for (StepVector v = ev.next(); v != null; v = ev.next()) {
        if (first && limits.maxQuerySeries() > 0 && v.samples().size() > limits.maxQuerySeries()) {
          throw seriesLimit();
        }
        first = false;
        for (Sample sample : v.samples()) {
          List<Point> points = series.get(sample.metric());
          if (points == null) {
            if (limits.maxQuerySeries() > 0 && series.size() >= limits.maxQuerySeries()) {
              throw seriesLimit();
            }
            points = new ArrayList<>();
            series.put(sample.metric(), points);
          }
          points.add(new Point(sample.timestampMillis(), sample.value()));
          total++;
        }
      }
      List<Series> out = new ArrayList<>(series.size());
      series.forEach((m, p) -> out.add(new Series(m, p)));
      out.sort((a, b) -> a.metric().compareTo(b.metric()));
      return new LogqlResult.Matrix(out, ctx.stats().result(elapsed(), total));
    } catch (IOException x) {
      throw storeError(x);
    }
  }

  private LogqlResult constantMatrix(double value, QueryContext ctx) {
    List<Point> points = new ArrayList<>();
    for (long t = ctx.startNanos(); t <= ctx.endNanos(); t += ctx.stepNanos()) {
      points.add(new Point(t / 1_000_000, value));
    }
    return new LogqlResult.Matrix(List.of(new Series(Labels.EMPTY, points)),
        ctx.stats().result(elapsed(), points.size()));
  }

  private QueryContext context(long start, long end, long step) {
    return new QueryContext(querier, start, end, step, limits.queryTimeout().toNanos(), canceled);
  }

  private long elapsed() {
    return System.nanoTime() - started;
  }

  private void checkEntriesLimit(int limit) throws QueryException {
    int max = limits.maxEntriesLimitPerQuery();
    if (max > 0 && limit > max) {
      throw QueryException.badRequest("max entries limit per query exceeded, limit > max_entries_limit_per_query ("
          + limit + " > " + max + ")");
    }
  }

  private QueryException seriesLimit() {
    return QueryException.badRequest("maximum number of series (" + limits.maxQuerySeries() + ") reached for a single "
        + "query; consider reducing query cardinality by adding more specific stream selectors, reducing the time "
        + "range, or aggregating results with functions like sum(), count() or topk()");
  }

  private static QueryException storeError(IOException x) {
    return new QueryException(500, x.getMessage() == null ? x.toString() : x.getMessage());
  }

  /** Loki's {@code checkIntervalLimit} ({@code max_query_range}): no range longer than the limit. */
  private void checkRangeIntervals(SampleExpr e) throws QueryException {
    long max = limits.maxQueryRange().toNanos();
    if (max <= 0) {
      return;
    }
    for (RangeAggregationExpr r : rangeAggregations(e, new ArrayList<>())) {
      if (r.left().intervalNanos() > max) {
        throw QueryException.badRequest("[interval] value exceeds limit: [" + Durations.format(
            r.left().intervalNanos() / 1_000_000) + "] > [" + Durations.format(max / 1_000_000) + "]");
      }
    }
  }

  private static List<RangeAggregationExpr> rangeAggregations(SampleExpr e, List<RangeAggregationExpr> out) {
    switch (e) {
      case RangeAggregationExpr r -> out.add(r);
      case VectorAggregationExpr v -> rangeAggregations(v.left(), out);
      case BinOpExpr b -> {
        rangeAggregations(b.lhs(), out);
        rangeAggregations(b.rhs(), out);
      }
      case LabelReplaceExpr l -> rangeAggregations(l.left(), out);
      default -> { }
    }
    return out;
  }

  /** Loki's {@code Sortable}: a query with sort or sort_desc keeps the order its aggregation made. */
  private static boolean sortable(SampleExpr e) {
    return switch (e) {
      case VectorAggregationExpr v -> v.operation().equals("sort") || v.operation().equals("sort_desc")
          || sortable(v.left());
      case BinOpExpr b -> sortable(b.lhs()) || sortable(b.rhs());
      case LabelReplaceExpr l -> sortable(l.left());
      default -> false;
    };
  }

  /** Loki's {@code DefaultEvaluator.NewStepEvaluator}. */
  private StepEvaluator evaluator(SampleExpr e, QueryContext ctx) throws ParseException, QueryException {
    return switch (e) {
      case VectorAggregationExpr v -> {
        StepEvaluator inner;
        if (v.left() instanceof RangeAggregationExpr range && v.operation().equals("sum")) {
          // Loki sends the sum to the extractor, which then keeps only the labels the sum groups by.
          RangeAggregationExpr r = LineFormatRemoval.apply(range);
          inner = rangeEvaluator(r, SampleExtractor.compile(new VectorAggregationExpr(r, v.grouping(),
              v.parameter(), v.operation())), ctx);
        } else {
          inner = evaluator(v.left(), ctx);
        }
        yield new VectorAggregationEvaluator(inner, v);
      }
      case RangeAggregationExpr range -> {
        RangeAggregationExpr r = LineFormatRemoval.apply(range);
        yield rangeEvaluator(r, SampleExtractor.compile(r), ctx);
      }
      case BinOpExpr b -> {
        if (b.lhs() instanceof LiteralExpr l) {
          yield new LiteralBinOpEvaluator(b.op(), l.value(), evaluator(b.rhs(), ctx), false,
              b.options().returnBool());
        }
        if (b.rhs() instanceof LiteralExpr l) {
          yield new LiteralBinOpEvaluator(b.op(), l.value(), evaluator(b.lhs(), ctx), true,
              b.options().returnBool());
        }
        yield new BinOpEvaluator(b, evaluator(b.lhs(), ctx), evaluator(b.rhs(), ctx));
      }
      case LabelReplaceExpr l -> new LabelReplaceEvaluator(evaluator(l.left(), ctx), l);
      case VectorExpr v -> new ConstantVectorEvaluator(v.value(), ctx.startNanos(), ctx.endNanos(),
          ctx.stepNanos());
      default -> throw new QueryException(500, "unexpected expr type (" + e.getClass().getSimpleName()
          + ") for Evaluator type (*logql.DefaultEvaluator) ");
    };
  }

  private static StepEvaluator rangeEvaluator(RangeAggregationExpr r, SampleExtractor extractor, QueryContext ctx)
      throws QueryException {
    if (r.left().left() instanceof VectorExpr || r.left().left() instanceof LiteralExpr) {
      throw QueryException.badRequest("unexpected expr type in range aggregation: " + r);
    }
    try {
      return new RangeAggregationEvaluator(r, extractor, ctx);
    } catch (IllegalArgumentException x) {
      throw QueryException.badRequest(x.getMessage());
    }
  }
}
