package io.sightline.server.config;

import io.sightline.api.loki.LokiApi;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.receiver.loki.LokiLimits;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteLimits;
import io.sightline.core.wal.WalConfig;
import io.sightline.logql.engine.EngineLimits;
import io.sightline.logstore.LogStoreConfig;
import io.sightline.metricstore.db.TsdbOptions;
import io.sightline.tracestore.TraceStoreConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code storage} section: how the embedded stores write.
 *
 * <pre>
 * storage:
 *   metrics:
 *     wal: {segment_size: 128MiB, sync: interval, sync_interval: 1s}
 *     max_labels_per_series: 30
 *     max_label_name_length: 1024
 *     max_label_value_length: 2048
 *     out_of_order_time_window: 10m
 *     max_exemplars: 100000
 *     block_duration: 2h
 *     retention: {time: 15d, size: 0}
 *     max_series: 2000000
 *     max_time_ahead: 10m
 *     write_memory_limiter: {check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 20}
 *   traces:
 *     wal: {segment_size: 128MiB, sync: interval, sync_interval: 1s}
 *     max_trace_idle: 5s
 *     max_trace_live: 30s
 *     max_block_duration: 30s
 *     max_block_bytes: 50MiB
 *     compacted_block_bytes: 512MiB
 *     retention: {time: 14d, size: 0}
 *     max_bytes_per_trace: 5000000
 *     max_live_bytes: 400000000
 *   logs:
 *     wal: {segment_size: 128MiB, sync: interval, sync_interval: 1s}
 *     chunk_target_size: 4MiB
 *     max_chunk_age: 2h
 *     chunk_idle_period: 30m
 *     out_of_order_time_window: 1h
 *     max_streams: 5000
 *     max_head_bytes: 256MiB
 *     retention: {time: 31d, size: 0}
 *     limits: {...Loki's limits_config keys, see LokiLimits}
 * </pre>
 *
 * @param metrics how the metric store keeps its data
 * @param metricsLimits what remote write accepts
 * @param metricsWriteMemoryLimiter the memory limiter keys for remote write
 * @param traces how the trace store keeps its data
 * @param logs how the log store keeps its data
 * @param logLimits what a Loki push or OTLP logs may hold
 * @param logQueries what a Loki API query may read and return (the query keys of {@code storage.logs.limits})
 */
public record StorageConfig(TsdbOptions metrics, RemoteWriteLimits metricsLimits,
    io.sightline.collector.config.ConfigMap metricsWriteMemoryLimiter, TraceStoreConfig traces, LogStoreConfig logs,
    LokiLimits logLimits, LokiApi.Options logQueries) {
  /** Prometheus' default for its circular exemplar storage. */
  static final int DEFAULT_MAX_EXEMPLARS = 100_000;

  /**
   * Pushed samples (OTLP, remote write from several senders) arrive out of order by up to a few batching intervals;
   * ten minutes covers that with room, where Prometheus' default of 0 would refuse them.
   */
  static final Duration DEFAULT_OUT_OF_ORDER_WINDOW = Duration.ofMinutes(10);


  public static StorageConfig parse(ConfigMap root) {
    ConfigMap storage = root.map("storage");
    ConfigMap metrics = storage.map("metrics");
    WalConfig wal = wal(metrics.map("wal"));
    RemoteWriteLimits limits = new RemoteWriteLimits(
        positive(metrics, "max_labels_per_series", RemoteWriteLimits.DEFAULT_MAX_LABELS_PER_SERIES),
        positive(metrics, "max_label_name_length", RemoteWriteLimits.DEFAULT_MAX_LABEL_NAME_LENGTH),
        positive(metrics, "max_label_value_length", RemoteWriteLimits.DEFAULT_MAX_LABEL_VALUE_LENGTH));
    Duration ooo = metrics.duration("out_of_order_time_window", DEFAULT_OUT_OF_ORDER_WINDOW);
    if (ooo.isNegative()) {
      throw metrics.error("out_of_order_time_window", "must not be negative");
    }
    int maxExemplars = metrics.intValue("max_exemplars", DEFAULT_MAX_EXEMPLARS);
    if (maxExemplars < 0) {
      throw metrics.error("max_exemplars", "must not be negative (0 keeps none)");
    }
    Duration blockDuration = metrics.duration("block_duration", Duration.ofMillis(TsdbOptions.DEFAULT_BLOCK_RANGE_MS));
    if (blockDuration.toMinutes() < 1) {
      throw metrics.error("block_duration", "must be at least 1m");
    }
    ConfigMap retention = metrics.map("retention");
    Duration retentionTime = retention.duration("time", Duration.ofMillis(TsdbOptions.DEFAULT_RETENTION_MS));
    if (retentionTime.isNegative()) {
      throw retention.error("time", "must not be negative (0 keeps data for ever)");
    }
    long retentionSize = retention.bytes("size", 0);
    if (retentionSize < 0) {
      throw retention.error("size", "must not be negative (0 is no limit)");
    }
    retention.finish();
    // Checked key by key where the guard is built (it needs the server's own metrics).
    ConfigMap writeLimiter = metrics.map("write_memory_limiter");
    int maxSeries = metrics.intValue("max_series", TsdbOptions.DEFAULT_MAX_SERIES);
    if (maxSeries <= 0) {
      throw metrics.error("max_series", "must be greater than zero");
    }
    Duration maxAhead = metrics.duration("max_time_ahead", Duration.ofMillis(TsdbOptions.DEFAULT_MAX_AHEAD_MS));
    if (maxAhead.isNegative()) {
      throw metrics.error("max_time_ahead", "must not be negative (0 refuses no sample for its time)");
    }
    Duration maintenance = metrics.duration("maintenance_interval", Duration.ofMinutes(1));
    if (maintenance.isNegative() || maintenance.isZero()) {
      throw metrics.error("maintenance_interval", "must be positive");
    }
    metrics.finish();
    TraceStoreConfig traces = traces(storage.map("traces"));
    ConfigMap logsMap = storage.map("logs");
    ConfigMap limitsMap = logsMap.map("limits");
    LokiApi.Options logQueries = parseLogQueries(limitsMap); // read first: LokiLimits.parse checks every key is known
    LokiLimits logLimits = LokiLimits.parse(limitsMap);
    LogStoreConfig logs = logs(logsMap);
    storage.finish();
    return new StorageConfig(new TsdbOptions(wal, ooo.toMillis(), maxExemplars, blockDuration.toMillis(),
        retentionTime.toMillis(), retentionSize, maintenance, maxSeries, maxAhead.toMillis()), limits, writeLimiter,
        traces, logs, logLimits, logQueries);
  }

  /** Loki's query limits, under their {@code limits_config} names, beside the ingestion limits. */
  private static LokiApi.Options parseLogQueries(ConfigMap l) {
    int entries = l.intValue("max_entries_limit_per_query", EngineLimits.DEFAULT_MAX_ENTRIES_LIMIT_PER_QUERY);
    if (entries < 0) {
      throw l.error("max_entries_limit_per_query", "must not be negative (0 is no limit)");
    }
    int series = l.intValue("max_query_series", EngineLimits.DEFAULT_MAX_QUERY_SERIES);
    if (series < 0) {
      throw l.error("max_query_series", "must not be negative (0 is no limit)");
    }
    Duration length = nonNegative(l, "max_query_length", EngineLimits.DEFAULT_MAX_QUERY_LENGTH);
    Duration timeout = positive(l, "query_timeout", EngineLimits.DEFAULT_QUERY_TIMEOUT);
    Duration range = nonNegative(l, "max_query_range", Duration.ZERO);
    int tails = positive(l, "max_concurrent_tail_requests", LokiApi.Options.DEFAULT_MAX_CONCURRENT_TAILS);
    Duration tailDuration = positive(l, "tail_max_duration", LokiApi.Options.DEFAULT_TAIL_MAX_DURATION);
    int volumeSeries = positive(l, "volume_max_series", LokiApi.Options.DEFAULT_VOLUME_MAX_SERIES);
    return new LokiApi.Options(new EngineLimits(entries, series, length, timeout,
        EngineLimits.DEFAULT_MAX_POINTS_PER_SERIES, range), tails, tailDuration, volumeSeries);
  }

  private static Duration nonNegative(ConfigMap m, String key, Duration defaultValue) {
    Duration d = m.duration(key, defaultValue);
    if (d.isNegative()) {
      throw m.error(key, "must not be negative (0 is no limit)");
    }
    return d;
  }

  private static LogStoreConfig logs(ConfigMap l) {
    LogStoreConfig.Builder b = LogStoreConfig.builder().wal(wal(l.map("wal")))
        .maxChunkAge(positive(l, "max_chunk_age", LogStoreConfig.DEFAULT_MAX_CHUNK_AGE))
        .chunkIdlePeriod(positive(l, "chunk_idle_period", LogStoreConfig.DEFAULT_CHUNK_IDLE_PERIOD))
        .outOfOrderWindow(positive(l, "out_of_order_time_window", LogStoreConfig.DEFAULT_OUT_OF_ORDER_WINDOW));
    long chunkBytes = l.bytes("chunk_target_size", LogStoreConfig.DEFAULT_CHUNK_TARGET_BYTES);
    if (chunkBytes <= 0) {
      throw l.error("chunk_target_size", "must be greater than zero");
    }
    int maxStreams = l.intValue("max_streams", LogStoreConfig.DEFAULT_MAX_STREAMS);
    if (maxStreams < 0) {
      throw l.error("max_streams", "must not be negative (0 is no limit)");
    }
    long headBytes = l.bytes("max_head_bytes", LogStoreConfig.DEFAULT_MAX_HEAD_BYTES);
    if (headBytes < 0) {
      throw l.error("max_head_bytes", "must not be negative (0 is no limit)");
    }
    ConfigMap retention = l.map("retention");
    Duration time = retention.duration("time", LogStoreConfig.DEFAULT_RETENTION);
    if (time.isNegative()) {
      throw retention.error("time", "must not be negative (0 keeps logs for ever)");
    }
    long size = retention.bytes("size", 0);
    if (size < 0) {
      throw retention.error("size", "must not be negative (0 is no limit)");
    }
    retention.finish();
    l.finish();
    return b.chunkTargetBytes(chunkBytes).maxStreams(maxStreams).maxHeadBytes(headBytes).retention(time)
        .retentionBytes(size).build();
  }

  private static TraceStoreConfig traces(ConfigMap t) {
    TraceStoreConfig.Builder b = TraceStoreConfig.builder().wal(wal(t.map("wal")))
        .maxTraceIdle(positive(t, "max_trace_idle", TraceStoreConfig.DEFAULT_MAX_TRACE_IDLE))
        .maxTraceLive(positive(t, "max_trace_live", TraceStoreConfig.DEFAULT_MAX_TRACE_LIVE))
        .maxBlockDuration(positive(t, "max_block_duration", TraceStoreConfig.DEFAULT_MAX_BLOCK_DURATION));
    long blockBytes = t.bytes("max_block_bytes", TraceStoreConfig.DEFAULT_MAX_BLOCK_BYTES);
    if (blockBytes <= 0) {
      throw t.error("max_block_bytes", "must be greater than zero");
    }
    long compactedBytes = t.bytes("compacted_block_bytes", TraceStoreConfig.DEFAULT_COMPACTED_BLOCK_BYTES);
    if (compactedBytes <= 0) {
      throw t.error("compacted_block_bytes", "must be greater than zero");
    }
    long perTrace = t.bytes("max_bytes_per_trace", TraceStoreConfig.DEFAULT_MAX_BYTES_PER_TRACE);
    if (perTrace < 0) {
      throw t.error("max_bytes_per_trace", "must not be negative (0 is no limit)");
    }
    long liveBytes = t.bytes("max_live_bytes", TraceStoreConfig.DEFAULT_MAX_LIVE_BYTES);
    if (liveBytes < 0) {
      throw t.error("max_live_bytes", "must not be negative (0 is no limit)");
    }
    ConfigMap retention = t.map("retention");
    Duration time = retention.duration("time", TraceStoreConfig.DEFAULT_RETENTION);
    if (time.isNegative()) {
      throw retention.error("time", "must not be negative (0 keeps traces for ever)");
    }
    long size = retention.bytes("size", 0);
    if (size < 0) {
      throw retention.error("size", "must not be negative (0 is no limit)");
    }
    retention.finish();
    t.finish();
    return b.maxBlockBytes(blockBytes).compactedBlockBytes(compactedBytes).maxBytesPerTrace(perTrace)
        .maxLiveBytes(liveBytes).retention(time).retentionBytes(size).build();
  }

  private static Duration positive(ConfigMap m, String key, Duration defaultValue) {
    Duration d = m.duration(key, defaultValue);
    if (d.isNegative() || d.isZero()) {
      throw m.error(key, "must be positive");
    }
    return d;
  }

  private static WalConfig wal(ConfigMap w) {
    long segmentSize = w.bytes("segment_size", WalConfig.DEFAULT_SEGMENT_SIZE);
    String syncText = w.string("sync", "interval");
    Duration interval = w.duration("sync_interval", WalConfig.DEFAULT_SYNC_INTERVAL);
    w.finish();
    WalConfig.Sync sync;
    try {
      sync = WalConfig.Sync.valueOf(syncText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw w.error("sync", "invalid value \"" + syncText + "\" (valid values: always, interval, never)");
    }
    try {
      return new WalConfig(segmentSize, sync, interval);
    } catch (IllegalArgumentException e) {
      throw w.error("segment_size", e.getMessage());
    }
  }

  private static int positive(ConfigMap m, String key, int defaultValue) {
    int v = m.intValue(key, defaultValue);
    if (v <= 0) {
      throw m.error(key, "must be greater than zero");
    }
    return v;
  }
}
