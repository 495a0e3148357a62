package io.sightline.api.tempo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.traceql.engine.OtlpValues;
import io.sightline.traceql.metrics.Evaluation;
import io.sightline.traceql.metrics.Exemplar;
import io.sightline.traceql.metrics.Label;
import io.sightline.traceql.metrics.MetricsQueryException;
import io.sightline.traceql.metrics.QueryRange;
import io.sightline.traceql.metrics.RangeRequest;
import io.sightline.traceql.metrics.Sample;
import io.sightline.traceql.metrics.TimeSeries;
import io.sightline.traceql.syntax.Parser;
import io.sightline.traceql.syntax.TraceQLException;
import io.sightline.tracestore.TraceStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * TraceQL metrics: {@code /api/metrics/query_range} and {@code /api/metrics/query} (instant), with the checks,
 * defaults and alignment of Tempo's query frontend, evaluated over the traces the store holds for the range.
 */
final class TempoMetrics {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** Tempo's {@code defaultSince}: a range without a start covers the hour before its end. */
  private static final long DEFAULT_SINCE = 3600 * NANOS_PER_SECOND;
  /** Tempo's frontend {@code metrics.max_duration}: a range longer than a day is refused. */
  private static final long MAX_RANGE = 24 * 3600 * NANOS_PER_SECOND;
  /** Tempo's frontend {@code metrics.max_intervals}: at most this many steps in a range. */
  private static final long MAX_INTERVALS = 10_000;
  /** Tempo's frontend {@code metrics.max_exemplars}, and what a request without {@code exemplars} gets. */
  private static final int MAX_EXEMPLARS = 100;

  private final Supplier<TraceStore> store;
  private final TempoApi.Limits limits;
  private final Clock clock;

  TempoMetrics(Supplier<TraceStore> store, TempoApi.Limits limits, Clock clock) {
    this.store = store;
    this.limits = limits;
    this.clock = clock;
  }

  private long nowNanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
  }

  /** {@code query} (Prometheus' name, which Grafana sent first) and then {@code q}, the last one given winning. */
  private static String query(TempoParams p) {
    return p.get("q") != null ? p.get("q") : p.get("query") == null ? "" : p.get("query");
  }

  /** Tempo's {@code determineBounds}: end defaults to now, start to {@code since} (1h) before min(end, now). */
  private long[] bounds(TempoParams p) throws TempoApi.TempoError {
    long now = nowNanos();
    long since = p.get("since") == null ? DEFAULT_SINCE : TempoParams.since(p.get("since"));
    long end = p.get("end") == null ? now : TempoParams.timestamp(p.get("end"), "end");
    long endOrNow = Math.min(end, now);
    long start = p.get("start") == null ? endOrNow - since : TempoParams.timestamp(p.get("start"), "start");
    return new long[] {start, end};
  }

  private static void validate(long start, long end, long step) throws TempoApi.TempoError {
    if (start >= end) {
      throw new TempoApi.TempoError("end must be greater than start");
    }
    if (end - start > MAX_RANGE) {
      throw new TempoApi.TempoError("metrics query time range exceeds the maximum allowed duration of "
          + TempoParams.goDurationText(MAX_RANGE));
    }
    if (step == 0 || (end - start) / step > MAX_INTERVALS) {
      throw new TempoApi.TempoError("step of " + TempoParams.goDurationText(step)
          + " is too small, minimum step for given range is " + TempoParams.goDurationText((end - start)
          / MAX_INTERVALS));
    }
  }

  private static QueryRange compile(String q) throws TempoApi.TempoError {
    try {
      return QueryRange.compile(q);
    } catch (TraceQLException e) {
      throw new TempoApi.TempoError("compiling query: " + e.getMessage());
    } catch (MetricsQueryException e) {
      throw new TempoApi.TempoError(e.getMessage());
    }
  }

  HttpResponse queryRange(TempoParams p) throws IOException, TempoApi.TempoError {
    String q = query(p);
    long[] b = bounds(p);
    long start = b[0];
    long end = b[1];
    long step = p.get("step") == null ? RangeRequest.defaultStep(start, end) : TempoParams.step(p.get("step"));
    int exemplars = 0;
    try {
      exemplars = p.get("exemplars") == null ? 0 : (int) Math.min(Long.parseLong(p.get("exemplars")),
          Integer.MAX_VALUE);
    } catch (NumberFormatException ignored) {
      // Tempo ignores an exemplars value it cannot read.
    }
    // The frontend keeps the most recent moments out: the data there may still be arriving.
    long cutoff = nowNanos() - limits.queryEndCutoffNanos();
    if (start >= end) {
      throw new TempoApi.TempoError("end must be greater than start");
    }
    if (end > cutoff) {
      end = cutoff;
      if (start >= end) {
        throw new TempoApi.TempoError("query window falls entirely within query_end_cutoff");
      }
    }
    validate(start, end, step);
    // Tempo reads the exemplars hint from the parsed query before compiling it, so a parse error comes bare here.
    try {
      Parser.parse(q);
    } catch (TraceQLException e) {
      throw new TempoApi.TempoError(e.getMessage());
    }
    QueryRange query = compile(q);
    Integer hint = query.exemplarsHint();
    if (hint != null) {
      exemplars = hint;
    } else if (exemplars == 0) {
      exemplars = MAX_EXEMPLARS;
    }
    exemplars = Math.min(exemplars, MAX_EXEMPLARS);
    RangeRequest request = new RangeRequest(start, end, step, false, exemplars).aligned();
    if (request.endNanos() > cutoff) {
      request = request.endAlignedDown(cutoff);
    }
    Result r = run(query, request);
    return TempoJson.ok(g -> {
      if (!r.series.isEmpty()) {
        g.writeArrayFieldStart("series");
        for (TimeSeries s : r.series) {
          g.writeStartObject();
          labels(g, "labels", s.labels());
          if (!s.samples().isEmpty()) {
            g.writeArrayFieldStart("samples");
            for (Sample sample : s.samples()) {
              g.writeStartObject();
              TempoJson.uint64(g, "timestampMs", sample.timestampMs());
              TempoJson.number(g, "value", sample.value());
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          if (!s.exemplars().isEmpty()) {
            g.writeArrayFieldStart("exemplars");
            for (Exemplar e : s.exemplars()) {
              g.writeStartObject();
              labels(g, "labels", e.labels());
              TempoJson.number(g, "value", e.value());
              TempoJson.uint64(g, "timestampMs", e.timestampMs());
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      metrics(g, r);
    });
  }

  HttpResponse queryInstant(TempoParams p) throws IOException, TempoApi.TempoError {
    String q = query(p);
    long[] b = bounds(p);
    long start = b[0];
    long end = b[1];
    if (end <= start) {
      throw new TempoApi.TempoError("end must be greater than start");
    }
    long cutoff = nowNanos() - limits.queryEndCutoffNanos();
    if (end >= cutoff) {
      // Whole seconds, as Tempo trims an instant query's end, so repeated "last 6h" queries keep their range.
      long reduce = (long) Math.ceil((end - cutoff) / (double) NANOS_PER_SECOND) * NANOS_PER_SECOND;
      end -= reduce;
      if (end <= start) {
        throw new TempoApi.TempoError("query window falls entirely within query_end_cutoff");
      }
    }
    validate(start, end, end - start);
    QueryRange query = compile(q);
    Result r = run(query, RangeRequest.instant(start, end));
    return TempoJson.ok(g -> {
      List<TimeSeries> withValues = r.series.stream().filter(s -> !s.samples().isEmpty()).toList();
      if (!withValues.isEmpty()) {
        g.writeArrayFieldStart("series");
        for (TimeSeries s : withValues) {
          g.writeStartObject();
          labels(g, "labels", s.labels());
          TempoJson.number(g, "value", s.samples().getFirst().value());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      metrics(g, r);
    });
  }

  private record Result(List<TimeSeries> series, TraceScan scan, long inspectedSpans) {}

  private Result run(QueryRange query, RangeRequest request) throws IOException {
    Evaluation e = query.evaluate(request);
    TraceScan scan = TraceScan.run(store.get(), Pushdown.request(request.startNanos(), request.endNanos(),
        query.conditions(), limits.maxTraces()), limits, trace -> {
          e.observe(trace);
          return true;
        });
    return new Result(e.results(), scan, e.inspectedSpans());
  }

  /** Tempo's {@code SearchMetrics} of a metrics query; a read cut short by the budget is a partial answer. */
  private static void metrics(JsonGenerator g, Result r) throws IOException {
    g.writeObjectFieldStart("metrics");
    TempoSearch.searchMetrics(g, r.scan);
    TempoJson.uint64(g, "inspectedSpans", r.inspectedSpans);
    g.writeEndObject();
    if (r.scan.truncated) {
      g.writeStringField("status", "PARTIAL");
      g.writeStringField("message", "the query read as many traces as this server allows one request ("
          + "limits: traces or bytes); the values may be incomplete");
    }
  }

  private static void labels(JsonGenerator g, String name, List<Label> labels) throws IOException {
    List<KeyValue> kvs = new ArrayList<>();
    for (Label l : labels) {
      kvs.add(KeyValue.newBuilder().setKey(l.name()).setValue(OtlpValues.of(l.value())).build());
    }
    TempoJson.keyValues(g, name, kvs);
  }
}
