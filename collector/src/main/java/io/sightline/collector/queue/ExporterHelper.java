package io.sightline.collector.queue;

import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push exporter as the Collector's exporterhelper builds one:
 *
 * <pre>
 *   consume ─▶ sending_queue (bounded; memory or files) ─▶ num_consumers ─▶ retry_on_failure ─▶ Sender
 *      │ full: refused, retryable                              │ permanent / retries over: dropped, counted
 *      ▼                                                       ▼
 *   otelcol_exporter_enqueue_failed_*               otelcol_exporter_send_failed_*
 * </pre>
 *
 * With the queue enabled, the pipeline's request completes once its batch is queued, as in the Collector (or once it
 * was sent, with {@code wait_for_result}): in memory, a process that dies loses what is queued; with
 * {@link #withStorage storage}, the request's file is fsynced first, and what is left at a restart is sent then. With
 * the queue disabled the request completes once the peer accepted the batch, and fails, retryably, when retrying is
 * over, so that the client upstream keeps the data; a batch the peer refused for good fails permanently.
 *
 * <p>{@link #close} stops taking batches and cuts the retry waits short; an in-memory queue is then sent, one attempt
 * each, a persistent one stays on disk. Then the sender's resources are closed.
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
  /** Queued requests; the bound is kept by {@link #pending}, which counts places taken, files being written too. */
  private final BlockingQueue<Entry<R>> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final List<Thread> consumers = new ArrayList<>();
  private FileQueue<R> files;
  private ExecutorService fileWriter;
  private volatile boolean closing;

  /** A queued request: its items, its file when the queue is persistent, the waiting caller with wait_for_result. */
  private record Entry<R>(R request, int items, Path file, CompletableFuture<ConsumeResult> result) {}

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
  }

  /**
   * Makes the queue persistent: one file per request in {@code dir} (see {@code FORMAT.md}), written with
   * {@code codec}. Call before {@link #start}; ignored when the queue is disabled.
   */
  public ExporterHelper<T, R> withStorage(Path dir, QueueCodec<R> codec) {
    if (queueSettings.enabled()) {
      files = new FileQueue<>(dir, codec);
    }
    return this;
  }

  @Override
  public boolean countsItsOwnSends() {
    return true;
  }

  @Override
  public synchronized void start() throws IOException {
    if (!queueSettings.enabled() || !consumers.isEmpty()) {
      return;
    }
    counters.queueCapacity().set(queueSettings.queueSize());
    if (files != null) {
      fileWriter = Executors.newVirtualThreadPerTaskExecutor();
      List<FileQueue.Stored<R>> left = files.recover();
      // What the last run left is sent first, all of it, even beyond queue_size (then new batches wait for room).
      for (FileQueue.Stored<R> s : left) {
        pending.incrementAndGet();
        queue.add(new Entry<>(s.request(), s.items(), s.file(), null));
      }
      if (!left.isEmpty()) {
        log.atInfo().addKeyValue("exporter", name).addKeyValue("requests", left.size())
            .log("persistent queue: sending what the last run left");
      }
      counters.queueSize().set(pending.get());
    }
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
    if (!queueSettings.enabled()) {
      return send(request, items.applyAsInt(request), false).handle((ok, error) -> {
        if (error == null) {
          return ConsumeResult.ACCEPTED;
        }
        Throwable t = Consumers.unwrap(error);
        throw t instanceof RuntimeException r ? r : new RetryableException(String.valueOf(t.getMessage()), null, false);
      });
    }
    int n = items.applyAsInt(request);
    if (pending.incrementAndGet() > queueSettings.queueSize()) {
      pending.decrementAndGet();
      counters.enqueueFailed().inc(batch.itemCount());
      log.atWarn().addKeyValue("exporter", name).addKeyValue("dropped_items", batch.itemCount())
          .log("Exporting failed. Rejecting data: sending queue is full");
      return CompletableFuture.failedFuture(new RetryableException("sending queue is full", null, false));
    }
    CompletableFuture<ConsumeResult> result = queueSettings.waitForResult() ? new CompletableFuture<>() : null;
    if (files == null) {
      queue.add(new Entry<>(request, n, null, result));
      counters.queueSize().set(pending.get());
      return result != null ? result : CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
    }
    // The fsync must not hold the receiver's thread.
    return CompletableFuture.supplyAsync(() -> {
      try {
        return files.write(request, n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, fileWriter).handle((file, error) -> {
      if (error != null) {
        pending.decrementAndGet();
        counters.enqueueFailed().inc(batch.itemCount());
        log.atError().setCause(Consumers.unwrap(error)).addKeyValue("exporter", name)
            .log("persistent queue: cannot write a request; refused");
        throw new RetryableException("persistent queue: cannot write the request: "
            + Consumers.unwrap(error).getMessage(), null, false);
      }
      queue.add(new Entry<>(request, n, file, result));
      counters.queueSize().set(pending.get());
      return result;
    }).thenCompose(r -> r != null ? r : CompletableFuture.completedFuture(ConsumeResult.ACCEPTED));
  }

  /**
   * One consumer: sends queued requests, one at a time, until the exporter closes and (in memory) the queue is empty;
   * a persistent queue is left on disk at close.
   */
  private void drain() {
    while (true) {
      if (closing && files != null) {
        return;
      }
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
      counters.queueSize().set(pending.decrementAndGet());
      CompletableFuture<Void> sent = send(e.request, e.items, true);
      Throwable failure = null;
      try {
        sent.join();
      } catch (RuntimeException f) {
        failure = Consumers.unwrap(f);
      }
      if (e.file != null) {
        if (failure != null && closing && !(failure instanceof PermanentException)) {
          // Cut short by shutdown: the file stays, and the next run sends it.
          log.atInfo().addKeyValue("exporter", name).log("persistent queue: a request stays queued for the next run");
        } else {
          files.remove(e.file);
        }
      }
      if (e.result != null) {
        if (failure == null) {
          e.result.complete(ConsumeResult.ACCEPTED);
        } else {
          e.result.completeExceptionally(failure);
        }
      }
    }
  }

  /** Sends with retries, counting the items sent or failed; a request taken from the queue is logged when dropped. */
  private CompletableFuture<Void> send(R request, int n, boolean queued) {
    return retrying.send(request).whenComplete((ok, error) -> {
      if (error == null) {
        counters.sent().inc(n);
        return;
      }
      Throwable t = Consumers.unwrap(error);
      if (queued && files != null && closing && !(t instanceof PermanentException)) {
        return; // kept on disk, not failed
      }
      counters.sendFailed().inc(n);
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
    if (fileWriter != null) {
      fileWriter.shutdown();
      fileWriter.awaitTermination(10, TimeUnit.SECONDS);
    }
    counters.queueSize().set(pending.get());
    if (resources != null) {
      resources.close();
    }
  }

  @Override
  public String toString() {
    return "exporter " + name;
  }
}
