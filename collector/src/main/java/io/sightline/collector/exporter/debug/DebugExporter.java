package io.sightline.collector.exporter.debug;

import com.google.protobuf.TextFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each batch at the configured verbosity and keeps nothing, so its futures complete at once.
 *
 * <p>Sampling works as the Collector's (zap's sampler): in each second, the first {@code sampling_initial} batches
 * are logged, then every {@code sampling_thereafter}-th. The count is per exporter instance, that is per id and
 * signal, as zap's is per message ("Traces", "Metrics", "Logs").
 */
final class DebugExporter<T extends Telemetry> implements Exporter<T> {
  /** One logger for every instance, named as the package, so that one logback rule silences or enables them all. */
  static final String LOGGER_NAME = "io.sightline.collector.exporter.debug";
  private static final Logger log = LoggerFactory.getLogger(LOGGER_NAME);
  private static final HexFormat HEX = HexFormat.of();
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final CompletableFuture<ConsumeResult> ACCEPTED = CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);

  private final String id;
  private final DebugExporterFactory.Config config;
  private final LongSupplier nanoTime;
  /** The second the count is for, and the batches seen in it. */
  private final AtomicLong second = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong inSecond = new AtomicLong();

  DebugExporter(String id, DebugExporterFactory.Config config, LongSupplier nanoTime) {
    this.id = id;
    this.config = config;
    this.nanoTime = nanoTime;
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(T batch) {
    // The default pipelines end here, so the check that costs nothing comes first.
    if (log.isInfoEnabled() && sampled()) {
      switch (batch) {
        case Traces t -> traces(t);
        case Metrics m -> metrics(m);
        case Logs l -> logs(l);
      }
    }
    return ACCEPTED;
  }

  /**
   * Lock-free, as this runs on every event-loop thread; at the turn of a second a racing batch may be counted in the
   * old second or the new, which only shifts which batch is sampled, as in zap.
   */
  private boolean sampled() {
    long now = Math.floorDiv(nanoTime.getAsLong(), NANOS_PER_SECOND);
    long current = second.get();
    if (now != current && second.compareAndSet(current, now)) {
      inSecond.set(0);
    }
    // zap's arithmetic exactly, 1-based: with initial 2 and thereafter 3, batches 1, 2, 5, 8, ... are logged.
    long n = inSecond.incrementAndGet();
    return n <= config.samplingInitial() || (n - config.samplingInitial()) % config.samplingThereafter() == 0;
  }

  private void traces(Traces t) {
    log.atInfo().addKeyValue("exporter", id).addKeyValue("resource_spans", t.resourceSpans().size())
        .addKeyValue("spans", t.itemCount()).log("Traces");
    switch (config.verbosity()) {
      case BASIC -> { }
      case NORMAL -> t.resourceSpans().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(
          s -> log.atInfo().addKeyValue("trace_id", HEX.formatHex(s.getTraceId().toByteArray()))
              .addKeyValue("span_id", HEX.formatHex(s.getSpanId().toByteArray())).log(s.getName()))));
      case DETAILED -> log.info(TextFormat.printer().printToString(t.toRequest()));
    }
  }

  private void metrics(Metrics m) {
    int metrics = 0;
    for (var rm : m.resourceMetrics()) {
      for (var sm : rm.getScopeMetricsList()) {
        metrics += sm.getMetricsCount();
      }
    }
    log.atInfo().addKeyValue("exporter", id).addKeyValue("resource_metrics", m.resourceMetrics().size())
        .addKeyValue("metrics", metrics).addKeyValue("data_points", m.itemCount()).log("Metrics");
    switch (config.verbosity()) {
      case BASIC -> { }
      case NORMAL -> m.resourceMetrics().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> {
        for (Metric metric : sm.getMetricsList()) {
          log.atInfo().addKeyValue("type", metric.getDataCase().name().toLowerCase(Locale.ROOT))
              .addKeyValue("data_points", Metrics.dataPointCount(metric)).log(metric.getName());
        }
      }));
      case DETAILED -> log.info(TextFormat.printer().printToString(m.toRequest()));
    }
  }

  private void logs(Logs l) {
    log.atInfo().addKeyValue("exporter", id).addKeyValue("resource_logs", l.resourceLogs().size())
        .addKeyValue("log_records", l.itemCount()).log("Logs");
    switch (config.verbosity()) {
      case BASIC -> { }
      case NORMAL -> l.resourceLogs().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList().forEach(
          r -> log.atInfo().addKeyValue("severity", r.getSeverityText()).log(body(r.getBody())))));
      case DETAILED -> log.info(TextFormat.printer().printToString(l.toRequest()));
    }
  }

  /** A string body as it is; any other kind (a map, a list, bytes) in protobuf's one-line form. */
  private static String body(AnyValue v) {
    return v.hasStringValue() ? v.getStringValue() : TextFormat.printer().shortDebugString(v);
  }

  @Override
  public String toString() {
    return "debug exporter " + id;
  }
}
