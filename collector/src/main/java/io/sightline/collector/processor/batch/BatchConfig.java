package io.sightline.collector.processor.batch;

import io.sightline.collector.config.ConfigMap;
import java.time.Duration;

/** The Collector's keys and defaults; {@code send_batch_max_size} 0 means no maximum. */
record BatchConfig(Duration timeout, int sendBatchSize, int sendBatchMaxSize) {
  /** The Collector's default: short enough that a request is never held noticeably, long enough to gather a burst. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);
  /** The Collector's default, in items: large enough that per-batch costs (a WAL fsync, a request) are amortised. */
  static final int DEFAULT_SEND_BATCH_SIZE = 8192;

  static BatchConfig parse(ConfigMap m) {
    m.notSupportedYet("metadata_keys", "metadata_cardinality_limit");
    Duration timeout = m.duration("timeout", DEFAULT_TIMEOUT);
    int size = m.intValue("send_batch_size", DEFAULT_SEND_BATCH_SIZE);
    int max = m.intValue("send_batch_max_size", 0);
    m.finish();
    if (timeout.isNegative()) {
      throw m.error("timeout", "must not be negative");
    }
    if (size < 0) {
      throw m.error("send_batch_size", "must not be negative");
    }
    if (max < 0 || (max > 0 && max < size)) {
      throw m.error("send_batch_max_size", "must be 0 (no maximum) or at least send_batch_size (" + size + ")");
    }
    return new BatchConfig(timeout, size, max);
  }
}
