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
import io.sightline.metricstore.postings.PostingsIndex;
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
    // What lies before the head's lower bound is in a block, even where a head chunk still holds it.
    long from = Math.max(minT, head.queryMinTime());
    refs.forEach((int ref) -> {
      MemSeries s = head.series(ref);
      if (s != null && s.maxTime() >= from && s.minTime() <= maxT) {
        out.add(new HeadSeries(s, head));
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
      return head.readPostings(p -> p.names().stream().filter(n -> !n.equals(Head.ALL)).sorted().toList());
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
      return head.readPostings(p -> p.valuesOf(name).keySet().stream().sorted().toList());
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

  private RoaringBitmap postingsFor(List<LabelMatcher> matchers) {
    return head.readPostings(p -> PostingsIndex.select(p, matchers));
  }

  private record HeadSeries(MemSeries series, Head head) implements Series {
    @Override
    public io.sightline.core.model.Labels labels() {
      return series.labels;
    }

    @Override
    public SampleIterator iterator(long minT, long maxT) {
      return series.iterator(Math.max(minT, head.queryMinTime()), maxT);
    }
  }
}
