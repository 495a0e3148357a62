package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult.Entry;
import io.sightline.logql.engine.LogqlResult.Stream;
import io.sightline.logql.log.LabelsResult;
import io.sightline.logql.log.Needles;
import io.sightline.logql.log.Pipeline;
import io.sightline.logql.log.StreamPipeline;
import io.sightline.logql.syntax.LogSelectorExpr;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.SelectRequest.Direction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A log query, as Loki's {@code readStreams}: the selected entries in the query's direction through the pipeline,
 * grouped into streams by their labels after the pipeline, until {@code limit} entries are kept; with an interval,
 * an entry is kept only once the interval has passed since the last kept one. Streams are sorted by their labels'
 * text, as Loki sorts them.
 */
final class LogQueryReader {
  private final LogSelectorExpr expr;
  private final QueryContext ctx;
  private final Direction direction;
  private final int limit;
  private final long interval;

  LogQueryReader(LogSelectorExpr expr, QueryContext ctx, Direction direction, int limit, long interval) {
    this.expr = expr;
    this.ctx = ctx;
    this.direction = direction;
    this.limit = limit;
    this.interval = interval;
  }

  LogqlResult.Streams read() throws ParseException, QueryException {
    Pipeline pipeline = Pipeline.compile(expr);
    LineFilterHint hint = LineFilterHints.of(expr.stages());
    Needles needles = new Needles(hint.required());
    SelectRequest req = new SelectRequest(expr.matchers(), ctx.startNanos(), ctx.endNanos(), direction, hint);
    Map<LabelsResult, Categories> byResult = new HashMap<>();
    Map<String, Group> byText = new HashMap<>();
    List<Group> groups = new ArrayList<>();
    int kept = 0;
    boolean forward = direction == Direction.FORWARD;
    boolean haveLast = false;
    long last = 0;
    EntryIterator it = null;
    try {
      if (limit > 0) {
        it = ctx.select(req);
      }
      Labels lastStream = null;
      StreamPipeline sp = null;
      while (it != null && kept < limit) {
        ctx.checkAlive();
        if (!it.next()) {
          break;
        }
        Labels stream = it.streamLabels();
        if (stream != lastStream) {
          lastStream = stream;
          sp = pipeline.forStream(stream);
        }
        long ts = it.timestampNanos();
        Labels meta = ctx.readMetadata(it, needles);
        if (meta == null || !sp.process(ts, it.lineBuffer(), it.lineOffset(), it.lineLength(), meta)) {
          continue;
        }
        ctx.stats().kept();
        if (interval > 0 && haveLast && (forward ? ts < last + interval : ts > last - interval)) {
          continue;
        }
        LabelsResult lr = sp.labels();
        Categories c = byResult.get(lr);
        if (c == null) {
          String text = lr.toString();
          Group g = byText.get(text);
          if (g == null) {
            g = new Group(text, Labels.of(lr.pairs()));
            byText.put(text, g);
            groups.add(g);
          }
          c = new Categories(g, labels(lr.stream()), labels(lr.structuredMetadata()), labels(lr.parsed()));
          byResult.put(lr, c);
        }
        c.group.entries.add(new Entry(ts, sp.lineString(), c.stream, c.metadata, c.parsed));
        haveLast = true;
        last = ts;
        kept++;
      }
    } catch (IOException x) {
      throw new QueryException(500, x.getMessage() == null ? x.toString() : x.getMessage());
    } finally {
      if (it != null) {
        try {
          ctx.closed(it);
        } catch (IOException ignored) {
          // the result is complete; a failing close loses nothing of it
        }
      }
    }
    groups.sort((a, b) -> a.text.compareTo(b.text));
    List<Stream> out = new ArrayList<>(groups.size());
    for (Group g : groups) {
      out.add(new Stream(g.labels, g.entries));
    }
    return new LogqlResult.Streams(out, direction, QueryStatistics.EMPTY);
  }

  private static Labels labels(String[] pairs) {
    return pairs.length == 0 ? Labels.EMPTY : Labels.of(pairs);
  }

  /** A label result's stream and its labels by category, made once per distinct result. */
  private record Categories(Group group, Labels stream, Labels metadata, Labels parsed) {}

  private static final class Group {
    final String text;
    final Labels labels;
    final List<Entry> entries = new ArrayList<>();

    Group(String text, Labels labels) {
      this.text = text;
      this.labels = labels;
    }
  }
}
