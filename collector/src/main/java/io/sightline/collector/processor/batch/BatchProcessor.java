package io.sightline.collector.processor.batch;

import io.sightline.collector.obsreport.ObsReport.BatchCounters;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.Slicing;
import io.sightline.collector.pipeline.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers batches while a send is in flight, until {@code send_batch_size} items are pending or {@code timeout} has
 * passed since the first of them, then sends them on as one (cut at {@code send_batch_max_size}).
 *
 * <p>Why gather only while a send is in flight? Because a request here is answered only once its batch has been
 * exported, a processor that always waited for {@code timeout} would hold every request that long: one SDK exporter,
 * which sends its next batch only after the last one is answered, could then send no more than one request per
 * {@code timeout}. Sending at once when downstream is idle, and merging whatever arrives while it is busy, is group
 * commit: batches grow with the load, and at low load nothing waits. The Collector's triggers still hold: a batch is
 * never larger than {@code send_batch_max_size}, and nothing waits longer than {@code timeout}.
 *
 * <pre>
 *   request A (40 spans) ──┐                         ┌─ future A
 *   request B (90 spans) ──┼─▶ pending ─▶ flush ─▶ next.consume(A+B+C) ──┼─ future B   all complete when
 *   request C (10 spans) ──┘   (140)                 └─ future C   the merged batch does
 * </pre>
 *
 * A batch that is already large enough, arriving when nothing is pending, passes straight through: no protobuf is
 * rebuilt on the path that matters most under load.
 */
final class BatchProcessor<T extends Telemetry> implements Processor<T> {
  private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);
  /** How long close() waits for sends in flight; the server's shutdown timeout bounds it again from above. */
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final BatchConfig config;
  private final Consumer<T> next;
  private final BatchCounters counters;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private List<Waiting<T>> pending = new ArrayList<>();
  private int pendingItems;
  /** Sends downstream not yet complete; guarded by {@code lock}. */
  private int sending;
  private ScheduledFuture<?> timer;
  private ScheduledExecutorService scheduler;
  private volatile boolean closed;

  private record Waiting<T>(T batch, CompletableFuture<ConsumeResult> done) {}

  BatchProcessor(BatchConfig config, Consumer<T> next, BatchCounters counters) {
    this.config = config;
    this.next = next;
    this.counters = counters;
  }

  @Override
  public void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "batch-timer");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(T batch) {
    int items = batch.itemCount();
    if (closed || config.timeout().isZero()) {
      synchronized (lock) {
        sending++;
      }
      return send(List.of(new Waiting<>(batch, new CompletableFuture<>())), false).get(0).done();
    }
    List<Waiting<T>> due = null;
    Waiting<T> waiting;
    boolean bySize = false;
    synchronized (lock) {
      boolean fits = config.sendBatchMaxSize() == 0 || items <= config.sendBatchMaxSize();
      if (pending.isEmpty() && fits && (sending == 0 || items >= config.sendBatchSize())) {
        // Nothing to merge with: downstream is idle, or the batch is large enough on its own.
        waiting = null;
        bySize = items >= config.sendBatchSize();
        sending++;
      } else {
        waiting = new Waiting<>(batch, new CompletableFuture<>());
        pending.add(waiting);
        pendingItems += items;
        counters.pending().inc(items);
        if (pendingItems >= config.sendBatchSize() || sending == 0) {
          bySize = pendingItems >= config.sendBatchSize();
          due = takePending();
          sending++;
        } else if (timer == null) {
          timer = scheduler.schedule(this::onTimeout, config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
      }
    }
    if (waiting == null) {
      (bySize ? counters.sizeTrigger() : counters.idleTrigger()).inc();
      return send(List.of(new Waiting<>(batch, new CompletableFuture<>())), false).get(0).done();
    }
    if (due != null) {
      (bySize ? counters.sizeTrigger() : counters.idleTrigger()).inc();
      send(due, true);
    }
    return waiting.done();
  }

  /** A send finished: whatever gathered meanwhile goes now, without waiting for the timer. */
  private void onSent() {
    List<Waiting<T>> due = null;
    synchronized (lock) {
      sending--;
      if (sending == 0 && !pending.isEmpty()) {
        due = takePending();
        sending++;
      }
    }
    if (due != null) {
      counters.idleTrigger().inc();
      send(due, true);
    }
  }

  private void onTimeout() {
    List<Waiting<T>> due;
    synchronized (lock) {
      timer = null;
      if (pending.isEmpty()) {
        return;
      }
      due = takePending();
      sending++;
    }
    counters.timeoutTrigger().inc();
    send(due, true);
  }

  /** Must hold the lock. */
  private List<Waiting<T>> takePending() {
    List<Waiting<T>> taken = pending;
    counters.pending().dec(pendingItems);
    pending = new ArrayList<>();
    pendingItems = 0;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    return taken;
  }

  /**
   * Sends the batches of {@code waiting} as one (cut at the maximum), and completes every waiting future once all
   * pieces are done: each of those requests has items in the merged batch. The caller has counted the send in
   * {@code sending}.
   */
  private List<Waiting<T>> send(List<Waiting<T>> waiting, boolean merge) {
    List<T> batches = new ArrayList<>(waiting.size());
    waiting.forEach(w -> batches.add(w.batch()));
    T merged = merge ? Slicing.merge(batches) : batches.get(0);
    List<T> pieces = Slicing.split(merged, config.sendBatchMaxSize());
    @SuppressWarnings("unchecked")
    CompletableFuture<ConsumeResult>[] sent = new CompletableFuture[pieces.size()];
    for (int i = 0; i < sent.length; i++) {
      counters.sendSize().observe(pieces.get(i).itemCount());
      sent[i] = Consumers.safely(next, pieces.get(i));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(sent);
    inFlight.add(all);
    all.whenComplete((ignored, failure) -> {
      inFlight.remove(all);
      onSent();
      if (failure != null) {
        waiting.forEach(w -> w.done().completeExceptionally(Consumers.unwrap(failure)));
        return;
      }
      ConsumeResult result = ConsumeResult.ACCEPTED;
      for (CompletableFuture<ConsumeResult> s : sent) {
        result = result.merge(s.join());
      }
      for (Waiting<T> w : waiting) {
        // Rejections cannot be traced back to a request; each learns of at most as many as it sent.
        ConsumeResult own = result.isPartial()
            ? ConsumeResult.partial(Math.min(result.rejected(), w.batch().itemCount()), result.message()) : result;
        w.done().complete(own);
      }
    });
    return waiting;
  }

  /** Sends what is pending and waits for every send in flight, so that nothing held here is lost on shutdown. */
  @Override
  public void close() {
    List<Waiting<T>> rest;
    synchronized (lock) {
      closed = true;
      rest = pending.isEmpty() ? List.of() : takePending();
      if (!rest.isEmpty()) {
        sending++;
      }
    }
    if (!rest.isEmpty()) {
      send(rest, true);
    }
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.atWarn().setCause(e).log("batch processor closed with sends still in flight");
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
