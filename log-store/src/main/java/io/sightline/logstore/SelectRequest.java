package io.sightline.logstore;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/**
 * Which entries {@link LogQuerier#select} returns.
 *
 * @param matchers the stream selector
 * @param startNanos inclusive
 * @param endNanos exclusive
 * @param hint what every line the caller will keep must contain; the store may use it to skip chunks, never to
 *     filter lines (the caller still applies its filters)
 */
public record SelectRequest(List<LabelMatcher> matchers, long startNanos, long endNanos, Direction direction,
    LineFilterHint hint) {

  public SelectRequest {
    matchers = List.copyOf(matchers);
    if (hint == null) {
      hint = LineFilterHint.NONE;
    }
  }

  public enum Direction {
    /** Oldest first. */
    FORWARD,
    /** Newest first (Loki's default for log queries). */
    BACKWARD
  }
}
