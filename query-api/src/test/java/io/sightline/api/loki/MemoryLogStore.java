package io.sightline.api.loki;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.AppendResult;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.LogStoreStats;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.SelectStats;
import io.sightline.logstore.StreamStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A log store in memory that keeps the SPI's contracts (half-open ranges, the select order, sorted answers, a
 * stream counted only with entries in the range), for the API's tests until the real store can be used.
 */
final class MemoryLogStore implements LogStore {
  private final Map<Labels, List<LogEntry>> streams = new LinkedHashMap<>();

  /** Appends and commits one stream's entries. */
  void push(Labels stream, LogEntry... entries) throws Exception {
    LogAppender a = appender();
    a.append(stream, List.of(entries));
    a.commit();
  }

  @Override
  public LogAppender appender() {
    return new LogAppender() {
      private final List<Map.Entry<Labels, List<LogEntry>>> pending = new ArrayList<>();

      @Override
      public AppendResult append(Labels stream, List<LogEntry> entries) {
        pending.add(Map.entry(stream, List.copyOf(entries)));
        return AppendResult.storedAll(entries.size());
      }

      @Override
      public void commit() {
        synchronized (MemoryLogStore.this) {
          for (Map.Entry<Labels, List<LogEntry>> p : pending) {
            streams.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).addAll(p.getValue());
          }
        }
        pending.clear();
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }

  private record Row(Labels stream, LogEntry entry, int order) {}

  private synchronized List<Row> rows(List<LabelMatcher> matchers, long start, long end) {
    List<Row> out = new ArrayList<>();
    int order = 0;
    for (Map.Entry<Labels, List<LogEntry>> s : streams.entrySet()) {
      if (!matchers.stream().allMatch(m -> m.matches(s.getKey().get(m.name())))) {
        continue;
      }
      for (LogEntry e : s.getValue()) {
        if (e.timestampNanos() >= start && e.timestampNanos() < end) {
          out.add(new Row(s.getKey(), e, order++));
        }
      }
    }
    return out;
  }

  @Override
  public LogQuerier querier() {
    return new LogQuerier() {
      @Override
      public EntryIterator select(SelectRequest r) {
        List<Row> rows = rows(r.matchers(), r.startNanos(), r.endNanos());
        Comparator<Row> byTime = Comparator.comparingLong(x -> x.entry().timestampNanos());
        if (r.direction() == SelectRequest.Direction.BACKWARD) {
          byTime = byTime.reversed();
        }
        rows.sort(byTime.thenComparing(Row::stream).thenComparingInt(Row::order));
        return new EntryIterator() {
          private int at = -1;
          private byte[] line;

          @Override
          public boolean next() {
            if (++at >= rows.size()) {
              return false;
            }
            line = rows.get(at).entry().line().getBytes(StandardCharsets.UTF_8);
            return true;
          }

          @Override
          public Labels streamLabels() {
            return rows.get(at).stream();
          }

          @Override
          public long timestampNanos() {
            return rows.get(at).entry().timestampNanos();
          }

          @Override
          public byte[] lineBuffer() {
            return line;
          }

          @Override
          public int lineOffset() {
            return 0;
          }

          @Override
          public int lineLength() {
            return line.length;
          }

          @Override
          public Labels structuredMetadata() {
            Labels m = rows.get(at).entry().structuredMetadata();
            return m == null ? Labels.EMPTY : m;
          }

          @Override
          public SelectStats stats() {
            return new SelectStats(0, 0, Math.max(at, 0), 0, 0, 0);
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public List<Labels> series(List<LabelMatcher> matchers, long start, long end) {
        TreeSet<Labels> out = new TreeSet<>();
        rows(matchers, start, end).forEach(r -> out.add(r.stream()));
        return new ArrayList<>(out);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers, long start, long end) {
        TreeSet<String> out = new TreeSet<>();
        for (Labels l : series(matchers, start, end)) {
          l.forEach((n, v) -> out.add(n));
        }
        return new ArrayList<>(out);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers, long start, long end) {
        TreeSet<String> out = new TreeSet<>();
        for (Labels l : series(matchers, start, end)) {
          if (l.get(name) != null && !l.get(name).isEmpty()) {
            out.add(l.get(name));
          }
        }
        return new ArrayList<>(out);
      }

      @Override
      public List<StreamStats> streamStats(List<LabelMatcher> matchers, long start, long end) {
        Map<Labels, long[]> by = new java.util.TreeMap<>();
        for (Row r : rows(matchers, start, end)) {
          long[] c = by.computeIfAbsent(r.stream(), k -> new long[2]);
          c[0]++;
          c[1] += r.entry().line().getBytes(StandardCharsets.UTF_8).length;
        }
        List<StreamStats> out = new ArrayList<>();
        by.forEach((l, c) -> out.add(new StreamStats(l, 1, c[0], c[1])));
        return out;
      }
    };
  }

  @Override
  public synchronized LogStoreStats stats() {
    long entries = streams.values().stream().mapToLong(List::size).sum();
    return new LogStoreStats(streams.size(), entries, 0, 0, entries, 0);
  }

  @Override
  public void close() {}
}
