package io.sightline.collector.queue;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.Signal;
import java.nio.file.Path;

/**
 * {@code sending_queue}, with the Collector's keys and defaults. The queue counts requests (batches); it is in
 * memory, or with {@code storage} (in the Collector the id of a storage extension, such as {@code file_storage})
 * a file per request under the server's data directory. {@code batch}, {@code block_on_overflow: true} and the
 * {@code items} and {@code bytes} sizers are refused as not supported yet.
 *
 * @param numConsumers batches sent at the same time
 * @param queueSize batches the queue holds; a batch that finds it full is refused with a retryable error
 * @param waitForResult the pipeline's request completes only once its batch was sent (or failed for good), not when
 *     it was queued
 * @param storage the storage extension id that makes the queue persistent, or null
 */
public record QueueSettings(boolean enabled, int numConsumers, int queueSize, boolean waitForResult, String storage) {
  public static final QueueSettings DEFAULTS = new QueueSettings(true, 10, 1000, false, null);

  /** Reads {@code m} over {@code defaults}; unknown keys and invalid values fail, located. */
  public static QueueSettings parse(ConfigMap m, QueueSettings defaults) {
    m.notSupportedYet("batch");
    String storage = m.has("storage") ? m.string("storage", "").strip() : null;
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
    if (storage != null && storage.isEmpty()) {
      throw m.error("storage", "expected a storage extension id (e.g. file_storage)");
    }
    return new QueueSettings(enabled, consumers, size, waitForResult, storage);
  }

  /** Where the persistent queue of exporter {@code id} keeps {@code signal}'s requests (see {@code FORMAT.md}). */
  public static Path directory(Path dataDir, ComponentId id, Signal signal) {
    String dir = (id.name().isEmpty() ? id.type() : id.type() + "_" + id.name()).replaceAll("[^A-Za-z0-9_.-]", "_");
    return dataDir.resolve("exporters").resolve(dir).resolve(signal.configName());
  }
}
