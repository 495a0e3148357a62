package io.sightline.collector.receiver.prometheusremotewrite;

import io.sightline.core.model.Labels;

/**
 * A decoded series' labels, plus one slot where the consumer may keep what it derived from them (a store's series
 * handle). The same instance comes back for every request that writes the series with the same label bytes, so what
 * is attached is found again without a lookup.
 */
public final class DecodedSeries {
  private final Labels labels;
  private volatile Object attachment;
  /** The fingerprint {@link LabelsCache} holds this under; set once, before it is published. */
  long h1;
  long h2;

  DecodedSeries(Labels labels) {
    this.labels = labels;
  }

  public Labels labels() {
    return labels;
  }

  /** What a consumer attached earlier, or null. */
  public Object attachment() {
    return attachment;
  }

  public void attach(Object value) {
    attachment = value;
  }
}
