package io.sightline.logstore.index;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * Streams by ordinal, with postings from each label pair to the streams that carry it:
 *
 * <pre>
 *   streams   0 {app="api", env="prod"}   1 {app="api", env="dev"}   2 {app="db", env="prod"}
 *   postings  app → { api → {0,1}, db → {2} }      env → { dev → {1}, prod → {0,2} }
 * </pre>
 *
 * A matcher selects the union of the postings of the values it accepts, plus, when it accepts the empty value, the
 * streams without the label (PromQL's rule); the matchers of a selector intersect.
 */
public final class LabelIndex {
  private final Labels[] streams;
  private final Map<String, TreeMap<String, RoaringBitmap>> postings = new HashMap<>();

  public LabelIndex(List<Labels> streams) {
    this.streams = streams.toArray(new Labels[0]);
    for (int i = 0; i < this.streams.length; i++) {
      Labels l = this.streams[i];
      for (int p = 0; p < l.size(); p++) {
        postings.computeIfAbsent(l.name(p), k -> new TreeMap<>()).computeIfAbsent(l.value(p), k -> new RoaringBitmap())
            .add(i);
      }
    }
    postings.values().forEach(m -> m.values().forEach(RoaringBitmap::runOptimize));
  }

  public int size() {
    return streams.length;
  }

  public Labels labels(int ordinal) {
    return streams[ordinal];
  }

  /** The ordinals of the streams every matcher accepts (all streams for no matcher). */
  public RoaringBitmap select(List<LabelMatcher> matchers) {
    RoaringBitmap result = RoaringBitmap.bitmapOfRange(0, streams.length);
    for (LabelMatcher m : matchers) {
      if (result.isEmpty()) {
        break;
      }
      result.and(selectOne(m));
    }
    return result;
  }

  private RoaringBitmap selectOne(LabelMatcher m) {
    TreeMap<String, RoaringBitmap> values = postings.getOrDefault(m.name(), new TreeMap<>());
    if (m.type() == LabelMatcher.Type.EQUAL && !m.value().isEmpty()) {
      RoaringBitmap b = values.get(m.value());
      return b == null ? new RoaringBitmap() : b;
    }
    RoaringBitmap out = new RoaringBitmap();
    for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
      if (m.matches(e.getKey())) {
        out.or(e.getValue());
      }
    }
    if (m.matchesEmpty()) {
      RoaringBitmap having = new RoaringBitmap();
      values.values().forEach(having::or);
      RoaringBitmap lacking = RoaringBitmap.bitmapOfRange(0, streams.length);
      lacking.andNot(having);
      out.or(lacking);
    }
    return out;
  }

  /** Whether a label set passes every matcher: for the head, whose streams are few enough to test one by one. */
  public static boolean matches(Labels labels, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(labels.get(m.name()))) {
        return false;
      }
    }
    return true;
  }
}
