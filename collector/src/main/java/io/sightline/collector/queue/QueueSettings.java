package io.sightline.collector.queue;

import io.sightline.collector.config.ConfigMap;

/**
 * {@code sending_queue}, with the Collector's keys and defaults. The queue is in memory and counts requests
 * (batches); {@code storage} (a persistent queue), {@code batch}, {@code block_on_overflow: true} and the
 * {@code items} and {@code bytes} sizers are refused as not supported yet.
 *
 * @param numConsumers batches sent at the same time
 * @param queueSize batches the queue holds; a batch that finds it full is refused with a retryable error
 * @param waitForResult the pipeline's request completes only once its batch was sent (or failed for good), not when
 *     it was queued
 */
public record QueueSettings(boolean enabled, int numConsumers, int queueSize, boolean waitForResult) {
  public static final QueueSettings DEFAULTS = new QueueSettings(true, 10, 1000, false);

  /** Reads {@code m} over {@code defaults}; unknown keys and invalid values fail, located. */
  public static QueueSettings parse(ConfigMap m, QueueSettings defaults) {
    m.notSupportedYet("storage", "batch");
    boolean enabled = m.bool("enabled", defaults.enabled);
    int consumers = m.intValue("num_consumers", defaults.numConsumers);
    int size = m.intValue("queue_size", defaults.queueSize);
    boolean block = m.bool("block_on_overflow", false);
    boolean waitForResult = m.bool("wait_for_result", defaults.waitForResult);
    String sizer = m.string("sizer", "requests");
    m.finish();
    if (block) {
      throw m.error("block_on_overflow", "not supported yet: block_on_overflow: true (a full queue refuses the "
          + "batch with a retryable error, and the client sends it again)");
    }
    if (!sizer.equals("requests")) {
      if (sizer.equals("items") || sizer.equals("bytes")) {
        throw m.error("sizer", "not supported yet: sizer \"" + sizer + "\" (the queue counts requests)");
      }
      throw m.error("sizer", "invalid sizer \"" + sizer + "\" (valid values: requests, items, bytes)");
    }
    if (enabled) {
      if (consumers <= 0) {
        throw m.error("num_consumers", "`num_consumers` must be positive");
      }
      if (size <= 0) {
        throw m.error("queue_size", "`queue_size` must be positive");
      }
    }
    return new QueueSettings(enabled, consumers, size, waitForResult);
  }
}
