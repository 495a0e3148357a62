package io.sightline.logstore;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LabelMatcher;
import java.io.IOException;
import java.util.List;

/**
 * Reads committed lines. Times are Unix nanoseconds over {@code [startNanos, endNanos)}, Loki's convention. Matchers
 * select streams by their labels as PromQL's do (an empty matcher list selects every stream). Thread-safe.
 */
public interface LogQuerier {

  /**
   * The entries of the selected streams in the range, merged in the request's direction: by time, then by stream
   * labels, then in the order stored. The caller closes the iterator.
   */
  EntryIterator select(SelectRequest request) throws IOException;

  /** Label sets of the streams that have entries in the range, sorted. */
  List<Labels> series(List<LabelMatcher> matchers, long startNanos, long endNanos) throws IOException;

  /** Label names of the selected streams that have entries in the range, sorted. */
  List<String> labelNames(List<LabelMatcher> matchers, long startNanos, long endNanos) throws IOException;

  /** Values of one label over the selected streams that have entries in the range, sorted. */
  List<String> labelValues(String name, List<LabelMatcher> matchers, long startNanos, long endNanos)
      throws IOException;

  /**
   * Per selected stream, what its chunks in the range hold (whole chunks that overlap it, as Loki's index statistics
   * count), for {@code index/stats} and {@code index/volume}; sorted by labels, streams without entries left out.
   */
  List<StreamStats> streamStats(List<LabelMatcher> matchers, long startNanos, long endNanos) throws IOException;
}
