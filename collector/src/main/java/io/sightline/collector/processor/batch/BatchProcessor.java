package io.sightline.collector.processor.batch;

import io.sightline.collector.obsreport.ObsReport.BatchCounters;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.Slicing;
import io.sightline.collector.pipeline.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   request A (40 spans) ──┐                                         ┌─ future A
 *   request B (90 spans) ──┼─▶ pending ─▶ merge ─▶ cut ─▶ piece 1 ───┼─ future B   each completes when the
 *   request C (10 spans) ──┘   (140)              (100)   piece 2 ───┴─ future C   pieces holding its items have
 * </pre>
 *
 * A request is tied to the pieces that hold its items, and only to them: it fails if one of those fails, not because
 * a piece holding someone else's items did (a needless failure makes a client send again what is already stored).
 *
 * <p>A batch that is already large enough, arriving when nothing is pending, passes straight through: no protobuf is
 * rebuilt on the path that matters most under load.
 *
 * <p>Sends are handed downstream outside the lock, so that event-loop threads never queue behind an exporter's
 * {@code consume}. Requests in flight together may therefore reach downstream in either order, as they may from the
 * Collector's parallel exporters; the items of one request stay in order, and a client that awaits each answer
 * before sending again sees its batches arrive in the order it sent them.
 */
final class BatchProcessor<T extends Telemetry> implements Processor<T> {
  private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);
  /**
   * How long close() waits for the sends in flight. Long enough for an embedded store to sync its write-ahead log or a
   * remote exporter to finish a request under its usual timeouts; the server's shutdown deadline bounds it again.
   */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final BatchConfig config;
  private final Consumer<T> next;
  private final BatchCounters counters;
  private final Duration closeWait;
  /** Sends not yet complete downstream, for close() to wait on. Registered under {@code lock} when taken. */
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

  private final Object lock = new Object();
  // Everything below is guarded by lock.
  private List<Waiting<T>> pending = new ArrayList<>();
  private int pendingItems;
  /** Sends downstream not yet complete: while there are any, arrivals gather. */
  private int sending;
  private ScheduledFuture<?> timer;
  /** Tells a timer that fired after its batch had already gone from the timer of the batch now pending. */
  private long timerGeneration;
  private ScheduledExecutorService scheduler;
  private boolean closed;

  /** A request held here: its batch and the future its receiver waits on. */
  private record Waiting<T>(T batch, CompletableFuture<ConsumeResult> done) {}

  /** Why a send happened, for the trigger counters. */
  private enum Trigger {
    SIZE, TIMEOUT, IDLE,
    /** Sends after close() and the flush at close: counting them as a trigger would mislead. */
    NONE;

    void count(BatchCounters c) {
      switch (this) {
        case SIZE -> c.sizeTrigger().inc();
        case TIMEOUT -> c.timeoutTrigger().inc();
        case IDLE -> c.idleTrigger().inc();
        case NONE -> { }
      }
    }
  }

  BatchProcessor(BatchConfig config, Consumer<T> next, BatchCounters counters, Duration closeWait) {
    this.config = config;
    this.next = next;
    this.counters = counters;
    this.closeWait = closeWait;
  }

  @Override
  public void start() {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      // Daemon: a timer must never keep the JVM alive; close() flushes whatever the timer would have sent.
      Thread t = new Thread(r, "batch-timer");
      t.setDaemon(true);
      return t;
    });
    synchronized (lock) {
      scheduler = s;
    }
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(T batch) {
    int items = batch.itemCount();
    Waiting<T> waiting = new Waiting<>(batch, new CompletableFuture<>());
    List<Waiting<T>> due;
    Trigger trigger;
    CompletableFuture<Void> finished;
    synchronized (lock) {
      if (closed || scheduler == null || config.timeout().isZero()) {
        // No timer to wait for: after close (or before start) nothing may be held, and timeout 0 means no batching.
        due = List.of(waiting);
        trigger = config.timeout().isZero() && !closed ? Trigger.SIZE : Trigger.NONE;
      } else if (pending.isEmpty() && (sending == 0 || items >= config.sendBatchSize())) {
        // Nothing to merge with: downstream is idle, or the batch is large enough on its own.
        due = List.of(waiting);
        trigger = items >= config.sendBatchSize() ? Trigger.SIZE : Trigger.IDLE;
      } else {
        pending.add(waiting);
        pendingItems += items;
        counters.pending().inc(items);
        if (pendingItems >= config.sendBatchSize() || sending == 0) {
          trigger = pendingItems >= config.sendBatchSize() ? Trigger.SIZE : Trigger.IDLE;
          due = takePending();
        } else {
          if (timer == null) {
            long generation = ++timerGeneration;
            timer = scheduler.schedule(() -> onTimeout(generation), config.timeout().toNanos(), TimeUnit.NANOSECONDS);
          }
          return waiting.done();
        }
      }
      finished = beginSend();
    }
    trigger.count(counters);
    send(due, finished);
    return waiting.done();
  }

  private void onTimeout(long generation) {
    List<Waiting<T>> due;
    CompletableFuture<Void> finished;
    synchronized (lock) {
      if (generation != timerGeneration || timer == null) {
        return; // the batch this timer was for has gone already; a newer timer watches what is pending now
      }
      timer = null;
      if (pending.isEmpty()) {
        return;
      }
      due = takePending();
      finished = beginSend();
    }
    Trigger.TIMEOUT.count(counters);
    send(due, finished);
  }

  /** A send finished: whatever gathered meanwhile goes now, without waiting for the timer. */
  private void onSent(CompletableFuture<Void> finished) {
    List<Waiting<T>> due = null;
    CompletableFuture<Void> again = null;
    synchronized (lock) {
      sending--;
      inFlight.remove(finished);
      if (sending == 0 && !pending.isEmpty()) {
        due = takePending();
        again = beginSend();
      }
    }
    if (due != null) {
      Trigger.IDLE.count(counters);
      send(due, again);
    }
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

  /** Must hold the lock; registering here, not in send(), lets close() see every send taken before it. */
  private CompletableFuture<Void> beginSend() {
    sending++;
    CompletableFuture<Void> finished = new CompletableFuture<>();
    inFlight.add(finished);
    return finished;
  }

  /**
   * Sends the batches of {@code due} as one, cut at the maximum, and completes each request's future once the pieces
   * holding its items are done; {@code finished} completes after every request's future has.
   */
  private void send(List<Waiting<T>> due, CompletableFuture<Void> finished) {
    List<T> pieces;
    try {
      T merged = due.size() == 1 ? due.get(0).batch() : Slicing.merge(batches(due));
      pieces = Slicing.split(merged, config.sendBatchMaxSize());
    } catch (RuntimeException e) {
      // A bug here must not leave requests waiting forever nor the processor believing a send is in flight.
      due.forEach(w -> w.done().completeExceptionally(e));
      finish(finished);
      return;
    }
    if (pieces.size() == 1) {
      sendWhole(due, pieces.get(0), finished);
    } else {
      new Cut(due, pieces, finished).send();
    }
  }

  private static <T extends Telemetry> List<T> batches(List<Waiting<T>> due) {
    List<T> batches = new ArrayList<>(due.size());
    for (Waiting<T> w : due) {
      batches.add(w.batch());
    }
    return batches;
  }

  /** The common case: one outgoing batch holds every request's items, so all share its outcome. */
  private void sendWhole(List<Waiting<T>> due, T batch, CompletableFuture<Void> finished) {
    counters.sendSize().observe(batch.itemCount());
    Consumers.safely(next, batch).whenComplete((result, failure) -> {
      for (Waiting<T> w : due) {
        if (failure != null) {
          w.done().completeExceptionally(Consumers.unwrap(failure));
        } else {
          w.done().complete(share(result, w.batch().itemCount()));
        }
      }
      finish(finished);
    });
  }

  /**
   * A rejection cannot be traced to the request whose items were rejected, so each request learns of as many as it
   * could have lost: no more than it sent, nor than the batch lost.
   */
  private static ConsumeResult share(ConsumeResult result, long items) {
    return result.isPartial() ? ConsumeResult.partial(Math.min(result.rejected(), items), result.message()) : result;
  }

  private void finish(CompletableFuture<Void> finished) {
    finished.complete(null);
    onSent(finished);
  }

  /**
   * One send cut into pieces. Requests and pieces both lie in item order along the merged batch, so the pieces holding
   * a request's items are a contiguous run: request i spans items [from, to), piece j spans [start, end).
   */
  private final class Cut {
    private final List<Waiting<T>> due;
    private final List<T> pieces;
    private final CompletableFuture<Void> finished;
    private final int[] start;
    private final int[] end;
    private final ConsumeResult[] results;
    private final Throwable[] failures;
    /** Per request: its items [from, to), its first and last piece, and how many of its pieces are still out. */
    private final int[] from;
    private final int[] to;
    private final int[] firstPiece;
    private final int[] lastPiece;
    private final AtomicInteger[] left;
    /** Per piece: its first and last request (requests with items in it, or, if empty, whose position it is). */
    private final int[] firstRequest;
    private final int[] lastRequest;
    private final AtomicInteger piecesLeft;

    Cut(List<Waiting<T>> due, List<T> pieces, CompletableFuture<Void> finished) {
      this.due = due;
      this.pieces = pieces;
      this.finished = finished;
      int n = pieces.size();
      start = new int[n];
      end = new int[n];
      results = new ConsumeResult[n];
      failures = new Throwable[n];
      int offset = 0;
      for (int j = 0; j < n; j++) {
        start[j] = offset;
        offset += pieces.get(j).itemCount();
        end[j] = offset;
      }
      int r = due.size();
      from = new int[r];
      to = new int[r];
      firstPiece = new int[r];
      lastPiece = new int[r];
      left = new AtomicInteger[r];
      firstRequest = new int[n];
      lastRequest = new int[n];
      Arrays.fill(firstRequest, -1);
      int at = 0;
      int j = 0;
      for (int i = 0; i < r; i++) {
        from[i] = at;
        at += due.get(i).batch().itemCount();
        to[i] = at;
        // The first piece ending after `from` holds the request's first item; a request without items (a metric
        // without data points) travels in the piece whose position it is at.
        while (j < n - 1 && end[j] <= from[i]) {
          j++;
        }
        int last = j;
        while (last < n - 1 && start[last + 1] < to[i]) {
          last++;
        }
        // An empty piece right after the request's last item may carry its trailing item-less content.
        while (to[i] > from[i] && last < n - 1 && start[last + 1] == to[i] && end[last + 1] == to[i]) {
          last++;
        }
        firstPiece[i] = j;
        lastPiece[i] = last;
        left[i] = new AtomicInteger(last - j + 1);
        for (int k = j; k <= last; k++) {
          if (firstRequest[k] < 0) {
            firstRequest[k] = i;
          }
          lastRequest[k] = i;
        }
      }
      piecesLeft = new AtomicInteger(n);
    }

    void send() {
      // Everything above is set up before the first piece goes: a downstream may complete synchronously.
      for (int j = 0; j < pieces.size(); j++) {
        int piece = j;
        counters.sendSize().observe(pieces.get(j).itemCount());
        Consumers.safely(next, pieces.get(j)).whenComplete((result, failure) -> onPiece(piece, result, failure));
      }
    }

    private void onPiece(int j, ConsumeResult result, Throwable failure) {
      // Written before the decrements below, which publish them to whichever thread completes the request.
      results[j] = result;
      failures[j] = failure == null ? null : Consumers.unwrap(failure);
      if (firstRequest[j] >= 0) {
        for (int i = firstRequest[j]; i <= lastRequest[j]; i++) {
          if (left[i].decrementAndGet() == 0) {
            complete(i);
          }
        }
      }
      // Last, so that every request's future has completed before close() learns the send is over.
      if (piecesLeft.decrementAndGet() == 0) {
        finish(finished);
      }
    }

    private void complete(int i) {
      Waiting<T> w = due.get(i);
      long rejected = 0;
      Set<String> messages = new LinkedHashSet<>();
      for (int j = firstPiece[i]; j <= lastPiece[i]; j++) {
        if (failures[j] != null) {
          w.done().completeExceptionally(failures[j]);
          return;
        }
        if (results[j].isPartial()) {
          int overlap = Math.max(0, Math.min(to[i], end[j]) - Math.max(from[i], start[j]));
          rejected += Math.min(results[j].rejected(), overlap);
          if (!results[j].message().isEmpty()) {
            messages.add(results[j].message());
          }
        }
      }
      w.done().complete(ConsumeResult.partial(Math.min(rejected, to[i] - from[i]), String.join("; ", messages)));
    }
  }

  /** Sends what is pending and waits for every send in flight, so that nothing held here is lost on shutdown. */
  @Override
  public void close() {
    List<Waiting<T>> rest = List.of();
    CompletableFuture<Void> finished = null;
    ScheduledExecutorService timerThread;
    synchronized (lock) {
      closed = true;
      if (!pending.isEmpty()) {
        rest = takePending();
        finished = beginSend();
      }
      timerThread = scheduler;
    }
    if (finished != null) {
      send(rest, finished);
    }
    awaitInFlight();
    if (timerThread != null) {
      // Not shutdownNow(): interrupting a timer that is handing a batch downstream could break the exporter's I/O.
      timerThread.shutdown();
    }
  }

  private void awaitInFlight() {
    CompletableFuture<?>[] sends = inFlight.toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(sends).get(closeWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.atWarn().addKeyValue("sends", inFlight.size()).addKeyValue("waited", closeWait)
          .log("batch processor closed with sends still in flight downstream");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a send's completion marker cannot fail", e);
    }
  }
}
