package io.sightline.collector.receiver.loki;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.translate.loki.OtlpLogsConfig;
import java.time.Duration;
import java.util.List;

/**
 * What a push may hold, and what ingestion adds to it, with the keys and defaults of Loki 3's {@code limits_config}
 * (for its single tenant). Sizes are bytes; {@code 0} turns a size or count limit off, as in Loki.
 *
 * @param ingestionRateMb sustained bytes per second of lines and structured metadata, in MiB
 * @param ingestionBurstSizeMb the most one push (or a burst of them) may bring at once, in MiB
 * @param maxLineSize a longer line is refused, or truncated with {@code maxLineSizeTruncate}
 * @param maxLineSizeTruncateIdentifier appended to a truncated line (within the size)
 * @param maxLabelNamesPerSeries {@code service_name} not counted, as Loki adds it
 * @param rejectOldSamplesMaxAge with {@code rejectOldSamples}, older entries are refused
 * @param creationGracePeriod entries further ahead of the server's clock are refused
 * @param maxStructuredMetadataSize names and values of one entry, {@code detected_level} not counted
 * @param discoverServiceName labels tried in order for a missing {@code service_name}; empty turns discovery off
 * @param logLevelFields fields holding a level, looked up in labels, metadata and JSON or logfmt lines
 * @param logLevelFromJsonMaxDepth levels of JSON objects searched for them; {@code 0} is no limit
 * @param incrementDuplicateTimestamp a line with the timestamp of the one before it in its stream (and other text)
 *     gets one nanosecond more, so that both are kept in push order
 * @param maxDecompressedSize bytes a gzip, deflate or snappy body may inflate to (Loki's distributor
 *     {@code max_decompressed_size}); a larger one is refused with 413
 */
public record LokiLimits(double ingestionRateMb, double ingestionBurstSizeMb, long maxLineSize,
    boolean maxLineSizeTruncate, String maxLineSizeTruncateIdentifier, int maxLabelNameLength,
    int maxLabelValueLength, int maxLabelNamesPerSeries, boolean rejectOldSamples, Duration rejectOldSamplesMaxAge,
    Duration creationGracePeriod, boolean allowStructuredMetadata, long maxStructuredMetadataSize,
    int maxStructuredMetadataEntriesCount, List<String> discoverServiceName, boolean discoverLogLevels,
    List<String> logLevelFields, int logLevelFromJsonMaxDepth, boolean incrementDuplicateTimestamp,
    long maxDecompressedSize, OtlpLogsConfig otlpConfig) {

  /** Loki's MB in these limits is 2^20 bytes. */
  static final double BYTES_IN_MB = 1 << 20;

  public static final List<String> DEFAULT_DISCOVER_SERVICE_NAME = List.of("service", "app", "application",
      "app_name", "name", "app_kubernetes_io_name", "container", "container_name", "k8s_container_name", "component",
      "workload", "job", "k8s_job_name");

  public static final List<String> DEFAULT_LOG_LEVEL_FIELDS = List.of("level", "LEVEL", "Level", "log.level",
      "severity", "SEVERITY", "Severity", "SeverityText", "lvl", "LVL", "Lvl", "severity_text", "Severity_Text",
      "SEVERITY_TEXT");

  /**
   * 100 MiB, where Loki allows 50 times its 100 MB message size: a JVM holds the inflated body in its heap, and a
   * push of that size is already far beyond what senders batch (Promtail and Alloy send about 1 MiB).
   */
  public static final long DEFAULT_MAX_DECOMPRESSED_SIZE = 100L << 20;

  public static final LokiLimits DEFAULT = new LokiLimits(4, 6, 256 << 10, false, "", 1024, 2048, 15, true,
      Duration.ofDays(7), Duration.ofMinutes(10), true, 64 << 10, 128, DEFAULT_DISCOVER_SERVICE_NAME, true,
      DEFAULT_LOG_LEVEL_FIELDS, 2, false, DEFAULT_MAX_DECOMPRESSED_SIZE, OtlpLogsConfig.DEFAULT);

  public LokiLimits {
    discoverServiceName = List.copyOf(discoverServiceName);
    logLevelFields = List.copyOf(logLevelFields);
  }

  /** Sustained ingestion rate in bytes per second. */
  public double ingestionRateBytes() {
    return ingestionRateMb * BYTES_IN_MB;
  }

  /** Burst size in bytes. */
  public long ingestionBurstSizeBytes() {
    return (long) (ingestionBurstSizeMb * BYTES_IN_MB);
  }

  /**
   * Reads a {@code limits} section (for example {@code storage.logs.limits}) and fails, located, on unknown keys and
   * invalid values.
   */
  public static LokiLimits parse(ConfigMap m) {
    LokiLimits d = DEFAULT;
    double rate = m.doubleValue("ingestion_rate_mb", d.ingestionRateMb());
    double burst = m.doubleValue("ingestion_burst_size_mb", d.ingestionBurstSizeMb());
    long maxLine = m.bytes("max_line_size", d.maxLineSize());
    boolean truncate = m.bool("max_line_size_truncate", d.maxLineSizeTruncate());
    String identifier = m.string("max_line_size_truncate_identifier", d.maxLineSizeTruncateIdentifier());
    int nameLength = m.intValue("max_label_name_length", d.maxLabelNameLength());
    int valueLength = m.intValue("max_label_value_length", d.maxLabelValueLength());
    int names = m.intValue("max_label_names_per_series", d.maxLabelNamesPerSeries());
    boolean rejectOld = m.bool("reject_old_samples", d.rejectOldSamples());
    Duration maxAge = m.duration("reject_old_samples_max_age", d.rejectOldSamplesMaxAge());
    Duration grace = m.duration("creation_grace_period", d.creationGracePeriod());
    boolean allowMetadata = m.bool("allow_structured_metadata", d.allowStructuredMetadata());
    long metadataSize = m.bytes("max_structured_metadata_size", d.maxStructuredMetadataSize());
    int metadataCount = m.intValue("max_structured_metadata_entries_count", d.maxStructuredMetadataEntriesCount());
    List<String> discover = m.node("discover_service_name").isPresent() ? m.stringList("discover_service_name")
        : d.discoverServiceName();
    boolean levels = m.bool("discover_log_levels", d.discoverLogLevels());
    List<String> levelFields = m.node("log_level_fields").isPresent() ? m.stringList("log_level_fields")
        : d.logLevelFields();
    int jsonDepth = m.intValue("log_level_from_json_max_depth", d.logLevelFromJsonMaxDepth());
    boolean increment = m.bool("increment_duplicate_timestamp", d.incrementDuplicateTimestamp());
    long maxDecompressed = m.bytes("max_decompressed_size", d.maxDecompressedSize());
    OtlpLogsConfig otlp = OtlpLogsConfig.parse(m.map("otlp_config"));
    m.finish();
    if (!(rate > 0)) {
      throw m.error("ingestion_rate_mb", "must be greater than 0");
    }
    if (!(burst > 0)) {
      throw m.error("ingestion_burst_size_mb", "must be greater than 0");
    }
    if (nameLength < 1 || valueLength < 1 || names < 1) {
      throw m.error(nameLength < 1 ? "max_label_name_length" : valueLength < 1 ? "max_label_value_length"
          : "max_label_names_per_series", "must be at least 1");
    }
    if (maxLine < 0 || maxLine > Integer.MAX_VALUE) {
      throw m.error("max_line_size", "must be between 0 (no limit) and 2GiB");
    }
    if (metadataSize < 0 || metadataSize > Integer.MAX_VALUE) {
      throw m.error("max_structured_metadata_size", "must be between 0 (no limit) and 2GiB");
    }
    if (metadataCount < 0) {
      throw m.error("max_structured_metadata_entries_count", "must not be negative (0 is no limit)");
    }
    if (maxAge.isNegative() || grace.isNegative()) {
      throw m.error(maxAge.isNegative() ? "reject_old_samples_max_age" : "creation_grace_period",
          "must not be negative");
    }
    if (maxDecompressed < 1) {
      throw m.error("max_decompressed_size", "must be at least 1 byte");
    }
    return new LokiLimits(rate, burst, maxLine, truncate, identifier, nameLength, valueLength, names, rejectOld,
        maxAge, grace, allowMetadata, metadataSize, metadataCount, discover, levels, levelFields, jsonDepth, increment,
        maxDecompressed, otlp);
  }

  public static Builder builder() {
    return DEFAULT.toBuilder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.ingestionRateMb = ingestionRateMb;
    b.ingestionBurstSizeMb = ingestionBurstSizeMb;
    b.maxLineSize = maxLineSize;
    b.maxLineSizeTruncate = maxLineSizeTruncate;
    b.maxLineSizeTruncateIdentifier = maxLineSizeTruncateIdentifier;
    b.maxLabelNameLength = maxLabelNameLength;
    b.maxLabelValueLength = maxLabelValueLength;
    b.maxLabelNamesPerSeries = maxLabelNamesPerSeries;
    b.rejectOldSamples = rejectOldSamples;
    b.rejectOldSamplesMaxAge = rejectOldSamplesMaxAge;
    b.creationGracePeriod = creationGracePeriod;
    b.allowStructuredMetadata = allowStructuredMetadata;
    b.maxStructuredMetadataSize = maxStructuredMetadataSize;
    b.maxStructuredMetadataEntriesCount = maxStructuredMetadataEntriesCount;
    b.discoverServiceName = discoverServiceName;
    b.discoverLogLevels = discoverLogLevels;
    b.logLevelFields = logLevelFields;
    b.logLevelFromJsonMaxDepth = logLevelFromJsonMaxDepth;
    b.incrementDuplicateTimestamp = incrementDuplicateTimestamp;
    b.maxDecompressedSize = maxDecompressedSize;
    b.otlpConfig = otlpConfig;
    return b;
  }

  /** Limits that differ from {@link #DEFAULT} in a few keys, mostly for tests and embedding. */
  public static final class Builder {
    private double ingestionRateMb;
    private double ingestionBurstSizeMb;
    private long maxLineSize;
    private boolean maxLineSizeTruncate;
    private String maxLineSizeTruncateIdentifier;
    private int maxLabelNameLength;
    private int maxLabelValueLength;
    private int maxLabelNamesPerSeries;
    private boolean rejectOldSamples;
    private Duration rejectOldSamplesMaxAge;
    private Duration creationGracePeriod;
    private boolean allowStructuredMetadata;
    private long maxStructuredMetadataSize;
    private int maxStructuredMetadataEntriesCount;
    private List<String> discoverServiceName;
    private boolean discoverLogLevels;
    private List<String> logLevelFields;
    private int logLevelFromJsonMaxDepth;
    private boolean incrementDuplicateTimestamp;
    private long maxDecompressedSize;
    private OtlpLogsConfig otlpConfig;

    public Builder ingestionRateMb(double ingestionRateMb) {
      this.ingestionRateMb = ingestionRateMb;
      return this;
    }

    public Builder ingestionBurstSizeMb(double ingestionBurstSizeMb) {
      this.ingestionBurstSizeMb = ingestionBurstSizeMb;
      return this;
    }

    public Builder maxLineSize(long maxLineSize) {
      this.maxLineSize = maxLineSize;
      return this;
    }

    public Builder maxLineSizeTruncate(boolean maxLineSizeTruncate) {
      this.maxLineSizeTruncate = maxLineSizeTruncate;
      return this;
    }

    public Builder maxLineSizeTruncateIdentifier(String maxLineSizeTruncateIdentifier) {
      this.maxLineSizeTruncateIdentifier = maxLineSizeTruncateIdentifier;
      return this;
    }

    public Builder maxLabelNameLength(int maxLabelNameLength) {
      this.maxLabelNameLength = maxLabelNameLength;
      return this;
    }

    public Builder maxLabelValueLength(int maxLabelValueLength) {
      this.maxLabelValueLength = maxLabelValueLength;
      return this;
    }

    public Builder maxLabelNamesPerSeries(int maxLabelNamesPerSeries) {
      this.maxLabelNamesPerSeries = maxLabelNamesPerSeries;
      return this;
    }

    public Builder rejectOldSamples(boolean rejectOldSamples) {
      this.rejectOldSamples = rejectOldSamples;
      return this;
    }

    public Builder rejectOldSamplesMaxAge(Duration rejectOldSamplesMaxAge) {
      this.rejectOldSamplesMaxAge = rejectOldSamplesMaxAge;
      return this;
    }

    public Builder creationGracePeriod(Duration creationGracePeriod) {
      this.creationGracePeriod = creationGracePeriod;
      return this;
    }

    public Builder allowStructuredMetadata(boolean allowStructuredMetadata) {
      this.allowStructuredMetadata = allowStructuredMetadata;
      return this;
    }

    public Builder maxStructuredMetadataSize(long maxStructuredMetadataSize) {
      this.maxStructuredMetadataSize = maxStructuredMetadataSize;
      return this;
    }

    public Builder maxStructuredMetadataEntriesCount(int maxStructuredMetadataEntriesCount) {
      this.maxStructuredMetadataEntriesCount = maxStructuredMetadataEntriesCount;
      return this;
    }

    public Builder discoverServiceName(List<String> discoverServiceName) {
      this.discoverServiceName = discoverServiceName;
      return this;
    }

    public Builder discoverLogLevels(boolean discoverLogLevels) {
      this.discoverLogLevels = discoverLogLevels;
      return this;
    }

    public Builder logLevelFields(List<String> logLevelFields) {
      this.logLevelFields = logLevelFields;
      return this;
    }

    public Builder logLevelFromJsonMaxDepth(int logLevelFromJsonMaxDepth) {
      this.logLevelFromJsonMaxDepth = logLevelFromJsonMaxDepth;
      return this;
    }

    public Builder incrementDuplicateTimestamp(boolean incrementDuplicateTimestamp) {
      this.incrementDuplicateTimestamp = incrementDuplicateTimestamp;
      return this;
    }

    public Builder maxDecompressedSize(long maxDecompressedSize) {
      this.maxDecompressedSize = maxDecompressedSize;
      return this;
    }

    public Builder otlpConfig(OtlpLogsConfig otlpConfig) {
      this.otlpConfig = otlpConfig;
      return this;
    }

    public LokiLimits build() {
      return new LokiLimits(ingestionRateMb, ingestionBurstSizeMb, maxLineSize, maxLineSizeTruncate,
          maxLineSizeTruncateIdentifier, maxLabelNameLength, maxLabelValueLength, maxLabelNamesPerSeries,
          rejectOldSamples, rejectOldSamplesMaxAge, creationGracePeriod, allowStructuredMetadata,
          maxStructuredMetadataSize, maxStructuredMetadataEntriesCount, discoverServiceName, discoverLogLevels,
          logLevelFields, logLevelFromJsonMaxDepth, incrementDuplicateTimestamp, maxDecompressedSize, otlpConfig);
    }
  }
}
