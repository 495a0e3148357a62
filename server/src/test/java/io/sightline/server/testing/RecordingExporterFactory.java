package io.sightline.server.testing;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Exporter type {@code recording} for tests: keeps every batch it is given, so a test can compare what arrived with
 * what a real client sent. {@link #onBatch} can replace the default "accept at once" behaviour.
 */
public final class RecordingExporterFactory implements ExporterFactory<Void> {
  private final List<Telemetry> batches = new CopyOnWriteArrayList<>();
  private volatile Function<Telemetry, CompletableFuture<ConsumeResult>> onBatch =
      b -> CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);

  @Override
  public String type() {
    return "recording";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public Void parseConfig(ConfigMap config) {
    config.finish();
    return null;
  }

  @Override
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, Void config, Signal signal) {
    return batch -> {
      batches.add(batch);
      return onBatch.apply(batch);
    };
  }

  public void onBatch(Function<Telemetry, CompletableFuture<ConsumeResult>> behaviour) {
    this.onBatch = behaviour;
  }

  public List<Telemetry> batches() {
    return batches;
  }

  public void clear() {
    batches.clear();
  }

  public List<Span> spans() {
    List<Span> out = new ArrayList<>();
    for (Telemetry t : batches) {
      if (t instanceof Traces traces) {
        traces.resourceSpans().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
      }
    }
    return out;
  }

  public List<Metric> metrics() {
    List<Metric> out = new ArrayList<>();
    for (Telemetry t : batches) {
      if (t instanceof Metrics m) {
        m.resourceMetrics().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> out.addAll(sm.getMetricsList())));
      }
    }
    return out;
  }

  public List<LogRecord> logRecords() {
    List<LogRecord> out = new ArrayList<>();
    for (Telemetry t : batches) {
      if (t instanceof Logs logs) {
        logs.resourceLogs().forEach(rl -> rl.getScopeLogsList().forEach(sl -> out.addAll(sl.getLogRecordsList())));
      }
    }
    return out;
  }

  public List<Traces> traces() {
    return batches.stream().filter(Traces.class::isInstance).map(Traces.class::cast).toList();
  }

  public List<Logs> logs() {
    return batches.stream().filter(Logs.class::isInstance).map(Logs.class::cast).toList();
  }

  public List<Metrics> metricBatches() {
    return batches.stream().filter(Metrics.class::isInstance).map(Metrics.class::cast).toList();
  }

  /** Waits until {@code count} items of {@code signal} have arrived, or fails after {@code timeout}. */
  public void awaitItems(Signal signal, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (items(signal) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " " + signal.itemName() + " within " + timeout + ", got "
            + items(signal));
      }
      Thread.sleep(10);
    }
  }

  public int items(Signal signal) {
    return batches.stream().filter(b -> b.signal() == signal).mapToInt(Telemetry::itemCount).sum();
  }
}
