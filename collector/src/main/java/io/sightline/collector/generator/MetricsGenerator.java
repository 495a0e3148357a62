package io.sightline.collector.generator;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.sightline.collector.generator.registry.Registry;
import io.sightline.collector.generator.servicegraph.ServiceGraphProcessor;
import io.sightline.collector.generator.spanmetrics.SpanMetricsProcessor;
import io.sightline.collector.generator.spans.WireResource;
import io.sightline.collector.receiver.prometheus.SampleSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tempo's metrics generator in one object: {@link #push} hands it stored spans, the processors update their series,
 * and every {@code collection_interval} the registry writes all series through the sink. It knows no store.
 *
 * <p>Lifecycle: built (nothing runs), {@link #start} (collection and edge expiry on one daemon thread),
 * {@link #close} (stops them and writes a last collection, so that the spans pushed since the previous one count).
 */
public final class MetricsGenerator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsGenerator.class);
  /** Tempo's expiry ticker: a lone half is noticed at most two seconds after its {@code wait}. */
  private static final long EXPIRE_EVERY_MS = 2000;

  private final GeneratorConfig config;
  private final SampleSink sink;
  private final LongSupplier clockMs;
  private final Registry registry;
  private final SpanMetricsProcessor spanMetrics;
  private final ServiceGraphProcessor serviceGraphs;
  private final LongAdder spansOutsideSlack = new LongAdder();
  private ScheduledExecutorService scheduler;
  private boolean closed;

  public MetricsGenerator(GeneratorConfig config, SampleSink sink, LongSupplier clockMs) {
    this.config = config;
    this.sink = sink;
    this.clockMs = clockMs;
    this.registry = new Registry(config.registry(), config.traceIdLabel(), clockMs);
    this.spanMetrics = config.spanMetrics() == null ? null : new SpanMetricsProcessor(config.spanMetrics(), registry);
    this.serviceGraphs = config.serviceGraphs() == null ? null
        : new ServiceGraphProcessor(config.serviceGraphs(), registry);
  }

  /** With the system clock. */
  public MetricsGenerator(GeneratorConfig config, SampleSink sink) {
    this(config, sink, System::currentTimeMillis);
  }

  /**
   * Counts the spans of {@code batch}, which the caller has stored. Spans that ended further than
   * {@code metrics_ingestion_time_range_slack} from now are left out. Safe from many threads at once.
   */
  public void push(List<ResourceSpans> batch) {
    List<byte[]> encoded = new ArrayList<>(batch.size());
    for (ResourceSpans rs : batch) {
      encoded.add(rs.toByteArray());
    }
    pushEncoded(encoded);
  }

  /**
   * As {@link #push}, for resources given as their OTLP {@code ResourceSpans} encodings, which is how the generator
   * reads spans (see {@link WireResource}); the size metric is each span's encoded size.
   *
   * @throws IllegalArgumentException if an encoding is malformed (a caller's bug: stored spans parsed)
   */
  public void pushEncoded(List<byte[]> resources) {
    long now = clockMs.getAsLong();
    long slackNanos = config.ingestionSlack().toNanos();
    long min = now * 1_000_000 - slackNanos;
    long max = now * 1_000_000 + slackNanos;
    List<WireResource> batch = new ArrayList<>(resources.size());
    for (byte[] encoding : resources) {
      WireResource rs = WireResource.read(encoding);
      int outside = rs.retainEnds(end -> end >= min && end <= max);
      if (outside > 0) {
        spansOutsideSlack.add(outside);
      }
      batch.add(rs);
    }
    if (spanMetrics != null) {
      spanMetrics.push(batch, now);
    }
    if (serviceGraphs != null) {
      serviceGraphs.push(batch, now);
    }
  }

  /** Writes every series now (and expires due edges first, so that their virtual nodes are in it). */
  public void collect() {
    if (serviceGraphs != null) {
      serviceGraphs.expire(clockMs.getAsLong());
    }
    registry.collect(sink);
  }

  /** Starts the periodic collection and edge expiry. */
  public synchronized void start() {
    if (scheduler != null || closed) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "metrics-generator");
      t.setDaemon(true);
      return t;
    });
    long interval = config.registry().collectionInterval().toMillis();
    scheduler.scheduleAtFixedRate(guarded(this::collect), interval, interval, TimeUnit.MILLISECONDS);
    if (serviceGraphs != null) {
      long every = Math.min(EXPIRE_EVERY_MS, config.serviceGraphs().waitTime().toMillis());
      scheduler.scheduleAtFixedRate(guarded(() -> serviceGraphs.expire(clockMs.getAsLong())), every, every,
          TimeUnit.MILLISECONDS);
    }
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // A scheduled task that throws is never run again: log, and keep generating.
        log.atError().setCause(e).log("metrics generator task failed");
      }
    };
  }

  /** Series held now, a histogram counting as {@code 2 + buckets}. */
  public long activeSeries() {
    return registry.activeSeries();
  }

  /** Updates refused because {@code max_active_series} was reached, in series. */
  public long limitedSeries() {
    return registry.limitedSeries();
  }

  /** Spans left out as ended outside {@code metrics_ingestion_time_range_slack}. */
  public long spansOutsideSlack() {
    return spansOutsideSlack.sum();
  }

  /** Collections the sink refused. */
  public long failedCollections() {
    return registry.failedCollections();
  }

  /** Stops the periodic tasks and writes a last collection; the sink must still take writes. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
          log.warn("a metrics generator collection was still running at shutdown");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      collect();
    }
  }
}
