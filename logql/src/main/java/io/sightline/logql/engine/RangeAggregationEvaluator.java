package io.sightline.logql.engine;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult.Sample;
import io.sightline.logql.log.LabelsResult;
import io.sightline.logql.log.Needles;
import io.sightline.logql.log.SampleExtractor;
import io.sightline.logql.syntax.SampleExpr.RangeAggregationExpr;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.SelectRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A range aggregation ({@code rate({app="api"}[5m])}) over Loki's step grid, in one pass over the selected entries
 * in time order, as Loki's {@code batchRangeVectorIterator}: each step {@code t} aggregates, per series, the samples
 * in {@code (t - range, t]} (shifted back by the offset); a series' samples stay buffered only while a window can
 * still hold them. Samples are extracted from the lines as they stream by, without per-line strings.
 */
final class RangeAggregationEvaluator implements StepEvaluator {
  private static final String ERROR = "__error__";
  private static final String PRESERVE_ERROR = "__preserve_error__";

  private final RangeAggregationExpr expr;
  private final SampleExtractor extractor;
  private final QueryContext ctx;
  private final RangeFunction fn;
  private final long range;
  private final long offset;
  private final long end;
  private final long step;
  private final Labels absentLabels;
  private EntryIterator it;
  private long current;

  /** Series by the extractor's label results (one instance per distinct label set and category split). */
  private final Map<LabelsResult, SeriesWindow> byResult = new HashMap<>();
  private final Map<Labels, SeriesWindow> byLabels = new HashMap<>();
  /** Series with samples in the current window, in the order they first appeared. */
  private final Map<Labels, SeriesWindow> active = new LinkedHashMap<>();
  private SeriesWindow pendingSeries;
  private long pendingTs;
  private double pendingValue;
  private boolean exhausted;
  private SampleExtractor.StreamSampleExtractor lastExtractor;
  private Labels lastStream;

  RangeAggregationEvaluator(RangeAggregationExpr expr, SampleExtractor extractor, QueryContext ctx) {
    this.expr = expr;
    this.extractor = extractor;
    this.ctx = ctx;
    this.fn = RangeFunction.of(expr);
    this.range = expr.left().intervalNanos();
    this.offset = expr.left().offsetNanos();
    long step = ctx.stepNanos() == 0 ? 1 : ctx.stepNanos();
    this.step = step;
    this.end = ctx.endNanos() - offset;
    this.current = ctx.startNanos() - offset - step;
    this.absentLabels = expr.operation().equals("absent_over_time") ? absentLabels(expr) : null;
  }

  /** What every kept line contains (from the hint): lines without it skip the pipeline and their metadata. */
  private Needles needles = new Needles(List.of());

  private void open() throws IOException, QueryException {
    List<LabelMatcher> matchers = expr.left().left().matchers();
    // The first window starts after start-range; the last ends at end, inclusive: the store's end is exclusive.
    LineFilterHint hint = LineFilterHints.of(expr.left().left().stages());
    needles = new Needles(hint.required());
    SelectRequest req = new SelectRequest(matchers, ctx.startNanos() - range - offset, ctx.endNanos() - offset + 1,
        SelectRequest.Direction.FORWARD, hint);
    it = ctx.select(req);
  }

  @Override
  public StepVector next() throws IOException, QueryException {
    current += step;
    if (current > end) {
      return null;
    }
    if (it == null) {
      open();
    }
    long windowStart = current - range;
    load(current);
    List<Sample> out = new ArrayList<>(active.size());
    long ts = current / 1_000_000 + offset / 1_000_000;
    for (Iterator<SeriesWindow> i = active.values().iterator(); i.hasNext(); ) {
      SeriesWindow s = i.next();
      s.evict(windowStart);
      if (s.size() == 0) {
        i.remove();
        continue;
      }
      if (!s.metric.get(ERROR).isEmpty() && !s.metric.get(PRESERVE_ERROR).equals("true")) {
        throw QueryException.pipelineError(s.metric);
      }
      out.add(new Sample(s.metric, ts, fn.apply(s, current, range)));
    }
    if (absentLabels != null) {
      return new StepVector(ts, out.isEmpty() ? List.of(new Sample(absentLabels, ts, 1)) : List.of());
    }
    return new StepVector(ts, out);
  }

  /** Reads entries up to {@code upTo} (inclusive) into their series' windows. */
  private void load(long upTo) throws IOException, QueryException {
    if (pendingSeries != null) {
      if (pendingTs > upTo) {
        return;
      }
      pendingSeries.add(pendingTs, pendingValue);
      active.putIfAbsent(pendingSeries.metric, pendingSeries);
      pendingSeries = null;
    }
    while (!exhausted) {
      ctx.checkAlive();
      if (!it.next()) {
        exhausted = true;
        ctx.closed(it);
        return;
      }
      Labels stream = it.streamLabels();
      if (stream != lastStream) {
        lastStream = stream;
        lastExtractor = extractor.forStream(stream);
      }
      long ts = it.timestampNanos();
      Labels meta = ctx.readMetadata(it, needles);
      if (meta == null || !lastExtractor.process(ts, it.lineBuffer(), it.lineOffset(), it.lineLength(), meta)) {
        continue;
      }
      ctx.stats().kept();
      SeriesWindow s = series(lastExtractor.labels());
      if (ts > upTo) {
        pendingSeries = s;
        pendingTs = ts;
        pendingValue = lastExtractor.value();
        return;
      }
      s.add(ts, lastExtractor.value());
      active.putIfAbsent(s.metric, s);
    }
  }

  private SeriesWindow series(LabelsResult r) {
    SeriesWindow s = byResult.get(r);
    if (s == null) {
      Labels l = Labels.of(r.pairs());
      s = byLabels.computeIfAbsent(l, SeriesWindow::new);
      byResult.put(r, s);
    }
    return s;
  }

  @Override
  public void close() throws IOException {
    if (it != null && !exhausted) {
      exhausted = true;
      ctx.closed(it);
    }
  }

  /** Loki's {@code absentLabels}: the selector's equality matchers, minus names matched more than once or else. */
  static Labels absentLabels(RangeAggregationExpr expr) {
    Map<String, String> m = new LinkedHashMap<>();
    List<String> drop = new ArrayList<>();
    for (LabelMatcher lm : expr.left().left().matchers()) {
      if (lm.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (lm.type() == LabelMatcher.Type.EQUAL && !m.containsKey(lm.name())) {
        m.put(lm.name(), lm.value());
      } else {
        drop.add(lm.name());
      }
    }
    drop.forEach(m::remove);
    return Labels.of(m);
  }

  /** One series' samples in time order that a current or later window may still hold. */
  static final class SeriesWindow {
    final Labels metric;
    long[] ts = new long[8];
    double[] values = new double[8];
    int head;
    int tail;

    SeriesWindow(Labels metric) {
      this.metric = metric;
    }

    int size() {
      return tail - head;
    }

    void add(long t, double v) {
      if (tail == ts.length) {
        int n = size();
        if (head > 0 && n < ts.length / 2) {
          System.arraycopy(ts, head, ts, 0, n);
          System.arraycopy(values, head, values, 0, n);
        } else {
          long[] nt = new long[ts.length * 2];
          double[] nv = new double[ts.length * 2];
          System.arraycopy(ts, head, nt, 0, n);
          System.arraycopy(values, head, nv, 0, n);
          ts = nt;
          values = nv;
        }
        head = 0;
        tail = n;
      }
      ts[tail] = t;
      values[tail] = v;
      tail++;
    }

    /** Drops samples at or before {@code start}: a window's lower bound is exclusive. */
    void evict(long start) {
      while (head < tail && ts[head] <= start) {
        head++;
      }
      if (head == tail) {
        head = 0;
        tail = 0;
      }
    }
  }
}
