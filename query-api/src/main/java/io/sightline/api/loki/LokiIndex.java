package io.sightline.api.loki;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.logql.engine.QueryStatistics;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.StreamStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The endpoints Loki answers from its index: label names and values, series, {@code index/stats} and the volume
 * endpoints. Each reads the store's stream registry and chunk statistics, never the lines.
 */
final class LokiIndex {
  /** Loki's {@code defaultVolumeLimit}. */
  static final int DEFAULT_VOLUME_LIMIT = 100;
  /** The gap Loki's {@code ForInterval} leaves between adjacent buckets, so that each ends 1 ms before the next. */
  private static final long SPLIT_GAP_NANOS = 1_000_000L;

  private final Supplier<LogStore> store;
  private final LokiApi.Options options;

  LokiIndex(Supplier<LogStore> store, LokiApi.Options options) {
    this.store = store;
    this.options = options;
  }

  /**
   * {@code labels} (name null) or {@code label/<name>/values}: {@code start}, {@code end}, {@code since} and an
   * optional {@code query} selector. Loki leaves {@code data} out when there is nothing.
   */
  HttpResponse labels(LokiParams p, String name) throws LokiError, IOException {
    long[] b = p.bounds();
    LokiApi.checkRange(b[0], b[1], options.engine());
    List<LabelMatcher> matchers = p.query().isEmpty() ? List.of() : LokiApi.matchers(p.query());
    LogQuerier q = store.get().querier();
    List<String> values = name == null ? q.labelNames(matchers, b[0], b[1])
        : q.labelValues(name, matchers, b[0], b[1]);
    TreeSet<String> sorted = new TreeSet<>(values);
    return LokiJson.ok(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      if (!sorted.isEmpty()) {
        g.writeArrayFieldStart("data");
        for (String v : sorted) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    });
  }

  /** {@code series}: {@code match[]} (or {@code match}) selectors, all streams for none or for {@code {}} alone. */
  HttpResponse series(LokiParams p) throws LokiError, IOException {
    long[] b = p.bounds();
    TreeSet<String> groups = new TreeSet<>(p.getAll("match[]"));
    groups.addAll(p.getAll("match"));
    if (groups.size() == 1 && groups.first().replace(" ", "").equals("{}")) {
      groups.clear();
    }
    List<List<LabelMatcher>> selectors = new ArrayList<>();
    for (String g : groups) {
      selectors.add(LokiApi.matchers(g));
    }
    LokiApi.checkRange(b[0], b[1], options.engine());
    if (selectors.isEmpty()) {
      selectors.add(List.of());
    }
    LogQuerier q = store.get().querier();
    TreeSet<Labels> found = new TreeSet<>();
    for (List<LabelMatcher> m : selectors) {
      found.addAll(q.series(m, b[0], b[1]));
    }
    return LokiJson.ok(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeArrayFieldStart("data");
      for (Labels l : found) {
        LokiJson.labels(g, l);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /** {@code index/stats}: the range query's parameters; a bare {@code {"streams","chunks","bytes","entries"}}. */
  HttpResponse stats(LokiParams p) throws LokiError, IOException {
    LokiParams.RangeQuery r = p.rangeQuery();
    LokiApi.checkRange(r.start(), r.end(), options.engine());
    List<LabelMatcher> matchers = LokiApi.matchers(r.query());
    long streams = 0;
    long chunks = 0;
    long bytes = 0;
    long entries = 0;
    for (StreamStats s : store.get().querier().streamStats(matchers, r.start(), r.end())) {
      streams++;
      chunks += s.chunks();
      bytes += s.bytes();
      entries += s.entries();
    }
    long[] totals = {streams, chunks, bytes, entries};
    return LokiJson.ok(g -> {
      g.writeStartObject();
      g.writeNumberField("streams", totals[0]);
      g.writeNumberField("chunks", totals[1]);
      g.writeNumberField("bytes", totals[2]);
      g.writeNumberField("entries", totals[3]);
      g.writeEndObject();
    });
  }

  /**
   * {@code index/volume} (one bucket ending at {@code end}) and {@code index/volume_range} (a bucket per step): bytes
   * per group of streams, the {@code limit} largest groups of each bucket, as a Prometheus vector, or a matrix when
   * a group has more than one bucket. {@code aggregateBy=series} groups by the selector's label names (or
   * {@code targetLabels}); {@code labels} gives each label name its volume.
   */
  HttpResponse volume(LokiParams p, boolean range) throws LokiError, IOException {
    long limitValue = LokiParams.parseInt(p.get("limit"), DEFAULT_VOLUME_LIMIT);
    if (limitValue < 0) {
      throw LokiError.badRequest("limit must be a positive value");
    }
    int limit = limitValue == 0 ? DEFAULT_VOLUME_LIMIT : (int) Math.min(limitValue, Integer.MAX_VALUE);
    long start;
    long end;
    long step;
    if (range) {
      LokiParams.RangeQuery r = p.rangeQuery();
      start = r.start();
      end = r.end();
      step = r.step();
    } else {
      p.limit();
      p.time();
      p.forward();
      long[] b = p.orderedBounds();
      start = b[0];
      end = b[1];
      step = 0;
    }
    boolean bySeries = aggregateBySeries(p.get("aggregateBy"));
    List<String> targets = targetLabels(p.get("targetLabels"));
    LokiApi.checkRange(start, end, options.engine());
    List<LabelMatcher> matchers = new ArrayList<>(LokiApi.matchers(p.query()));
    Set<String> by = new LinkedHashSet<>();
    if (targets.isEmpty()) {
      matchers.forEach(m -> by.add(m.name()));
    } else {
      by.addAll(targets);
      for (String t : targets) {
        if (matchers.stream().noneMatch(m -> m.name().equals(t))) {
          matchers.add(LabelMatcher.regex(t, ".+"));
        }
      }
    }
    LogQuerier q = store.get().querier();
    // Each group's buckets, as (time in ms, bytes) pairs in bucket order.
    Map<String, List<long[]>> samples = new HashMap<>();
    Map<String, Labels> metrics = new HashMap<>();
    for (long[] bucket : buckets(start, end, step)) {
      Map<String, Long> volumes = new HashMap<>();
      for (StreamStats s : q.streamStats(matchers, bucket[0], bucket[1])) {
        if (s.entries() == 0) {
          continue;
        }
        if (bySeries) {
          Labels group = LokiApi.keep(s.labels(), by);
          String name = group.toString();
          metrics.putIfAbsent(name, group);
          volumes.merge(name, s.bytes(), Long::sum);
        } else {
          for (int i = 0; i < s.labels().size(); i++) {
            String label = s.labels().name(i);
            if (targets.isEmpty() || by.contains(label)) {
              volumes.merge(label, s.bytes(), Long::sum);
            }
          }
        }
        if (volumes.size() > options.volumeMaxSeries()) {
          throw LokiError.badRequest("the query hit the max number of series limit (limit: "
              + options.volumeMaxSeries() + " series)");
        }
      }
      List<Map.Entry<String, Long>> top = new ArrayList<>(volumes.entrySet());
      top.sort((a, c) -> a.getValue().equals(c.getValue()) ? a.getKey().compareTo(c.getKey())
          : Long.compare(c.getValue(), a.getValue()));
      long bucketMs = Math.floorDiv(bucket[1], 1_000_000L);
      for (Map.Entry<String, Long> e : top.subList(0, Math.min(limit, top.size()))) {
        samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new long[] {bucketMs, e.getValue()});
      }
    }
    boolean matrix = samples.values().stream().anyMatch(s -> s.size() > 1);
    List<Map.Entry<String, List<long[]>>> result = new ArrayList<>(samples.entrySet());
    result.sort((a, c) -> {
      long va = a.getValue().get(0)[1];
      long vc = c.getValue().get(0)[1];
      return va == vc ? a.getKey().compareTo(c.getKey()) : Long.compare(vc, va);
    });
    return LokiJson.success(g -> {
      g.writeStartObject();
      g.writeStringField("resultType", matrix ? "matrix" : "vector");
      g.writeArrayFieldStart("result");
      for (Map.Entry<String, List<long[]>> e : result) {
        Labels metric = bySeries ? metrics.get(e.getKey()) : null;
        if (!matrix) {
          long[] s = e.getValue().get(0);
          writeMetric(g, metric, e.getKey());
          g.writeFieldName("value");
          LokiJson.point(g, s[0], s[1]);
          g.writeEndObject();
          continue;
        }
        List<long[]> points = new ArrayList<>(e.getValue());
        points.sort((x, y) -> Long.compare(x[0], y[0]));
        writeMetric(g, metric, e.getKey());
        g.writeArrayFieldStart("values");
        for (long[] s : points) {
          LokiJson.point(g, s[0], s[1]);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName("stats");
      LokiJson.stats(g, QueryStatistics.EMPTY);
      g.writeEndObject();
    });
  }

  /**
   * Opens a sample object with its {@code metric}: the group's labels, or for {@code aggregateBy=labels} (metric
   * null) the label name with an empty value, as Loki writes it.
   */
  private static void writeMetric(JsonGenerator g, Labels metric, String labelName) throws IOException {
    g.writeStartObject();
    if (metric == null) {
      g.writeObjectFieldStart("metric");
      g.writeStringField(labelName, "");
      g.writeEndObject();
    } else {
      g.writeFieldName("metric");
      LokiJson.labels(g, metric);
    }
  }

  private static boolean aggregateBySeries(String v) throws LokiError {
    if (v == null || v.isEmpty() || v.equals("series")) {
      return true;
    }
    if (v.equals("labels")) {
      return false;
    }
    throw LokiError.badRequest("invalid aggregation option");
  }

  private static List<String> targetLabels(String v) {
    if (v == null || v.isEmpty()) {
      return List.of();
    }
    return List.of(v.split(",", -1));
  }

  /**
   * Loki's {@code ForInterval} with an inclusive end: buckets aligned to multiples of the step, the first starting
   * at {@code start}, each ending 1 ms before the next, the last at {@code end}; one bucket without a step.
   */
  static List<long[]> buckets(long start, long end, long step) {
    List<long[]> out = new ArrayList<>();
    if (step <= 0) {
      out.add(new long[] {start, end});
      return out;
    }
    boolean first = true;
    for (long s = start - Math.floorMod(start, step); s < end; s += step) {
      long e = s + step;
      e = e >= end ? end : e - SPLIT_GAP_NANOS;
      out.add(new long[] {first ? start : s, e});
      first = false;
    }
    return out;
  }
}
