package io.sightline.traceql.metrics;

import io.sightline.traceql.engine.Condition;
import io.sightline.traceql.engine.Conditions;
import io.sightline.traceql.engine.Matcher;
import io.sightline.traceql.syntax.MetricsAggregate;
import io.sightline.traceql.syntax.MetricsQuery;
import io.sightline.traceql.syntax.Query;
import io.sightline.traceql.syntax.TraceQLException;
import io.sightline.traceql.syntax.Validator;
import java.util.List;

/**
 * A compiled TraceQL metrics query ({@code {…} | rate() by (…) | topk(3)}), Tempo's {@code CompileMetricsQueryRange}.
 * Immutable and safe to share; each evaluation over a range is a new {@link Evaluation}.
 */
public final class QueryRange {
  private final Query query;
  private final MetricsQuery root;
  private final MetricsAggregate aggregate;
  private final Matcher matcher;
  private final List<Condition> conditions;

  private QueryRange(Query query, MetricsQuery root, MetricsAggregate aggregate) {
    this.query = query;
    this.root = root;
    this.aggregate = aggregate;
    this.matcher = Matcher.of(root.spans());
    this.conditions = Conditions.of(root);
  }

  /**
   * Parses and validates a metrics query.
   *
   * @throws TraceQLException with Tempo's message when the query does not parse or validate
   * @throws MetricsQueryException when it is a search ({@code not a metrics query}, as Tempo answers), or uses
   *     {@code compare()} or arithmetic between metrics queries, which this engine does not evaluate
   */
  public static QueryRange compile(String traceql) throws TraceQLException, MetricsQueryException {
    Query q = Validator.parseValid(traceql);
    if (!(q.root() instanceof MetricsQuery m)) {
      throw new MetricsQueryException(q.root() instanceof io.sightline.traceql.syntax.SpansetQuery
          ? "not a metrics query" : "arithmetic between metrics queries is not supported by this server");
    }
    if (!(m.first() instanceof MetricsAggregate a)) {
      throw new MetricsQueryException("compare() is not supported by this server");
    }
    return new QueryRange(q, m, a);
  }

  public Query query() {
    return query;
  }

  /** What a store may filter on before handing traces over, as for a search. */
  public List<Condition> conditions() {
    return conditions;
  }

  /** The {@code exemplars} hint, Tempo's override of the request's exemplar count: a number, or false for none. */
  public Integer exemplarsHint() {
    return query.hint("exemplars").map(v -> switch (v.type()) {
      case INT -> (int) Math.max(0, Math.min(Integer.MAX_VALUE, v.asLong()));
      case BOOLEAN -> v.asBool() ? null : 0;
      default -> null;
    }).orElse(null);
  }

  /** A new evaluation of this query over a request's range; the request should already be aligned by the caller. */
  public Evaluation evaluate(RangeRequest request) {
    return new Evaluation(matcher, aggregate, root.second(), request);
  }
}
