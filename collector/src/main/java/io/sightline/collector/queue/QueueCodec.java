package io.sightline.collector.queue;

import java.io.IOException;

/** How a persistent sending queue writes a request to its file and reads it back after a restart. */
public interface QueueCodec<R> {

  byte[] encode(R request);

  /** The request {@link #encode} wrote; fails on bytes it cannot have written. */
  R decode(byte[] bytes) throws IOException;
}
