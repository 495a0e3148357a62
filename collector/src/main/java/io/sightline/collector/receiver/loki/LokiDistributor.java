package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.sightline.collector.translate.loki.OtlpLogsTranslator;
import io.sightline.collector.translate.prometheus.LabelNamer;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Loki's distributor for one tenant: what happens to a push between its body and the store, in Loki's order and with
 * its answers.
 *
 * <pre>
 * body ─▶ decode (JSON | snappy protobuf)  ─▶ parse label strings ─▶ service_name discovery ─┐
 * OTLP ─▶ translate (otlp_config)  ──────────────────────────────────────────────────────────┤
 *                                                                                             ▼
 *   per stream: truncate long lines?, validate labels ─▶ per entry: validate (age, size, metadata),
 *   normalize metadata names, detected_level, increment duplicate timestamps?
 *                                                                                             ▼
 *   ingestion rate limit (all valid bytes at once) ─▶ sink: append each stream, commit ─▶ answer
 * </pre>
 *
 * Answers: 204 when all was stored; 400 with the grouped validation errors when some streams or entries were invalid
 * (the valid ones are stored, as in Loki); 400 or 413 for a body that does not decode (nothing stored); 422 for a push
 * without streams; 429 when the rate limit refuses the push or the store is full (nothing stored); the sink's status
 * when it refused entries; 500 when it could not commit.
 *
 * <p>Thread-safe: requests may be pushed concurrently; the rate limit is shared.
 */
public final class LokiDistributor {
  /** The label the distributor adds when a stream has none. */
  static final String SERVICE_NAME = "service_name";
  static final String UNKNOWN_SERVICE = "unknown_service";
  /** Loki's internal streams, which skip service name discovery and label validation. */
  private static final String AGGREGATED_METRIC_LABEL = "__aggregated_metric__";
  private static final String PATTERN_LABEL = "__pattern__";
  /** otlptranslator's {@code LabelNamer{}}, which the distributor runs over structured metadata names. */
  private static final LabelNamer NAMER = new LabelNamer(false, false, false);

  private final LokiLimits limits;
  private final LogSink sink;
  private final Clock clock;
  private final LongSupplier monotonicNanos;
  private final IngestionRateLimiter rateLimiter;
  private final LogLevels levels;
  private final OtlpLogsTranslator otlp;

  public LokiDistributor(LokiLimits limits, LogSink sink) {
    this(limits, sink, Clock.systemUTC(), System::nanoTime);
  }

  /**
   * @param clock the wall clock that entries' ages are judged by
   * @param monotonicNanos the clock that refills the rate limit
   */
  LokiDistributor(LokiLimits limits, LogSink sink, Clock clock, LongSupplier monotonicNanos) {
    this.limits = limits;
    this.sink = sink;
    this.clock = clock;
    this.monotonicNanos = monotonicNanos;
    this.rateLimiter = new IngestionRateLimiter(limits.ingestionRateBytes(), limits.ingestionBurstSizeBytes());
    this.levels = new LogLevels(limits.logLevelFields(), limits.logLevelFromJsonMaxDepth());
    this.otlp = new OtlpLogsTranslator(limits.otlpConfig(), limits.discoverServiceName());
  }

  public LokiLimits limits() {
    return limits;
  }

  /**
   * {@code POST /loki/api/v1/push}: decodes, validates and stores {@code body}.
   *
   * @param contentType the {@code Content-Type} header ({@code application/json}, else snappy protobuf), or null
   * @param contentEncoding the {@code Content-Encoding} header ({@code gzip}, {@code deflate}, {@code snappy}), or
   *     null
   */
  public PushResult push(String contentType, String contentEncoding, byte[] body) {
    List<PushStream> streams;
    try {
      streams = PushBody.decode(contentType, contentEncoding, body, limits.maxDecompressedSize());
    } catch (PushException e) {
      return new PushResult(e.status(), e.getMessage());
    }
    List<PushStream> named = new ArrayList<>(streams.size());
    for (PushStream s : streams) {
      named.add(new PushStream(discoverServiceName(s.labels()), s.entries()));
    }
    return distribute(named);
  }

  /**
   * OTLP logs ({@code POST /otlp/v1/logs}, or the pipeline's logs), mapped as Loki maps them, then validated and
   * stored as a push. The caller answers OTLP clients in OTLP's way (see {@link OtlpLogsService}).
   */
  public PushResult pushOtlp(ExportLogsServiceRequest request) {
    Map<Labels, List<LogEntry>> byStream = new LinkedHashMap<>();
    try {
      otlp.translate(request.getResourceLogsList(), nowNanos(), (stream, ts, line, metadata) ->
          byStream.computeIfAbsent(stream, k -> new ArrayList<>()).add(new LogEntry(ts, line, metadata)));
    } catch (OtlpLogsTranslator.TranslationException e) {
      return new PushResult(400, e.getMessage());
    }
    List<PushStream> streams = new ArrayList<>(byStream.size());
    byStream.forEach((labels, entries) -> streams.add(new PushStream(StreamLabels.of(labels), entries)));
    return distribute(streams);
  }

  /** {@code service_name} for a pushed stream that lacks it, as {@code ParseLokiRequest} adds it. */
  private StreamLabels discoverServiceName(StreamLabels labels) {
    if (labels.has(SERVICE_NAME) || limits.discoverServiceName().isEmpty() || isInternal(labels)) {
      return labels;
    }
    String service = UNKNOWN_SERVICE;
    for (String name : limits.discoverServiceName()) {
      String v = labels.get(name);
      if (v != null) {
        service = v;
        break;
      }
    }
    return labels.with(SERVICE_NAME, service);
  }

  private static boolean isInternal(StreamLabels labels) {
    return labels.has(AGGREGATED_METRIC_LABEL) || labels.has(PATTERN_LABEL);
  }

  private long nowNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** A valid stream, ready for the sink. */
  private record Accepted(Labels labels, List<LogEntry> entries) {}

  PushResult distribute(List<PushStream> streams) {
    if (streams.isEmpty()) {
      return new PushResult(422, LokiErrors.MISSING_STREAMS);
    }
    long now = nowNanos();
    long oldest = now - limits.rejectOldSamplesMaxAge().toNanos();
    long newest = now + limits.creationGracePeriod().toNanos();
    GroupedErrors errors = new GroupedErrors();
    List<Accepted> accepted = new ArrayList<>();
    long bytes = 0;
    int lines = 0;
    for (PushStream stream : streams) {
      if (stream.entries().isEmpty()) {
        continue;
      }
      List<LogEntry> entries = truncate(stream.entries());
      String labelsText = stream.labels().toString();
      String invalid = validateLabels(stream.labels(), labelsText);
      if (invalid != null) {
        errors.add(invalid);
        continue;
      }
      List<LogEntry> kept = new ArrayList<>(entries.size());
      int[] sizes = new int[2];
      long prevTs = entries.get(0).timestampNanos();
      for (LogEntry entry : entries) {
        String problem = validateEntry(entry, labelsText, oldest, newest, sizes);
        if (problem != null) {
          errors.add(problem);
          continue;
        }
        Labels metadata;
        try {
          metadata = normalize(entry.structuredMetadata());
        } catch (IllegalArgumentException e) {
          errors.add(e.getMessage());
          continue;
        }
        if (limits.discoverLogLevels() && limits.allowStructuredMetadata()) {
          metadata = levels.enrich(stream.labels(), metadata, entry.line());
        }
        long ts = entry.timestampNanos();
        if (limits.incrementDuplicateTimestamp() && !kept.isEmpty()) {
          // Loki's rule: the same text at the same time is a duplicate it drops later; other text is kept in push
          // order by giving it the next nanosecond.
          LogEntry previous = kept.get(kept.size() - 1);
          if (!previous.line().equals(entry.line()) && (ts == prevTs || ts == previous.timestampNanos())) {
            ts = previous.timestampNanos() + 1;
          } else {
            prevTs = ts;
          }
        }
        kept.add(new LogEntry(ts, entry.line(), metadata));
        bytes += sizes[0] + sizes[1]; // the line's and the pushed metadata's bytes, counted once by validateEntry
      }
      if (kept.isEmpty()) {
        continue;
      }
      accepted.add(new Accepted(stream.labels().toLabels(), kept));
      lines += kept.size();
    }
    String validation = errors.isEmpty() ? null : errors.toString();
    if (accepted.isEmpty()) {
      return validation == null ? PushResult.NO_CONTENT : new PushResult(400, validation);
    }
    if (!rateLimiter.tryAcquire(bytes, monotonicNanos.getAsLong())) {
      return new PushResult(429, LokiErrors.rateLimited(rateLimiter.limitBytesPerSecond(), lines, bytes));
    }
    return store(accepted, validation);
  }

  private PushResult store(List<Accepted> accepted, String validation) {
    LogSink.Batch batch = sink.begin();
    LogSink.Refusal refusal = null;
    boolean committed = false;
    try {
      for (Accepted a : accepted) {
        LogSink.Refusal r = batch.append(a.labels(), a.entries());
        refusal = r != null ? r : refusal; // the ingester answers with the last error it met
      }
      batch.commit();
      committed = true;
    } catch (LogSink.FullException e) {
      return new PushResult(429, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return new PushResult(500, "failed to store the push: " + e.getMessage());
    } finally {
      if (!committed) {
        batch.rollback();
      }
    }
    if (refusal != null) {
      return new PushResult(refusal.status(), refusal.message());
    }
    return validation == null ? PushResult.NO_CONTENT : new PushResult(400, validation);
  }

  /** {@code max_line_size_truncate}: long lines cut to the size, the identifier included. */
  private List<LogEntry> truncate(List<LogEntry> entries) {
    long max = limits.maxLineSize();
    if (!limits.maxLineSizeTruncate() || max == 0) {
      return entries;
    }
    String suffix = limits.maxLineSizeTruncateIdentifier();
    long to = max - Utf8.length(suffix);
    if (to <= 0) {
      return entries;
    }
    List<LogEntry> out = null;
    for (int i = 0; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      if (Utf8.length(e.line()) > max) {
        out = out == null ? new ArrayList<>(entries) : out;
        out.set(i, new LogEntry(e.timestampNanos(), Utf8.prefix(e.line(), (int) to) + suffix,
            e.structuredMetadata()));
      }
    }
    return out == null ? entries : out;
  }

  /** Loki's {@code ValidateLabels}; the message, or null when the labels are valid. */
  private String validateLabels(StreamLabels labels, String text) {
    if (labels.isEmpty()) {
      return LokiErrors.MISSING_LABELS;
    }
    if (isInternal(labels)) {
      return null;
    }
    int names = labels.size() - (labels.has(SERVICE_NAME) ? 1 : 0);
    if (names > limits.maxLabelNamesPerSeries()) {
      return LokiErrors.tooManyLabels(text, names, limits.maxLabelNamesPerSeries());
    }
    String last = "";
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      if (Utf8.length(name) > limits.maxLabelNameLength()) {
        return LokiErrors.labelNameTooLong(text, name);
      }
      if (Utf8.length(labels.value(i)) > limits.maxLabelValueLength()) {
        return LokiErrors.labelValueTooLong(text, labels.value(i));
      }
      if (name.equals(last)) {
        return LokiErrors.duplicateLabel(text, name);
      }
      if (name.isEmpty()) {
        // Loki's parser lets {""="x"} through; a store cannot index a nameless label.
        return LokiErrors.invalidLabels(text, "empty label name");
      }
      last = name;
    }
    return null;
  }

  /**
   * Loki's {@code ValidateEntry}; the message, or null when the entry is valid. {@code sizes} receives the line's
   * UTF-8 bytes and its metadata's (what the rate limit counts), so that they are counted once.
   */
  private String validateEntry(LogEntry entry, String labels, long oldest, long newest, int[] sizes) {
    long ts = entry.timestampNanos();
    if (limits.rejectOldSamples() && ts < oldest) {
      return LokiErrors.tooOld(labels, ts, oldest);
    }
    if (ts > newest) {
      return LokiErrors.tooNew(labels, ts);
    }
    long maxLine = limits.maxLineSize();
    int length = Utf8.length(entry.line());
    sizes[0] = length;
    sizes[1] = 0;
    if (maxLine != 0 && length > maxLine) {
      return LokiErrors.lineTooLong(maxLine, labels, length);
    }
    Labels metadata = entry.structuredMetadata();
    if (!metadata.isEmpty()) {
      if (!limits.allowStructuredMetadata()) {
        return LokiErrors.metadataDisallowed(labels);
      }
      int size = metadataSize(metadata);
      sizes[1] = size;
      if (limits.maxStructuredMetadataSize() != 0 && size > limits.maxStructuredMetadataSize()) {
        return LokiErrors.metadataTooLarge(labels, size, limits.maxStructuredMetadataSize());
      }
      int max = limits.maxStructuredMetadataEntriesCount();
      if (max != 0 && metadata.size() > max) {
        return LokiErrors.metadataTooMany(labels, metadata.size(), max);
      }
    }
    return null;
  }

  /** Bytes of names and values, {@code detected_level} not counted (Loki adds it). */
  private static int metadataSize(Labels metadata) {
    int size = 0;
    for (int i = 0; i < metadata.size(); i++) {
      if (!metadata.name(i).equals(LogLevels.LABEL)) {
        size += Utf8.length(metadata.name(i)) + Utf8.length(metadata.value(i));
      }
    }
    return size;
  }

  /**
   * Metadata names as label names (the distributor's pass of the label namer: {@code trace.id} → {@code trace_id}),
   * and values without the replacement characters left where bytes were not UTF-8.
   *
   * @throws IllegalArgumentException with the namer's message for a name it cannot make a label name of (empty, or
   *     only underscores); Loki fails the whole push with 500 there, which senders retry for ever, so only the entry
   *     is refused here, with Loki's message
   */
  private static Labels normalize(Labels metadata) {
    boolean clean = true;
    for (int i = 0; i < metadata.size() && clean; i++) {
      String name = metadata.name(i);
      clean = StreamLabels.isLegacyName(name) && !name.contains("__") && metadata.value(i).indexOf('\uFFFD') < 0;
    }
    if (clean) {
      return metadata;
    }
    String[] pairs = new String[2 * metadata.size()];
    for (int i = 0; i < metadata.size(); i++) {
      pairs[2 * i] = NAMER.build(metadata.name(i));
      pairs[2 * i + 1] = metadata.value(i).replace("\uFFFD", "");
    }
    return Labels.of(pairs);
  }
}
