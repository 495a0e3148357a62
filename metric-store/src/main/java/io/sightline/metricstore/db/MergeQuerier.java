package io.sightline.metricstore.db;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.metricstore.SeriesExemplars;
import io.sightline.metricstore.block.Block;
import io.sightline.metricstore.chunk.SequenceIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Reads the blocks and the head as one store: the series of each, merged by labels; a series found in several is
 * read from each in time order. Exemplars and metadata live in the head only, as in Prometheus.
 */
final class MergeQuerier implements Querier {
  private final List<Block> blocks;
  private final Querier head;
  private final long headMinT;
  private final long headMaxT;

  /**
   * @param blocks sorted by time, not overlapping
   * @param headMinT the head's time range, for label queries bounded in time
   */
  MergeQuerier(List<Block> blocks, Querier head, long headMinT, long headMaxT) {
    this.blocks = blocks;
    this.head = head;
    this.headMinT = headMinT;
    this.headMaxT = headMaxT;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minT, long maxT) {
    if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw new IllegalArgumentException("at least one matcher must not match the empty string");
    }
    List<List<Series>> sources = new ArrayList<>();
    for (Block b : blocks) {
      if (b.meta().overlaps(minT, maxT)) {
        sources.add(b.select(matchers, minT, maxT));
      }
    }
    sources.add(head.select(matchers, minT, maxT));
    sources.removeIf(List::isEmpty);
    if (sources.size() == 1) {
      return sources.get(0);
    }
    // Each source is in label order: a k-way merge, grouping equal label sets in source (time) order.
    int[] at = new int[sources.size()];
    List<Series> out = new ArrayList<>();
    while (true) {
      Labels smallest = null;
      for (int i = 0; i < sources.size(); i++) {
        if (at[i] < sources.get(i).size()) {
          Labels l = sources.get(i).get(at[i]).labels();
          if (smallest == null || l.compareTo(smallest) < 0) {
            smallest = l;
          }
        }
      }
      if (smallest == null) {
        return out;
      }
      List<Series> parts = new ArrayList<>(2);
      for (int i = 0; i < sources.size(); i++) {
        if (at[i] < sources.get(i).size() && sources.get(i).get(at[i]).labels().equals(smallest)) {
          parts.add(sources.get(i).get(at[i]++));
        }
      }
      out.add(parts.size() == 1 ? parts.get(0) : new ChainedSeries(smallest, parts));
    }
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    return labelNames(matchers, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    return labelValues(name, matchers, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers, long minT, long maxT) {
    TreeSet<String> names = new TreeSet<>();
    if (headOverlaps(minT, maxT)) {
      names.addAll(head.labelNames(matchers));
    }
    for (Block b : blocks) {
      if (b.meta().overlaps(minT, maxT)) {
        names.addAll(b.labelNames(matchers));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers, long minT, long maxT) {
    TreeSet<String> values = new TreeSet<>();
    if (headOverlaps(minT, maxT)) {
      values.addAll(head.labelValues(name, matchers));
    }
    for (Block b : blocks) {
      if (b.meta().overlaps(minT, maxT)) {
        values.addAll(b.labelValues(name, matchers));
      }
    }
    return List.copyOf(values);
  }

  /** An empty head has nothing to add; otherwise its whole range counts, as in Prometheus. */
  private boolean headOverlaps(long minT, long maxT) {
    return headMaxT != Long.MIN_VALUE && headMinT <= maxT && headMaxT >= minT;
  }

  @Override
  public List<SeriesExemplars> exemplars(List<LabelMatcher> matchers, long minT, long maxT) {
    return head.exemplars(matchers, minT, maxT);
  }

  @Override
  public SortedMap<String, MetricMetadata> metadata(String metric) {
    return head.metadata(metric);
  }

  /**
   * One series held by several sources, read one after the other. A timestamp already read is skipped: while a block
   * is being published, its range may be answered by the head as well for a moment.
   */
  private record ChainedSeries(Labels labels, List<Series> parts) implements Series {
    @Override
    public SampleIterator iterator(long minT, long maxT) {
      return new SequenceIterator() {
        private int part;
        private long last = Long.MIN_VALUE;
        private boolean any;

        @Override
        protected SampleIterator nextPart() {
          return part < parts.size() ? parts.get(part++).iterator(minT, maxT) : null;
        }

        @Override
        protected Verdict judge(long t) {
          if (any && t <= last) {
            return Verdict.SKIP;
          }
          any = true;
          last = t;
          return Verdict.KEEP;
        }
      };
    }
  }
}
