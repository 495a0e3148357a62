package io.sightline.promql.promqltest;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.metricstore.SeriesExemplars;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The test scripts' storage: series held in memory, sorted by labels, each a time-ordered map of samples; a later
 * load of the same timestamp replaces the sample, as appending to Prometheus' test storage does.
 */
final class MemoryStorage implements Querier {
  private final TreeMap<Labels, TreeMap<Long, Object>> series = new TreeMap<>();

  void clear() {
    series.clear();
  }

  void add(Labels labels, long t, double v) {
    series.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, v);
  }

  void add(Labels labels, long t, Histogram h) {
    series.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, h);
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minT, long maxT) {
    List<Series> out = new ArrayList<>();
    for (Map.Entry<Labels, TreeMap<Long, Object>> e : series.entrySet()) {
      Labels labels = e.getKey();
      if (!matchers.stream().allMatch(m -> m.matches(labels.get(m.name())))) {
        continue;
      }
      SortedMap<Long, Object> window = e.getValue().subMap(minT, true, maxT, true);
      if (window.isEmpty()) {
        continue;
      }
      out.add(new Series() {
        @Override
        public Labels labels() {
          return labels;
        }

        @Override
        public SampleIterator iterator(long mint, long maxt) {
          var it = e.getValue().subMap(mint, true, maxt, true).entrySet().iterator();
          return new SampleIterator() {
            private Map.Entry<Long, Object> current;

            @Override
            public boolean next() {
              current = it.hasNext() ? it.next() : null;
              return current != null;
            }

            @Override
            public long timestamp() {
              return current.getKey();
            }

            @Override
            public double value() {
              return current.getValue() instanceof Double d ? d : Double.NaN;
            }

            @Override
            public Histogram histogram() {
              return current.getValue() instanceof Histogram h ? h : null;
            }
          };
        }
      });
    }
    return out;
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    TreeSet<String> names = new TreeSet<>();
    series.keySet().forEach(l -> l.forEach((n, v) -> names.add(n)));
    return new ArrayList<>(names);
  }

  @Override
  public List<SeriesExemplars> exemplars(List<LabelMatcher> matchers, long minT, long maxT) {
    return List.of();
  }

  @Override
  public SortedMap<String, MetricMetadata> metadata(String metric) {
    return new TreeMap<>();
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    TreeSet<String> values = new TreeSet<>();
    series.keySet().forEach(l -> {
      if (!l.get(name).isEmpty()) {
        values.add(l.get(name));
      }
    });
    return new ArrayList<>(values);
  }
}
