package io.sightline.logql.engine.testing;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A log store in memory that keeps the SPI's contracts, for the engine's tests: commit makes appends visible;
 * duplicates (same stream, time and line) are dropped; select returns entries of {@code [start, end)} merged by time,
 * then stream labels, then the order stored (backward: exactly the reverse). Everything counts as head data, as a
 * store that has cut no chunk yet.
 */
public final class MemoryLogStore implements LogStore {
  private record Stored(long ts, String line, byte[] bytes, Labels metadata, long seq) {}

  private record Key(Labels stream, long ts, String line) {}

  private final Map<Labels, List<Stored>> streams = new ConcurrentSkipListMap<>();
  private final Set<Key> keys = new HashSet<>();
  private long seq;
  private long stored;

  @Override
  public LogAppender appender() {
    return new LogAppender() {
      private final List<Map.Entry<Labels, LogEntry>> pending = new ArrayList<>();

      @Override
      public AppendResult append(Labels stream, List<LogEntry> entries) {
        for (LogEntry e : entries) {
          pending.add(Map.entry(stream, e));
        }
        return AppendResult.storedAll(entries.size());
      }

      @Override
      public void commit() {
        synchronized (MemoryLogStore.this) {
          for (Map.Entry<Labels, LogEntry> p : pending) {
            List<Stored> s = streams.computeIfAbsent(p.getKey(), k -> new ArrayList<>());
            LogEntry e = p.getValue();
            if (keys.add(new Key(p.getKey(), e.timestampNanos(), e.line()))) {
              s.add(new Stored(e.timestampNanos(), e.line(), e.line().getBytes(StandardCharsets.UTF_8),
                  e.structuredMetadata() == null ? Labels.EMPTY : e.structuredMetadata(), seq++));
              stored++;
            }
          }
          pending.clear();
        }
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }

  @Override
  public LogQuerier querier() {
    return new Querier();
  }

  @Override
  public synchronized LogStoreStats stats() {
    long entries = streams.values().stream().mapToLong(List::size).sum();
    return new LogStoreStats(streams.size(), entries, 0, 0, stored, 0);
  }

  @Override
  public void close() {}

  private static boolean matches(Labels l, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(l.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  private final class Querier implements LogQuerier {
    @Override
    public EntryIterator select(SelectRequest r) {
      record Row(Labels stream, Stored e) {}
      List<Row> rows = new ArrayList<>();
      synchronized (MemoryLogStore.this) {
        for (Map.Entry<Labels, List<Stored>> s : streams.entrySet()) {
          if (!matches(s.getKey(), r.matchers())) {
            continue;
          }
          for (Stored e : s.getValue()) {
            if (e.ts() >= r.startNanos() && e.ts() < r.endNanos()) {
              rows.add(new Row(s.getKey(), e));
            }
          }
        }
      }
      Comparator<Row> order = Comparator.<Row>comparingLong(x -> x.e().ts())
          .thenComparing(Row::stream).thenComparingLong(x -> x.e().seq());
      rows.sort(r.direction() == SelectRequest.Direction.FORWARD ? order : order.reversed());
      return new EntryIterator() {
        private int i = -1;
        private long bytes;

        @Override
        public boolean next() {
          if (i + 1 >= rows.size()) {
            i = rows.size();
            return false;
          }
          i++;
          bytes += rows.get(i).e().bytes().length;
          return true;
        }

        @Override
        public Labels streamLabels() {
          return rows.get(i).stream();
        }

        @Override
        public long timestampNanos() {
          return rows.get(i).e().ts();
        }

        @Override
        public byte[] lineBuffer() {
          return rows.get(i).e().bytes();
        }

        @Override
        public int lineOffset() {
          return 0;
        }

        @Override
        public int lineLength() {
          return rows.get(i).e().bytes().length;
        }

        @Override
        public Labels structuredMetadata() {
          return rows.get(i).e().metadata();
        }

        @Override
        public SelectStats stats() {
          return new SelectStats(0, 0, Math.min(i + 1, rows.size()), 0, 0, 0);
        }

        @Override
        public void close() {}
      };
    }

    private List<Map.Entry<Labels, List<Stored>>> selected(List<LabelMatcher> matchers, long start, long end) {
      List<Map.Entry<Labels, List<Stored>>> out = new ArrayList<>();
      synchronized (MemoryLogStore.this) {
        for (Map.Entry<Labels, List<Stored>> s : streams.entrySet()) {
          if (matches(s.getKey(), matchers)
              && s.getValue().stream().anyMatch(e -> e.ts() >= start && e.ts() < end)) {
            out.add(Map.entry(s.getKey(), List.copyOf(s.getValue())));
          }
        }
      }
      return out;
    }

    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long start, long end) {
      return selected(matchers, start, end).stream().map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers, long start, long end) {
      TreeSet<String> names = new TreeSet<>();
      for (var s : selected(matchers, start, end)) {
        s.getKey().forEach((n, v) -> names.add(n));
      }
      return List.copyOf(names);
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers, long start, long end) {
      TreeSet<String> values = new TreeSet<>();
      for (var s : selected(matchers, start, end)) {
        String v = s.getKey().get(name);
        if (!v.isEmpty()) {
          values.add(v);
        }
      }
      return List.copyOf(values);
    }

    @Override
    public List<StreamStats> streamStats(List<LabelMatcher> matchers, long start, long end) {
      Map<Labels, StreamStats> out = new TreeMap<>();
      for (var s : selected(matchers, start, end)) {
        long bytes = 0;
        for (Stored e : s.getValue()) {
          bytes += e.bytes().length;
        }
        out.put(s.getKey(), new StreamStats(s.getKey(), 1, s.getValue().size(), bytes));
      }
      return List.copyOf(out.values());
    }
  }
}
