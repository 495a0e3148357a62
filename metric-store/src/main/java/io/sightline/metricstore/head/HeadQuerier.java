package io.sightline.metricstore.head;

import io.sightline.core.model.LabelMatcher;
import io.sightline.metricstore.Exemplar;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.SeriesExemplars;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.roaringbitmap.RoaringBitmap;

/**
 * Answers queries from the postings first: matchers become bitmap intersections and differences before any chunk
 * is read, as Prometheus' {@code PostingsForMatchers} does.
 */
final class HeadQuerier implements Querier {
  private final Head head;

  HeadQuerier(Head head) {
    this.head = head;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minT, long maxT) {
    if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw new IllegalArgumentException("at least one matcher must not match the empty string");
    }
    RoaringBitmap refs = postingsFor(matchers);
    List<Series> out = new ArrayList<>(refs.getCardinality());
    refs.forEach((int ref) -> {
      MemSeries s = head.series(ref);
      if (s != null && s.maxTime() >= minT && s.minTime() <= maxT) {
        out.add(new HeadSeries(s));
      }
    });
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  @Override
  public List<SeriesExemplars> exemplars(List<LabelMatcher> matchers, long minT, long maxT) {
    if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw new IllegalArgumentException("at least one matcher must not match the empty string");
    }
    Map<Integer, List<Exemplar>> found = head.exemplarRing().find(postingsFor(matchers), minT, maxT);
    List<SeriesExemplars> out = new ArrayList<>(found.size());
    found.forEach((ref, list) -> {
      MemSeries s = head.series(ref);
      if (s != null) {
        out.add(new SeriesExemplars(s.labels, List.copyOf(list)));
      }
    });
    out.sort((a, b) -> a.seriesLabels().compareTo(b.seriesLabels()));
    return out;
  }

  @Override
  public java.util.SortedMap<String, io.sightline.metricstore.MetricMetadata> metadata(String metric) {
    java.util.TreeMap<String, io.sightline.metricstore.MetricMetadata> out = new java.util.TreeMap<>();
    head.metadataMap().forEach((name, m) -> {
      if (metric == null || metric.isEmpty() || metric.equals(name)) {
        out.put(name, m);
      }
    });
    return out;
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    if (matchers.isEmpty()) {
      return head.readPostings(p -> p.keySet().stream().filter(n -> !n.equals(Head.ALL)).sorted().toList());
    }
    TreeSet<String> names = new TreeSet<>();
    postingsFor(matchers).forEach((int ref) -> {
      MemSeries s = head.series(ref);
      if (s != null) {
        s.labels.forEach((name, value) -> names.add(name));
      }
    });
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    if (matchers.isEmpty()) {
      return head.readPostings(p -> {
        Map<String, RoaringBitmap> values = p.get(name);
        return values == null ? List.<String>of() : values.keySet().stream().sorted().toList();
      });
    }
    TreeSet<String> values = new TreeSet<>();
    postingsFor(matchers).forEach((int ref) -> {
      MemSeries s = head.series(ref);
      if (s != null && !s.labels.get(name).isEmpty()) {
        values.add(s.labels.get(name));
      }
    });
    return List.copyOf(values);
  }

  /**
   * Series ids matching every matcher. A matcher that rejects the empty value selects the union of the postings of
   * the values it accepts; one that accepts it (such as {@code job!="x"}) removes the series whose value it rejects.
   */
  private RoaringBitmap postingsFor(List<LabelMatcher> matchers) {
    return head.readPostings(p -> {
      RoaringBitmap result = null;
      List<RoaringBitmap> subtract = new ArrayList<>();
      for (LabelMatcher m : matchers) {
        Map<String, RoaringBitmap> values = p.getOrDefault(m.name(), Map.of());
        if (!m.matchesEmpty()) {
          RoaringBitmap matching = new RoaringBitmap();
          if (m.type() == LabelMatcher.Type.EQUAL) {
            RoaringBitmap exact = values.get(m.value());
            if (exact != null) {
              matching.or(exact);
            }
          } else {
            values.forEach((v, bitmap) -> {
              if (m.matches(v)) {
                matching.or(bitmap);
              }
            });
          }
          result = result == null ? matching : RoaringBitmap.and(result, matching);
        } else {
          RoaringBitmap rejected = new RoaringBitmap();
          values.forEach((v, bitmap) -> {
            if (!m.matches(v)) {
              rejected.or(bitmap);
            }
          });
          subtract.add(rejected);
        }
      }
      if (result == null) {
        RoaringBitmap all = p.getOrDefault(Head.ALL, Map.of()).get(Head.ALL);
        result = all == null ? new RoaringBitmap() : all.clone();
      }
      for (RoaringBitmap r : subtract) {
        result.andNot(r);
      }
      return result;
    });
  }

  private record HeadSeries(MemSeries series) implements Series {
    @Override
    public io.sightline.core.model.Labels labels() {
      return series.labels;
    }

    @Override
    public SampleIterator iterator(long minT, long maxT) {
      return series.iterator(minT, maxT);
    }
  }
}
