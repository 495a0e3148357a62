package io.sightline.metricstore.chunk;

import io.sightline.metricstore.SampleIterator;

/**
 * Samples read from a run of parts (chunks, or series held by several blocks) one part after the other, each sample
 * judged on its timestamp: kept, skipped, or the end of everything. What the head, the blocks and the merge of the
 * two have in common.
 */
public abstract class SequenceIterator implements SampleIterator {
  /** What {@link #judge} says of a sample. */
  protected enum Verdict { KEEP, SKIP, STOP }

  private SampleIterator current;
  private boolean done;

  /** The next part to read, or null when there is none. */
  protected abstract SampleIterator nextPart();

  protected abstract Verdict judge(long timestamp);

  @Override
  public final boolean next() {
    while (!done) {
      if (current == null) {
        current = nextPart();
        if (current == null) {
          done = true;
          return false;
        }
      }
      while (current.next()) {
        switch (judge(current.timestamp())) {
          case KEEP -> {
            return true;
          }
          case STOP -> {
            done = true;
            return false;
          }
          default -> { }
        }
      }
      current = null;
    }
    return false;
  }

  @Override
  public final long timestamp() {
    return current.timestamp();
  }

  @Override
  public final double value() {
    return current.value();
  }

  @Override
  public final io.sightline.core.model.Histogram histogram() {
    return current.histogram();
  }
}
