package io.sightline.metricstore.postings;

import io.sightline.core.model.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Label name → value → series ids, whatever holds it (the head's maps, a block's index file).
 */
public interface PostingsIndex {

  /** The values of {@code name}, in no particular order; empty when no series has the label. */
  Iterable<String> values(String name);

  /** The ids of the series with {@code name="value"}, or null; the caller may not change it. */
  RoaringBitmap postings(String name, String value);

  /** The ids of every series. */
  RoaringBitmap all();

  /**
   * Series ids matching every matcher, as Prometheus' {@code PostingsForMatchers}: a matcher that rejects the empty
   * value selects the union of the postings of the values it accepts; one that accepts it (such as {@code job!="x"})
   * removes the series whose value it rejects, so that series without the label stay.
   */
  static RoaringBitmap select(PostingsIndex index, List<LabelMatcher> matchers) {
    RoaringBitmap result = null;
    List<RoaringBitmap> subtract = new ArrayList<>();
    for (LabelMatcher m : matchers) {
      if (!m.matchesEmpty()) {
        RoaringBitmap matching = new RoaringBitmap();
        if (m.type() == LabelMatcher.Type.EQUAL) {
          RoaringBitmap exact = index.postings(m.name(), m.value());
          if (exact != null) {
            matching.or(exact);
          }
        } else {
          for (String v : index.values(m.name())) {
            if (m.matches(v)) {
              matching.or(index.postings(m.name(), v));
            }
          }
        }
        result = result == null ? matching : RoaringBitmap.and(result, matching);
      } else {
        RoaringBitmap rejected = new RoaringBitmap();
        for (String v : index.values(m.name())) {
          if (!m.matches(v)) {
            rejected.or(index.postings(m.name(), v));
          }
        }
        subtract.add(rejected);
      }
    }
    if (result == null) {
      result = index.all().clone();
    }
    for (RoaringBitmap r : subtract) {
      result.andNot(r);
    }
    return result;
  }
}
