package io.sightline.collector.receiver.prometheus;

import io.sightline.core.model.Labels;
import java.io.IOException;

/** Where scraped samples go: a store's appender, one batch per scrape. */
public interface SampleSink {

  Batch begin();

  /** One scrape's samples, stored together on {@link #commit}. */
  interface Batch {
    /** Adds a sample; false when the store refused it (out of order, duplicate, too old). */
    boolean append(Labels series, long timestampMs, double value);

    /** Adds an exemplar to a series appended in this batch. */
    void exemplar(Labels series, Labels exemplar, long timestampMs, double value);

    /** Records what a metric family is (Prometheus type names: counter, gauge, histogram, summary, unknown, …). */
    void metadata(String family, String type, String help, String unit);

    void commit() throws IOException;

    void rollback();
  }
}
