package io.sightline.collector.queue;

import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push exporter as the Collector's exporterhelper builds one:
 *
 * <pre>
 *   consume ─▶ sending_queue (bounded, in memory) ─▶ num_consumers ─▶ retry_on_failure ─▶ Sender (one attempt)
 *      │ full: refused, retryable                                       │ permanent / retries over: dropped, counted
 *      ▼                                                                ▼
 *   otelcol_exporter_enqueue_failed_*                        otelcol_exporter_send_failed_*
 * </pre>
 *
 * With the queue enabled, the pipeline's request completes once its batch is queued, as in the Collector (or once it
 * was sent, with {@code wait_for_result}); a process that dies loses what is queued. With the queue disabled the
 * request completes once the peer accepted the batch, and fails, retryably, when retrying is over, so that the client
 * upstream keeps the data; a batch the peer refused for good fails permanently.
 *
 * <p>{@link #close} stops taking batches, cuts the retry waits short, sends what is queued (one attempt each) and
 * then closes the sender's resources.
 */
public final class ExporterHelper<T extends Telemetry, R> implements Exporter<T> {
  private static final Logger log = LoggerFactory.getLogger(ExporterHelper.class);
  /** How often an idle consumer looks whether the exporter is closing. */
  private static final long POLL_MILLIS = 100;

  private final String name;
  private final ObsReport.ExporterCounters counters;
  private final QueueSettings queueSettings;
  private final RetryingSender<R> retrying;
  private final Function<T, R> convert;
  private final ToIntFunction<R> items;
  private final ScheduledExecutorService timer;
  private final AutoCloseable resources;
  private final BlockingQueue<Entry<R>> queue;
  private final List<Thread> consumers = new ArrayList<>();
  private volatile boolean closing;

  private record Entry<R>(R request, CompletableFuture<ConsumeResult> result) {}

  /** An exporter that sends the batches themselves. */
  public static <T extends Telemetry> ExporterHelper<T, T> of(String name, ObsReport.ExporterCounters counters,
      QueueSettings queue, RetrySettings retry, Sender<T> sender, AutoCloseable resources) {
    return new ExporterHelper<>(name, counters, queue, retry, t -> t, Telemetry::itemCount, sender, resources);
  }

  /**
   * An exporter that turns each batch into a request once, when it takes the batch (so that a retry sends the same
   * request, and a translation with state is not run twice), and sends the requests.
   *
   * @param name the exporter's id, for logs
   * @param convert the request for a batch; it may throw {@link PermanentException} for a batch it cannot take
   * @param items the pipeline items a request carries, for the counters
   * @param resources closed after the last attempt (the sender's client); may be null
   */
  public ExporterHelper(String name, ObsReport.ExporterCounters counters, QueueSettings queue, RetrySettings retry,
      Function<T, R> convert, ToIntFunction<R> items, Sender<R> sender, AutoCloseable resources) {
    this.name = name;
    this.convert = convert;
    this.items = items;
    this.counters = counters;
    this.queueSettings = queue;
    this.resources = resources;
    this.timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("exporter-retry-" + name).factory());
    this.retrying = new RetryingSender<>(name, sender, retry, timer, () -> ThreadLocalRandom.current().nextDouble());
    this.queue = queue.enabled() ? new ArrayBlockingQueue<>(queue.queueSize()) : null;
  }

  @Override
  public boolean countsItsOwnSends() {
    return true;
  }

  @Override
  public synchronized void start() {
    if (queue == null || !consumers.isEmpty()) {
      return;
    }
    counters.queueCapacity().set(queueSettings.queueSize());
    for (int i = 0; i < queueSettings.numConsumers(); i++) {
      consumers.add(Thread.ofVirtual().name("exporter-" + name + "-" + i).start(this::drain));
    }
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(T batch) {
    if (closing) {
      return CompletableFuture.failedFuture(new RetryableException("the exporter " + name + " is shutting down",
          null, false));
    }
    R request;
    try {
      request = convert.apply(batch);
    } catch (RuntimeException e) {
      counters.sendFailed().inc(batch.itemCount());
      return CompletableFuture.failedFuture(e);
    }
    if (queue == null) {
      return send(request, false).handle((ok, error) -> {
        if (error == null) {
          return ConsumeResult.ACCEPTED;
        }
        Throwable t = Consumers.unwrap(error);
        throw t instanceof RuntimeException r ? r : new RetryableException(String.valueOf(t.getMessage()), null, false);
      });
    }
    Entry<R> e = new Entry<>(request, queueSettings.waitForResult() ? new CompletableFuture<>() : null);
    if (!queue.offer(e)) {
      counters.enqueueFailed().inc(batch.itemCount());
      log.atWarn().addKeyValue("exporter", name).addKeyValue("dropped_items", batch.itemCount())
          .log("Exporting failed. Rejecting data: sending queue is full");
      return CompletableFuture.failedFuture(new RetryableException("sending queue is full", null, false));
    }
    counters.queueSize().set(queue.size());
    return e.result != null ? e.result : CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
  }

  /** One consumer: sends queued batches, one at a time, until the exporter closes and the queue is empty. */
  private void drain() {
    while (true) {
      Entry<R> e;
      try {
        e = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        return;
      }
      if (e == null) {
        if (closing) {
          return;
        }
        continue;
      }
      counters.queueSize().set(queue.size());
      CompletableFuture<Void> sent = send(e.request, true);
      try {
        sent.join();
        if (e.result != null) {
          e.result.complete(ConsumeResult.ACCEPTED);
        }
      } catch (RuntimeException failure) {
        if (e.result != null) {
          e.result.completeExceptionally(Consumers.unwrap(failure));
        }
      }
    }
  }

  /** Sends with retries, counting the items sent or failed; a batch taken from the queue is logged when dropped. */
  private CompletableFuture<Void> send(R request, boolean queued) {
    int n = items.applyAsInt(request);
    return retrying.send(request).whenComplete((ok, error) -> {
      if (error == null) {
        counters.sent().inc(n);
        return;
      }
      counters.sendFailed().inc(n);
      Throwable t = Consumers.unwrap(error);
      if (queued) {
        log.atError().addKeyValue("exporter", name).addKeyValue("error", t.getMessage())
            .addKeyValue("dropped_items", n)
            .log(t instanceof PermanentException ? "Exporting failed. The error is not retryable. Dropping data."
                : "Exporting failed. Dropping data.");
      }
    });
  }

  @Override
  public void close() throws Exception {
    closing = true;
    retrying.close();
    List<Thread> threads;
    synchronized (this) {
      threads = List.copyOf(consumers);
    }
    for (Thread t : threads) {
      t.join();
    }
    timer.shutdownNow();
    if (queue != null) {
      counters.queueSize().set(queue.size());
    }
    if (resources != null) {
      resources.close();
    }
  }

  @Override
  public String toString() {
    return "exporter " + name;
  }
}
