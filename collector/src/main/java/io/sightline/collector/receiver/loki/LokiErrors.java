package io.sightline.collector.receiver.loki;

import io.sightline.core.model.Labels;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Loki's messages for refused pushes ({@code pkg/validation/validate.go}), word for word. */
public final class LokiErrors {
  private LokiErrors() {}

  /** The tenant Loki names in its messages when it runs without authentication, as Sightline does. */
  public static final String TENANT = "fake";

  static final String MISSING_STREAMS = "error at least one valid stream is required for ingestion";
  static final String MISSING_LABELS = "error at least one label pair is required per stream";

  /** Go's {@code time.RFC3339} layout, for a server whose local time zone is UTC. */
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  static String invalidLabels(String labels, String problem) {
    return "error parsing labels '" + labels + "' with error: " + problem;
  }

  static String tooManyLabels(String labels, int names, int limit) {
    return "entry for stream '" + labels + "' has " + names + " label names; limit " + limit;
  }

  static String labelNameTooLong(String labels, String name) {
    return "stream '" + labels + "' has label name too long: '" + name + "'";
  }

  static String labelValueTooLong(String labels, String value) {
    return "stream '" + labels + "' has label value too long: '" + value + "'";
  }

  static String duplicateLabel(String labels, String name) {
    return "stream '" + labels + "' has duplicate label name: '" + name + "'";
  }

  static String tooOld(String labels, long entryNanos, long oldestNanos) {
    return "entry for stream '" + labels + "' has timestamp too old: " + rfc3339(entryNanos)
        + ", oldest acceptable timestamp is: " + rfc3339(oldestNanos);
  }

  static String tooNew(String labels, long entryNanos) {
    return "entry for stream '" + labels + "' has timestamp too new: " + rfc3339(entryNanos);
  }

  static String lineTooLong(long limit, String labels, int length) {
    return "max entry size '" + limit + "' bytes exceeded for stream '" + labels + "' while adding an entry with"
        + " length '" + length + "' bytes";
  }

  static String metadataDisallowed(String labels) {
    return "stream '" + labels + "' includes structured metadata, but this feature is disallowed. Please see"
        + " `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it";
  }

  static String metadataTooLarge(String labels, int size, long limit) {
    return "stream '" + labels + "' has structured metadata too large: '" + size + "' bytes, limit: '" + limit
        + "' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to"
        + " increase it";
  }

  static String metadataTooMany(String labels, int count, int limit) {
    return "stream '" + labels + "' has too many structured metadata labels: '" + count + "', limit: '" + limit
        + "'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator"
        + " to increase it";
  }

  static String rateLimited(long limitBytesPerSecond, int lines, long bytes) {
    return "ingestion rate limit exceeded for user " + TENANT + " (limit: " + limitBytesPerSecond + " bytes/sec)"
        + " while attempting to ingest '" + lines + "' lines totaling '" + bytes + "' bytes, reduce log volume or"
        + " contact your Loki administrator to see if the limit can be increased";
  }

  /**
   * The ingester's answer (429) when a new stream would pass the active stream limit, for a {@link LogSink} to put
   * in its {@link LogSink.Refusal}.
   *
   * @param stream printed as Loki prints labels: {@code {app="shop", env="prod"}}
   */
  public static String streamLimit(Labels stream) {
    return "maximum active stream limit exceeded when trying to create stream " + StreamLabels.of(stream)
        + ", reduce the number of"
        + " active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the"
        + " limit can be increased, user: '" + TENANT + "'";
  }

  /**
   * The ingester's answer (400) for entries older than the stream's out-of-order window accepts: a line per refused
   * entry (Loki lists at most its {@code max_returned_stream_errors}, 10), then the totals.
   *
   * @param listed times of the refused entries to list
   * @param cutoffNanos the oldest time the stream accepted
   */
  public static String tooFarBehind(Labels stream, List<Long> listed, long cutoffNanos, int refused, int total) {
    StringBuilder sb = new StringBuilder();
    for (long t : listed) {
      sb.append("entry with timestamp ").append(goTime(t)).append(" ignored, reason: 'entry too far behind, entry")
          .append(" timestamp is: ").append(RFC3339.format(Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L))))
          .append(", oldest acceptable timestamp is: ")
          .append(RFC3339.format(Instant.ofEpochSecond(Math.floorDiv(cutoffNanos, 1_000_000_000L)))).append("',\n");
    }
    return sb.append("user '").append(TENANT).append("', total ignored: ").append(refused).append(" out of ")
        .append(total).append(" for stream: ").append(StreamLabels.of(stream)).toString();
  }

  /** Go's {@code time.Time.String()} of a UTC time: {@code 2006-01-02 15:04:05.999999999 +0000 UTC}. */
  static String goTime(long nanos) {
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    int fraction = (int) Math.floorMod(nanos, 1_000_000_000L);
    StringBuilder sb = new StringBuilder(GO_TIME.format(Instant.ofEpochSecond(seconds)));
    if (fraction != 0) {
      String digits = String.format("%09d", fraction);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(digits, 0, end);
    }
    return sb.append(" +0000 UTC").toString();
  }

  static String rfc3339(long nanos) {
    return RFC3339.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        Math.floorMod(nanos, 1_000_000_000L)));
  }
}
