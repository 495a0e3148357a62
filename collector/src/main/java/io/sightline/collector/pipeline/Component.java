package io.sightline.collector.pipeline;

/**
 * Something with a lifetime in a pipeline. The pipelines start exporters first and receivers last, and shut down
 * in the opposite order, so that nothing is handed to a component that has stopped.
 */
public interface Component extends AutoCloseable {

  /** Opens ports, files and timers. A failure stops the server from starting. */
  default void start() throws Exception {}

  /**
   * Stops taking new work and finishes the work in hand: a receiver stops accepting and answers the requests in
   * flight, a processor flushes what it holds, an exporter makes everything durable.
   */
  @Override
  default void close() throws Exception {}
}
