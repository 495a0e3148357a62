package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.logstore.SelectRequest.Direction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a LogQL query returns, one of Loki's result types: {@code streams} for log queries, {@code matrix} for range
 * metric queries, {@code vector} for instant ones, {@code scalar} for an instant literal. Sample times are Unix
 * milliseconds (Loki computes on Prometheus' millisecond points and writes them as float seconds).
 */
public sealed interface LogqlResult {

  QueryStatistics statistics();

  /** Loki's {@code resultType}. */
  String resultType();

  /**
   * Log streams. Each stream's labels are what Loki returns without {@code categorize-labels}: stream labels,
   * structured metadata and parsed labels together; streams sorted by labels, entries in the query's direction.
   */
  record Streams(List<Stream> streams, Direction direction, QueryStatistics statistics) implements LogqlResult {
    public Streams {
      streams = List.copyOf(streams);
    }

    @Override
    public String resultType() {
      return "streams";
    }

    /** The number of entries in all streams. */
    public long entries() {
      long n = 0;
      for (Stream s : streams) {
        n += s.entries().size();
      }
      return n;
    }

    /**
     * The streams as Loki returns them with {@code X-Loki-Response-Encoding-Flags: categorize-labels}: grouped by
     * the stream labels alone (Loki's {@code CategorizeLabelsIterator} removes each entry's metadata and parsed
     * names), each entry keeping its {@link Entry#structuredMetadata()} and {@link Entry#parsed()}; entries of
     * streams that merge stay in the query's direction.
     */
    public List<Stream> categorized() {
      Map<Labels, List<Entry>> by = new LinkedHashMap<>();
      for (Stream s : streams) {
        for (Entry e : s.entries()) {
          by.computeIfAbsent(e.streamLabels(), k -> new ArrayList<>()).add(e);
        }
      }
      List<Stream> out = new ArrayList<>(by.size());
      for (Map.Entry<Labels, List<Entry>> g : by.entrySet()) {
        List<Entry> es = g.getValue();
        // Stable: entries of one time keep the order of the streams they came from.
        es.sort(direction == Direction.FORWARD ? Entry.BY_TIME : Entry.BY_TIME.reversed());
        out.add(new Stream(g.getKey(), es));
      }
      // Loki sorts the categorized streams as any: by their labels' text.
      out.sort(java.util.Comparator.comparing(s -> LabelStrings.of(s.labels())));
      return out;
    }
  }

  /** One stream of a log query's result. */
  record Stream(Labels labels, List<Entry> entries) {
    public Stream {
      entries = List.copyOf(entries);
    }
  }

  /**
   * One log entry.
   *
   * @param streamLabels the labels of the stream it was stored in, after the pipeline (Loki's categorized stream)
   * @param structuredMetadata its structured metadata (after the pipeline), {@link Labels#EMPTY} for none
   * @param parsed the labels the pipeline extracted, error labels included, {@link Labels#EMPTY} for none
   */
  record Entry(long timestampNanos, String line, Labels streamLabels, Labels structuredMetadata, Labels parsed) {
    static final java.util.Comparator<Entry> BY_TIME = java.util.Comparator.comparingLong(Entry::timestampNanos);
  }

  /** A range query's series, sorted by labels. */
  record Matrix(List<Series> series, QueryStatistics statistics) implements LogqlResult {
    public Matrix {
      series = List.copyOf(series);
    }

    @Override
    public String resultType() {
      return "matrix";
    }
  }

  /** One series: points in time order. */
  record Series(Labels metric, List<Point> points) {
    public Series {
      points = List.copyOf(points);
    }
  }

  record Point(long timestampMillis, double value) {}

  /** An instant query's samples: sorted by labels, or by value for {@code sort}, {@code topk} and the like. */
  record Vector(List<Sample> samples, QueryStatistics statistics) implements LogqlResult {
    public Vector {
      samples = List.copyOf(samples);
    }

    @Override
    public String resultType() {
      return "vector";
    }
  }

  record Sample(Labels metric, long timestampMillis, double value) {}

  /** An instant query of a literal ({@code 1+1}). */
  record Scalar(long timestampMillis, double value, QueryStatistics statistics) implements LogqlResult {
    @Override
    public String resultType() {
      return "scalar";
    }
  }
}
