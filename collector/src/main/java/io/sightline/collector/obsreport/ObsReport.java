package io.sightline.collector.obsreport;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.sightline.collector.pipeline.ConsumeResult;

/**
 * Counts what the pipelines do, one metric family per Collector metric. Components ask for their labelled series once,
 * when they are built, so that the hot path only adds to a counter.
 */
public final class ObsReport {
  /** The Collector's buckets for batch sizes, in items. */
  private static final double[] BATCH_SIZE_BUCKETS = {10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000,
      6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000, 100000};

  private final PrometheusRegistry registry;
  private final Map<Signal, Counter> receiverAccepted = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> receiverRefused = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> exporterSent = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> exporterFailed = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> exporterEnqueueFailed = new EnumMap<>(Signal.class);
  private final Gauge exporterQueueSize;
  private final Gauge exporterQueueCapacity;
  private final Histogram batchSendSize;
  private final Counter batchTimeoutTrigger;
  private final Counter batchSizeTrigger;
  private final Counter batchIdleTrigger;
  private final Gauge batchPending;
  private final Gauge memoryLimiterRefusing;
  private final Gauge memoryLimiterUsed;

  public ObsReport(PrometheusRegistry registry) {
    this.registry = registry;
    for (Signal s : Signal.values()) {
      String item = s.itemName();
      receiverAccepted.put(s, Counter.builder().name("otelcol_receiver_accepted_" + item)
          .help("Number of " + item.replace('_', ' ') + " successfully pushed into the pipeline.")
          .labelNames("receiver", "transport").register(registry));
      receiverRefused.put(s, Counter.builder().name("otelcol_receiver_refused_" + item)
          .help("Number of " + item.replace('_', ' ') + " that could not be pushed into the pipeline.")
          .labelNames("receiver", "transport").register(registry));
      exporterSent.put(s, Counter.builder().name("otelcol_exporter_sent_" + item)
          .help("Number of " + item.replace('_', ' ') + " successfully sent to destination.")
          .labelNames("exporter").register(registry));
      exporterFailed.put(s, Counter.builder().name("otelcol_exporter_send_failed_" + item)
          .help("Number of " + item.replace('_', ' ') + " in failed attempts to send to destination.")
          .labelNames("exporter").register(registry));
      exporterEnqueueFailed.put(s, Counter.builder().name("otelcol_exporter_enqueue_failed_" + item)
          .help("Number of " + item.replace('_', ' ') + " failed to be added to the sending queue.")
          .labelNames("exporter").register(registry));
    }
    exporterQueueSize = Gauge.builder().name("otelcol_exporter_queue_size")
        .help("Current size of the retry queue (in batches)").labelNames("exporter", "data_type").register(registry);
    exporterQueueCapacity = Gauge.builder().name("otelcol_exporter_queue_capacity")
        .help("Fixed capacity of the retry queue (in batches)").labelNames("exporter", "data_type")
        .register(registry);
    batchSendSize = Histogram.builder().name("otelcol_processor_batch_batch_send_size")
        .help("Number of units in the batch").classicOnly().classicUpperBounds(BATCH_SIZE_BUCKETS)
        .labelNames("processor").register(registry);
    batchTimeoutTrigger = Counter.builder().name("otelcol_processor_batch_timeout_trigger_send")
        .help("Number of times the batch was sent due to a timeout trigger").labelNames("processor").register(registry);
    batchSizeTrigger = Counter.builder().name("otelcol_processor_batch_batch_size_trigger_send")
        .help("Number of times the batch was sent due to a size trigger").labelNames("processor").register(registry);
    batchIdleTrigger = Counter.builder().name("sightline_processor_batch_idle_trigger_send")
        .help("Number of times the batch was sent because nothing was in flight downstream").labelNames("processor")
        .register(registry);
    batchPending = Gauge.builder().name("sightline_processor_batch_pending_items")
        .help("Items held by batch processors, waiting to be sent downstream.").labelNames("processor")
        .register(registry);
    memoryLimiterRefusing = Gauge.builder().name("sightline_memory_limiter_refusing")
        .help("1 while the memory limiter refuses data because memory use is above its soft limit.")
        .labelNames("processor").register(registry);
    memoryLimiterUsed = Gauge.builder().name("sightline_memory_limiter_used_bytes")
        .help("Heap memory in use as last measured by the memory limiter.").labelNames("processor").register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** The counters a receiver adds to for one signal and transport. */
  public ReceiverCounters receiver(ComponentId id, String transport, Signal signal) {
    return new ReceiverCounters(receiverAccepted.get(signal).labelValues(id.toString(), transport),
        receiverRefused.get(signal).labelValues(id.toString(), transport));
  }

  /** Accepted and refused items of one receiver, transport and signal. */
  public record ReceiverCounters(CounterDataPoint accepted, CounterDataPoint refused) {}

  /** The batch processor's metrics for one instance. */
  public BatchCounters batch(ComponentId id) {
    return new BatchCounters(batchSendSize.labelValues(id.toString()), batchTimeoutTrigger.labelValues(id.toString()),
        batchSizeTrigger.labelValues(id.toString()), batchIdleTrigger.labelValues(id.toString()),
        batchPending.labelValues(id.toString()));
  }

  /** Send sizes, triggers and items held of one batch processor. */
  public record BatchCounters(io.prometheus.metrics.core.datapoints.DistributionDataPoint sendSize,
      CounterDataPoint timeoutTrigger, CounterDataPoint sizeTrigger, CounterDataPoint idleTrigger,
      io.prometheus.metrics.core.datapoints.GaugeDataPoint pending) {}

  /** The memory limiter's state gauges. */
  public record MemoryLimiterGauges(io.prometheus.metrics.core.datapoints.GaugeDataPoint refusing,
      io.prometheus.metrics.core.datapoints.GaugeDataPoint usedBytes) {}

  public MemoryLimiterGauges memoryLimiter(ComponentId id) {
    return new MemoryLimiterGauges(memoryLimiterRefusing.labelValues(id.toString()),
        memoryLimiterUsed.labelValues(id.toString()));
  }

  /** The counters of an exporter that counts its own sends (see {@link Exporter#countsItsOwnSends}). */
  public ExporterCounters exporter(ComponentId id, Signal signal) {
    String name = id.toString();
    return new ExporterCounters(exporterSent.get(signal).labelValues(name),
        exporterFailed.get(signal).labelValues(name),
        exporterEnqueueFailed.get(signal).labelValues(name),
        exporterQueueSize.labelValues(name, signal.configName()),
        exporterQueueCapacity.labelValues(name, signal.configName()));
  }

  /** Items sent, failed for good and refused by a full queue, and the queue's size and capacity in batches. */
  public record ExporterCounters(CounterDataPoint sent, CounterDataPoint sendFailed, CounterDataPoint enqueueFailed,
      io.prometheus.metrics.core.datapoints.GaugeDataPoint queueSize,
      io.prometheus.metrics.core.datapoints.GaugeDataPoint queueCapacity) {}

  /**
   * Wraps an exporter so that what it takes and fails is counted, without the exporter knowing; an exporter that
   * counts its own sends is returned as it is.
   */
  public <T extends Telemetry> Exporter<T> observe(Exporter<T> exporter, ComponentId id, Signal signal) {
    if (exporter.countsItsOwnSends()) {
      return exporter;
    }
    CounterDataPoint sent = exporterSent.get(signal).labelValues(id.toString());
    CounterDataPoint failed = exporterFailed.get(signal).labelValues(id.toString());
    return new ObservedExporter<>(exporter, sent, failed);
  }

  private record ObservedExporter<T extends Telemetry>(Exporter<T> delegate, CounterDataPoint sent,
      CounterDataPoint failed) implements Exporter<T> {

    @Override
    public CompletableFuture<ConsumeResult> consume(T batch) {
      int items = batch.itemCount();
      return Consumers.safely(delegate, batch).whenComplete((result, error) -> {
        if (error != null) {
          failed.inc(items);
        } else {
          sent.inc(items - Math.min(items, result.rejected()));
          failed.inc(Math.min(items, result.rejected()));
        }
      });
    }

    @Override
    public void start() throws Exception {
      delegate.start();
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
