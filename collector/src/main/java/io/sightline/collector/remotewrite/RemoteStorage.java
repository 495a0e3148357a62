package io.sightline.collector.remotewrite;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.core.model.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every configured remote-write endpoint as one {@link SampleSink}: a committed batch is handed to each endpoint's
 * {@link QueueManager} and the commit returns at once; sending happens on the queues' own threads. Prometheus'
 * {@code remote.Storage} for writing.
 */
public final class RemoteStorage implements SampleSink, AutoCloseable {
  private final List<QueueManager> queues;
  private final RemoteWriteMetrics metrics;

  /** One queue per entry of {@code configs}, with their metrics in {@code registry}; nothing runs yet. */
  public RemoteStorage(List<RemoteWriteConfig> configs, String userAgent, PrometheusRegistry registry) {
    this.metrics = new RemoteWriteMetrics(registry);
    List<QueueManager> q = new ArrayList<>();
    for (RemoteWriteConfig c : configs) {
      q.add(new QueueManager(c, userAgent, metrics));
    }
    this.queues = List.copyOf(q);
  }

  public List<QueueManager> queues() {
    return queues;
  }

  public void start() {
    queues.forEach(QueueManager::start);
  }

  /** Hands {@code batch} to every queue (each applies its own write relabeling); never waits for the network. */
  public void write(WriteBatch batch) {
    metrics.samplesIn.inc(batch.size - batch.exemplarCount);
    metrics.exemplarsIn.inc(batch.exemplarCount);
    for (QueueManager q : queues) {
      q.enqueue(batch);
    }
  }

  @Override
  public Batch begin() {
    WriteBatch pending = new WriteBatch();
    return new Batch() {
      @Override
      public boolean append(Labels series, long timestampMs, double value) {
        pending.sample(series, timestampMs, value);
        return true;
      }

      @Override
      public void exemplar(Labels series, Labels exemplar, long timestampMs, double value) {
        pending.exemplar(series, exemplar, timestampMs, value);
      }

      @Override
      public void metadata(String family, String type, String help, String unit) {
        pending.metadata(family, type, help, unit);
      }

      @Override
      public void commit() {
        write(pending);
        pending.clear();
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }

  /**
   * Flushes every queue at once, each within {@code deadline}; returns whether all of them sent everything they
   * held.
   */
  public boolean close(Duration deadline) {
    List<CompletableFuture<Boolean>> closing = new ArrayList<>();
    for (QueueManager q : queues) {
      closing.add(CompletableFuture.supplyAsync(() -> q.close(deadline), r -> Thread.ofVirtual().start(r)));
    }
    boolean all = true;
    for (CompletableFuture<Boolean> f : closing) {
      all &= f.join();
    }
    return all;
  }

  /** Flushes with Tempo's default {@code remote_write_flush_deadline}, one minute. */
  @Override
  public void close() {
    close(Duration.ofMinutes(1));
  }
}
