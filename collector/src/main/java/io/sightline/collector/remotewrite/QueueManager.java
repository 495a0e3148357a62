package io.sightline.collector.remotewrite;

import io.sightline.collector.receiver.prometheus.relabel.Relabeler;
import io.sightline.core.model.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote-write endpoint, as Prometheus' {@code QueueManager} sends to it: what {@link #enqueue} hands over waits
 * in a bounded in-memory queue, and one sender thread takes up to {@code max_samples_per_send} samples and exemplars
 * at a time (or fewer, once the oldest has waited {@code batch_send_deadline}), encodes and POSTs them. A recoverable
 * failure (network, 5xx, 429 with {@code retry_on_http_429}) is retried with the same request after
 * {@code min_backoff}, doubled each time up to {@code max_backoff}, or after the server's {@code Retry-After}; retries
 * go on until the request goes through. Any other answer drops the request, with an error logged and the
 * {@code _failed_total} counters. Enqueuing never waits for the network: when the queue is full, its oldest entries
 * are dropped ({@code _dropped_total}).
 *
 * <pre>
 *   enqueue ─▶ write relabel ─▶ ring [oldest … newest] ─▶ sender: batch ─▶ encode + snappy ─▶ POST ─┬─ 2xx: done
 *                                  │ full: drop oldest            ▲                                ├─ retry: sleep
 *                                  ▼                              └────────────────────────────────┘
 *                             _dropped_total                                                       └─ 4xx: _failed
 * </pre>
 *
 * Metadata, when {@code metadata_config.send} is on, is kept per family (the latest wins) and sent in requests of its
 * own every {@code send_interval}, as Prometheus does for remote-write 1.0. Order is kept: one sender, one request
 * at a time, so each series' samples arrive in the order they were enqueued.
 */
public final class QueueManager {
  private static final Logger log = LoggerFactory.getLogger(QueueManager.class);

  /** How the sender waits between retries; false when the queue was abandoned meanwhile. */
  @FunctionalInterface
  interface Pause {
    boolean sleep(Duration d) throws InterruptedException;
  }

  private final RemoteWriteConfig config;
  private final RemoteWriteClient client;
  private final RemoteWriteMetrics.Queue metrics;
  private final LongSupplier clockMs;
  private final Pause pause;
  private final long limit;
  private final long deadlineNanos;

  // The ring of queued entries, guarded by this. An entry is a sample when its exemplar labels are null.
  private Labels[] series = new Labels[256];
  private Labels[] exemplarLabels = new Labels[256];
  private long[] timestamps = new long[256];
  private double[] values = new double[256];
  private long[] enqueuedNanos = new long[256];
  private int head;
  private int size;
  private int exemplarsQueued;
  private boolean overflowing;
  private final Map<String, WriteBatch.Metadata> metadata = new LinkedHashMap<>();
  private long nextMetadataNanos;
  private boolean closing;
  private boolean abandoned;
  private boolean senderDone;
  private Thread sender;
  /** What the sender holds outside the ring (a request being sent or retried), for the count at abandon. */
  private int inFlightSamples;
  private int inFlightExemplars;

  /** The request being built; the sender's alone. */
  private final WriteBatch batch = new WriteBatch();
  private final WriteRequestEncoder encoder = new WriteRequestEncoder();

  /** A queue for {@code config}, counting in {@code metrics}; nothing runs before {@link #start}. */
  public QueueManager(RemoteWriteConfig config, String userAgent, RemoteWriteMetrics metrics) {
    this(config, new RemoteWriteClient(config, userAgent), metrics, System::currentTimeMillis, null);
  }

  /** With the sending and the waiting given, for tests ({@code pause} null: really wait). */
  QueueManager(RemoteWriteConfig config, RemoteWriteClient client, RemoteWriteMetrics metrics, LongSupplier clockMs,
      Pause pause) {
    this.config = config;
    this.client = client;
    this.metrics = metrics.queue(config.name(), config.redactedUrl(), config.queue().maxSamplesPerSend());
    this.clockMs = clockMs;
    this.pause = pause != null ? pause : this::waitUnlessAbandoned;
    this.limit = config.queue().queueLimit();
    this.deadlineNanos = config.queue().batchSendDeadline().toNanos();
  }

  public String name() {
    return config.name();
  }

  public RemoteWriteConfig config() {
    return config;
  }

  /** This queue's series of the remote-write metrics. */
  RemoteWriteMetrics.Queue metrics() {
    return metrics;
  }

  /** Starts the sender thread. */
  public synchronized void start() {
    if (sender != null || closing) {
      return;
    }
    sender = Thread.ofPlatform().daemon().name("remote-write-" + config.name()).start(this::run);
  }

  /**
   * Queues what {@code batch} holds, after write relabeling; returns at once. The batch is not kept: it may be
   * cleared and reused when this returns.
   */
  public void enqueue(WriteBatch in) {
    Labels[] relabeled = relabel(in);
    synchronized (this) {
      if (senderDone) {
        // Closed: nothing will send it.
        for (int i = 0; i < in.size; i++) {
          countDropped(in.exemplars[i] != null, 1);
        }
        return;
      }
      long now = System.nanoTime();
      for (int i = 0; i < in.size; i++) {
        boolean exemplar = in.exemplars[i] != null;
        if (exemplar && !config.sendExemplars()) {
          continue;
        }
        if (relabeled[i] == null) {
          countDropped(exemplar, 1);
          continue;
        }
        push(relabeled[i], in.exemplars[i], in.timestamps[i], in.values[i], now);
      }
      if (config.metadata().send() && !in.metadata.isEmpty()) {
        if (metadata.isEmpty()) {
          // As Prometheus' metadata watcher: the first send comes one interval after there is something to send.
          nextMetadataNanos = now + config.metadata().sendInterval().toNanos();
        }
        for (WriteBatch.Metadata m : in.metadata) {
          metadata.put(m.family(), m);
        }
      }
      updatePending();
      notifyAll();
    }
  }

  /** Each entry's series after {@code write_relabel_configs}, null where they drop it; the labels themselves if none. */
  private Labels[] relabel(WriteBatch in) {
    if (config.writeRelabelConfigs().isEmpty()) {
      return in.series;
    }
    Labels[] out = new Labels[in.size];
    // A series comes several times in a batch (its samples, its exemplars): relabel it once.
    Map<Labels, Labels> done = new IdentityHashMap<>();
    for (int i = 0; i < in.size; i++) {
      Labels l = in.series[i];
      Labels r = done.get(l);
      if (r == null && !done.containsKey(l)) {
        r = Relabeler.process(l, config.writeRelabelConfigs());
        if (r != null && r.size() == 0) {
          r = null;
        }
        done.put(l, r);
      }
      out[i] = r;
    }
    return out;
  }

  private void push(Labels s, Labels exemplar, long ts, double value, long nowNanos) {
    if (size == limit) {
      boolean droppedExemplar = exemplarLabels[head] != null;
      countDropped(droppedExemplar, 1);
      if (droppedExemplar) {
        exemplarsQueued--;
      }
      series[head] = null;
      exemplarLabels[head] = null;
      head = (head + 1) % series.length;
      size--;
      if (!overflowing) {
        overflowing = true;
        log.atWarn().addKeyValue("remote_name", config.name()).addKeyValue("url", config.redactedUrl())
            .addKeyValue("limit", limit).log("remote write queue is full: dropping the oldest samples (counted in "
                + "prometheus_remote_storage_samples_dropped_total); the endpoint is down or slower than the data");
      }
    }
    if (size == series.length) {
      grow();
    }
    int at = (head + size) % series.length;
    series[at] = s;
    exemplarLabels[at] = exemplar;
    timestamps[at] = ts;
    values[at] = value;
    enqueuedNanos[at] = nowNanos;
    size++;
    if (exemplar != null) {
      exemplarsQueued++;
    }
  }

  private void grow() {
    int n = (int) Math.min(limit, (long) series.length * 2);
    series = unroll(series, n);
    exemplarLabels = unroll(exemplarLabels, n);
    long[] t = new long[n];
    double[] v = new double[n];
    long[] e = new long[n];
    for (int i = 0; i < size; i++) {
      int from = (head + i) % timestamps.length;
      t[i] = timestamps[from];
      v[i] = values[from];
      e[i] = enqueuedNanos[from];
    }
    timestamps = t;
    values = v;
    enqueuedNanos = e;
    head = 0;
  }

  private Labels[] unroll(Labels[] a, int n) {
    Labels[] out = new Labels[n];
    for (int i = 0; i < size; i++) {
      out[i] = a[(head + i) % a.length];
    }
    return out;
  }

  private void countDropped(boolean exemplar, int n) {
    if (n <= 0) {
      return;
    }
    (exemplar ? metrics.exemplarsDropped() : metrics.samplesDropped()).inc(n);
  }

  private void updatePending() {
    metrics.samplesPending().set(size - exemplarsQueued);
    metrics.exemplarsPending().set(exemplarsQueued);
  }

  /** What the sender does next. */
  private enum Work { SAMPLES, METADATA, STOP }

  private void run() {
    try {
      while (true) {
        Work w = next();
        if (w == Work.STOP) {
          return;
        }
        if (w == Work.SAMPLES) {
          sendSamples();
        } else {
          sendMetadata();
        }
      }
    } catch (InterruptedException e) {
      // abandoned at shutdown
    } catch (RuntimeException e) {
      log.atError().setCause(e).addKeyValue("remote_name", config.name()).log("remote write sender failed");
    } finally {
      synchronized (this) {
        senderDone = true;
        notifyAll();
      }
    }
  }

  /** Waits for work: a full request, a due one, due metadata, or the end (queue empty once closing). */
  private synchronized Work next() throws InterruptedException {
    int perSend = config.queue().maxSamplesPerSend();
    while (true) {
      if (abandoned) {
        return Work.STOP;
      }
      long now = System.nanoTime();
      boolean metadataDue = !metadata.isEmpty() && now - nextMetadataNanos >= 0;
      if (metadataDue && !closing) {
        return Work.METADATA;
      }
      if (size > 0 && (size >= perSend || closing || now - enqueuedNanos[head] >= deadlineNanos)) {
        drain(perSend);
        return Work.SAMPLES;
      }
      if (closing) {
        return Work.STOP;
      }
      long waitNanos = Long.MAX_VALUE;
      if (size > 0) {
        waitNanos = enqueuedNanos[head] + deadlineNanos - now;
      }
      if (!metadata.isEmpty()) {
        waitNanos = Math.min(waitNanos, nextMetadataNanos - now);
      }
      if (waitNanos == Long.MAX_VALUE) {
        wait();
      } else {
        TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, waitNanos));
      }
    }
  }

  /** Moves up to {@code max} of the oldest entries into {@link #batch}; under the lock. */
  private void drain(int max) {
    batch.clear();
    int n = Math.min(max, size);
    for (int i = 0; i < n; i++) {
      int at = head;
      if (exemplarLabels[at] != null) {
        batch.exemplar(series[at], exemplarLabels[at], timestamps[at], values[at]);
        exemplarsQueued--;
      } else {
        batch.sample(series[at], timestamps[at], values[at]);
      }
      series[at] = null;
      exemplarLabels[at] = null;
      head = (head + 1) % series.length;
    }
    size -= n;
    if (size == 0) {
      overflowing = false;
    }
    inFlightExemplars = batch.exemplarCount;
    inFlightSamples = batch.size - batch.exemplarCount;
    updatePending();
  }

  private void sendSamples() throws InterruptedException {
    byte[] body = encodeBatch();
    long backoffMs = config.queue().minBackoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      if (dropTooOld()) {
        if (batch.size == 0) {
          break;
        }
        body = encodeBatch();
      }
      int exemplars = batch.exemplarCount;
      int samples = batch.size - exemplars;
      metrics.samples().inc(samples);
      metrics.exemplars().inc(exemplars);
      long start = System.nanoTime();
      RemoteWriteClient.Outcome outcome = client.store(body, attempt);
      metrics.sendDuration().observe((System.nanoTime() - start) / 1e9);
      switch (outcome) {
        case RemoteWriteClient.Outcome.Sent s -> {
          metrics.bytes().inc(body.length);
          metrics.highestSentTimestamp().set(Math.max(metrics.highestSentTimestamp().get(), highestTimestamp()
              / 1000));
          clearInFlight();
          return;
        }
        case RemoteWriteClient.Outcome.Failed f -> {
          metrics.samplesFailed().inc(samples);
          metrics.exemplarsFailed().inc(exemplars);
          log.atError().addKeyValue("remote_name", config.name()).addKeyValue("url", config.redactedUrl())
              .addKeyValue("failedSampleCount", samples).addKeyValue("failedExemplarCount", exemplars)
              .addKeyValue("err", f.message()).log("non-recoverable error");
          clearInFlight();
          return;
        }
        case RemoteWriteClient.Outcome.Recoverable r -> {
          long sleepMs = r.retryAfter() != null ? r.retryAfter().toMillis() : backoffMs;
          if (!pause.sleep(Duration.ofMillis(sleepMs))) {
            return; // abandoned: close() counts what is in flight
          }
          metrics.samplesRetried().inc(samples);
          metrics.exemplarsRetried().inc(exemplars);
          log.atWarn().addKeyValue("remote_name", config.name()).addKeyValue("url", config.redactedUrl())
              .addKeyValue("err", r.message()).log("Failed to send batch, retrying");
          backoffMs = Math.min(sleepMs * 2, config.queue().maxBackoff().toMillis());
        }
      }
    }
    clearInFlight();
  }

  private synchronized void clearInFlight() {
    inFlightSamples = 0;
    inFlightExemplars = 0;
  }

  private byte[] encodeBatch() {
    encoder.reset();
    for (int i = 0; i < batch.size; i++) {
      if (batch.exemplars[i] != null) {
        encoder.exemplar(batch.series[i], batch.exemplars[i], batch.timestamps[i], batch.values[i]);
      } else {
        encoder.sample(batch.series[i], batch.timestamps[i], batch.values[i]);
      }
    }
    return encoder.snappy();
  }

  /** Drops from the batch what is older than {@code sample_age_limit} now; true when anything went. */
  private boolean dropTooOld() {
    Duration ageLimit = config.queue().sampleAgeLimit();
    if (ageLimit.isZero()) {
      return false;
    }
    long oldest = clockMs.getAsLong() - ageLimit.toMillis();
    int kept = 0;
    int droppedSamples = 0;
    int droppedExemplars = 0;
    for (int i = 0; i < batch.size; i++) {
      if (batch.timestamps[i] < oldest) {
        if (batch.exemplars[i] != null) {
          droppedExemplars++;
        } else {
          droppedSamples++;
        }
        continue;
      }
      batch.series[kept] = batch.series[i];
      batch.exemplars[kept] = batch.exemplars[i];
      batch.timestamps[kept] = batch.timestamps[i];
      batch.values[kept] = batch.values[i];
      kept++;
    }
    if (kept == batch.size) {
      return false;
    }
    Arrays.fill(batch.series, kept, batch.size, null);
    Arrays.fill(batch.exemplars, kept, batch.size, null);
    batch.size = kept;
    batch.exemplarCount -= droppedExemplars;
    countDropped(false, droppedSamples);
    countDropped(true, droppedExemplars);
    synchronized (this) {
      inFlightSamples -= droppedSamples;
      inFlightExemplars -= droppedExemplars;
    }
    return true;
  }

  private long highestTimestamp() {
    long max = Long.MIN_VALUE;
    for (int i = 0; i < batch.size; i++) {
      max = Math.max(max, batch.timestamps[i]);
    }
    return max;
  }

  /** Sends every family's latest metadata, {@code metadata_config.max_samples_per_send} entries a request. */
  private void sendMetadata() throws InterruptedException {
    List<WriteBatch.Metadata> all;
    synchronized (this) {
      all = new ArrayList<>(metadata.values());
      nextMetadataNanos = System.nanoTime() + config.metadata().sendInterval().toNanos();
    }
    int perSend = config.metadata().maxSamplesPerSend();
    for (int from = 0; from < all.size(); from += perSend) {
      List<WriteBatch.Metadata> part = all.subList(from, Math.min(all.size(), from + perSend));
      encoder.reset();
      for (WriteBatch.Metadata m : part) {
        encoder.metadata(m.family(), m.type(), m.help(), m.unit());
      }
      if (!sendMetadata(encoder.snappy(), part.size())) {
        return;
      }
    }
  }

  /** One metadata request with retries; false when abandoned. */
  private boolean sendMetadata(byte[] body, int entries) throws InterruptedException {
    long backoffMs = config.queue().minBackoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      metrics.metadata().inc(entries);
      RemoteWriteClient.Outcome outcome = client.store(body, attempt);
      switch (outcome) {
        case RemoteWriteClient.Outcome.Sent s -> {
          metrics.metadataBytes().inc(body.length);
          return true;
        }
        case RemoteWriteClient.Outcome.Failed f -> {
          metrics.metadataFailed().inc(entries);
          log.atError().addKeyValue("remote_name", config.name()).addKeyValue("url", config.redactedUrl())
              .addKeyValue("count", entries).addKeyValue("err", f.message())
              .log("non-recoverable error while sending metadata");
          return true;
        }
        case RemoteWriteClient.Outcome.Recoverable r -> {
          long sleepMs = r.retryAfter() != null ? r.retryAfter().toMillis() : backoffMs;
          if (!pause.sleep(Duration.ofMillis(sleepMs))) {
            return false;
          }
          metrics.metadataRetried().inc(entries);
          backoffMs = Math.min(sleepMs * 2, config.queue().maxBackoff().toMillis());
        }
      }
    }
  }

  /** The real pause: waits on this queue's monitor, so that {@link #close} can cut it short. */
  private synchronized boolean waitUnlessAbandoned(Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (!abandoned) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return false;
  }

  /**
   * Sends what is queued, then stops; gives up after {@code deadline} (Tempo's {@code remote_write_flush_deadline}),
   * counting what was left unsent as dropped. Returns whether everything was sent (or dropped by the endpoint).
   */
  public boolean close(Duration deadline) {
    Thread t;
    synchronized (this) {
      closing = true;
      notifyAll();
      t = sender;
    }
    boolean flushed = true;
    try {
      if (t != null) {
        t.join(Math.max(1, deadline.toMillis()));
        if (t.isAlive()) {
          flushed = false;
          synchronized (this) {
            abandoned = true;
            notifyAll();
          }
          t.interrupt();
          t.join(TimeUnit.SECONDS.toMillis(5));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      flushed = false;
    }
    client.close();
    synchronized (this) {
      senderDone = true;
      int samples = size - exemplarsQueued + inFlightSamples;
      int exemplars = exemplarsQueued + inFlightExemplars;
      if (samples + exemplars > 0) {
        countDropped(false, samples);
        countDropped(true, exemplars);
        log.atWarn().addKeyValue("remote_name", config.name()).addKeyValue("url", config.redactedUrl())
            .addKeyValue("samples", samples).addKeyValue("exemplars", exemplars).addKeyValue("deadline", deadline)
            .log("Failed to flush all samples on shutdown");
        flushed = false;
      }
      Arrays.fill(series, null);
      Arrays.fill(exemplarLabels, null);
      size = 0;
      exemplarsQueued = 0;
      inFlightSamples = 0;
      inFlightExemplars = 0;
      updatePending();
    }
    return flushed;
  }
}
