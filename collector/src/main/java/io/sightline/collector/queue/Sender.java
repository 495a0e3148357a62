package io.sightline.collector.queue;

import java.util.concurrent.CompletableFuture;

/**
 * One attempt to deliver a batch to the remote end. The future fails with
 * {@link io.sightline.collector.pipeline.PermanentException} when sending again cannot help (the peer refused the
 * data), and with anything else, {@link io.sightline.collector.pipeline.RetryableException} carrying the peer's
 * throttle delay among them, when a later attempt may succeed.
 */
@FunctionalInterface
public interface Sender<T> {

  CompletableFuture<Void> send(T batch);
}
