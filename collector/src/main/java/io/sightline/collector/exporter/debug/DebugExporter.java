package io.sightline.collector.exporter.debug;

import com.google.protobuf.TextFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each batch at the configured verbosity and keeps nothing, so it completes at once. Sampling works as the
 * Collector's: in each second, the first {@code sampling_initial} batches are logged, then every
 * {@code sampling_thereafter}-th.
 */
final class DebugExporter<T extends Telemetry> implements Exporter<T> {
  private static final Logger log = LoggerFactory.getLogger(DebugExporter.class.getPackageName());
  private static final HexFormat HEX = HexFormat.of();

  private final String id;
  private final DebugExporterFactory.Config config;
  private long second;
  private long inSecond;

  DebugExporter(String id, DebugExporterFactory.Config config) {
    this.id = id;
    this.config = config;
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(T batch) {
    if (sampled()) {
      switch (batch) {
        case Traces t -> traces(t);
        case Metrics m -> metrics(m);
        case Logs l -> logs(l);
      }
    }
    return CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
  }

  private synchronized boolean sampled() {
    long now = System.nanoTime() / 1_000_000_000L;
    if (now != second) {
      second = now;
      inSecond = 0;
    }
    long n = inSecond++;
    return n < config.samplingInitial() || (n - config.samplingInitial()) % config.samplingThereafter() == 0;
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
    log.atInfo().addKeyValue("exporter", id).addKeyValue("resource_metrics", m.resourceMetrics().size())
        .addKeyValue("data_points", m.itemCount()).log("Metrics");
    switch (config.verbosity()) {
      case BASIC -> { }
      case NORMAL -> m.resourceMetrics().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList()
          .forEach(metric -> log.atInfo().addKeyValue("type", metric.getDataCase())
              .addKeyValue("data_points", Metrics.dataPointCount(metric)).log(metric.getName()))));
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

  private static String body(AnyValue v) {
    return v.hasStringValue() ? v.getStringValue() : TextFormat.printer().shortDebugString(v);
  }

  @Override
  public String toString() {
    return "debug exporter " + id;
  }
}
