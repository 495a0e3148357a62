package io.sightline.collector.queue;

import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retry_on_failure} around a {@link Sender}: a failed attempt that is not permanent is made again after an
 * exponentially growing, randomized wait, or after the peer's throttle delay when that is longer, until
 * {@code max_elapsed_time} would be passed. Waiting holds no thread: the next attempt is scheduled on a timer.
 *
 * <p>Once {@link #close} is called nothing waits any more: a waiting batch is attempted at once, and a batch whose
 * attempt fails then is given up, as the Collector's retry sender gives up at shutdown.
 */
final class RetryingSender<T> {
  private static final Logger log = LoggerFactory.getLogger(RetryingSender.class);

  private final String exporter;
  private final Sender<T> sender;
  private final RetrySettings settings;
  private final ScheduledExecutorService timer;
  private final DoubleSupplier random;
  /** Retries waiting for their time, so that {@link #close} can run them at once. */
  private final Map<Attempt, ScheduledFuture<?>> waiting = new ConcurrentHashMap<>();
  private volatile boolean closing;

  RetryingSender(String exporter, Sender<T> sender, RetrySettings settings, ScheduledExecutorService timer,
      DoubleSupplier random) {
    this.exporter = exporter;
    this.sender = sender;
    this.settings = settings;
    this.timer = timer;
    this.random = random;
  }

  /** Completes when the batch was delivered; fails with the last error once retrying is over. */
  CompletableFuture<Void> send(T batch) {
    Attempt a = new Attempt(batch);
    a.run();
    return a.done;
  }

  void close() {
    closing = true;
    for (Map.Entry<Attempt, ScheduledFuture<?>> e : waiting.entrySet()) {
      if (e.getValue().cancel(false)) {
        waiting.remove(e.getKey());
        // On the timer's thread, not the caller's: the caller (a pool thread closing the server) waits for these
        // attempts, and an HTTP client may complete them on that very pool.
        timer.execute(e.getKey());
      }
    }
  }

  /** The wait after a failure whose un-randomized interval is {@code intervalNanos} (cenkalti/backoff's rule). */
  long randomized(double intervalNanos) {
    double delta = settings.randomizationFactor() * intervalNanos;
    double min = intervalNanos - delta;
    double max = intervalNanos + delta;
    return (long) (min + random.getAsDouble() * (max - min + 1));
  }

  private final class Attempt implements Runnable {
    final T batch;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final long startNanos = System.nanoTime();
    double intervalNanos = settings.initialInterval().toNanos();

    Attempt(T batch) {
      this.batch = batch;
    }

    @Override
    public void run() {
      waiting.remove(this);
      CompletableFuture<Void> attempt;
      try {
        attempt = sender.send(batch);
      } catch (RuntimeException e) {
        attempt = CompletableFuture.failedFuture(e);
      }
      attempt.whenComplete((ok, error) -> {
        if (error == null) {
          done.complete(null);
        } else {
          failed(Consumers.unwrap(error));
        }
      });
    }

    private void failed(Throwable t) {
      if (t instanceof PermanentException || !settings.enabled()) {
        done.completeExceptionally(t);
        return;
      }
      String message = String.valueOf(t.getMessage());
      if (closing) {
        done.completeExceptionally(new RetryableException("interrupted due to shutdown: " + message, null, false));
        return;
      }
      long delay = randomized(intervalNanos);
      intervalNanos = Math.min(intervalNanos * settings.multiplier(), settings.maxInterval().toNanos());
      if (t instanceof RetryableException r && r.retryAfter() != null) {
        delay = Math.max(delay, r.retryAfter().toNanos());
      }
      long maxElapsed = settings.maxElapsedTime().toNanos();
      if (maxElapsed > 0 && System.nanoTime() - startNanos + delay > maxElapsed) {
        done.completeExceptionally(new RetryableException("no more retries left: " + message, null, false));
        return;
      }
      log.atInfo().addKeyValue("exporter", exporter).addKeyValue("error", message)
          .addKeyValue("interval", Duration.ofNanos(delay))
          .log("Exporting failed. Will retry the request after interval.");
      waiting.put(this, timer.schedule(this, delay, TimeUnit.NANOSECONDS));
      if (closing) {
        // close() ran between the check above and the put, and may not have seen this retry.
        ScheduledFuture<?> f = waiting.remove(this);
        if (f != null && f.cancel(false)) {
          timer.execute(this);
        }
      }
    }
  }
}
