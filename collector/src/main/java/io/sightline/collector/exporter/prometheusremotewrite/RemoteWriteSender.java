package io.sightline.collector.exporter.prometheusremotewrite;

import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.queue.Sender;
import io.sightline.collector.remotewrite.RemoteWriteClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends a batch's remote-write requests one after another (so that each series' samples arrive in order) with the
 * remote-write client Prometheus' queue uses here: 2xx is taken, a network error, a 5xx or a 429 is worth another try
 * (after its {@code Retry-After}), any other answer is permanent. A request refused for good is skipped and the rest
 * of the batch still sent; the batch then fails permanently. The client blocks, so attempts run on virtual threads.
 */
final class RemoteWriteSender implements Sender<RemoteWriteRequest>, AutoCloseable {
  private final RemoteWriteClient client;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  RemoteWriteSender(RemoteWriteClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<Void> send(RemoteWriteRequest r) {
    return CompletableFuture.runAsync(() -> {
      String refused = null;
      while (r.next < r.bodies.size()) {
        RemoteWriteClient.Outcome outcome;
        try {
          outcome = client.store(r.bodies.get(r.next), r.attempts++);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CompletionException(new RetryableException("interrupted", null, false));
        }
        switch (outcome) {
          case RemoteWriteClient.Outcome.Sent s -> {
            r.next++;
            r.attempts = 0;
          }
          case RemoteWriteClient.Outcome.Recoverable rec ->
              throw new CompletionException(new RetryableException(rec.message(), rec.retryAfter(), false));
          case RemoteWriteClient.Outcome.Failed f -> {
            refused = f.message();
            r.next++;
            r.attempts = 0;
          }
        }
      }
      if (refused != null) {
        throw new CompletionException(new PermanentException("Permanent error: " + refused));
      }
    }, executor);
  }

  @Override
  public void close() {
    client.close();
    executor.shutdownNow();
  }
}
