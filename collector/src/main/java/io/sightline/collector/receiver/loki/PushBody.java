package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import io.sightline.collector.receiver.Decompression;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xerial.snappy.Snappy;

/**
 * A {@code POST /loki/api/v1/push} body to streams, as Loki's {@code parsePushRequestBody} and
 * {@code ParseLokiRequest} read it: {@code Content-Encoding} gzip or deflate first (snappy, or none, leaves the body
 * as it is), then {@code application/json} as JSON and any other content type as a snappy-compressed protobuf, then
 * every stream's label string parsed. Any failure refuses the whole body, with Loki's status and message.
 */
final class PushBody {
  private PushBody() {}

  /**
   * @param contentType the header, or null when absent (Loki refuses that: "mime: no media type")
   * @param contentEncoding the header, or null
   * @param maxDecompressedSize bytes a body may have once decompressed (gzip, deflate or snappy)
   */
  static List<PushStream> decode(String contentType, String contentEncoding, byte[] body, long maxDecompressedSize)
      throws PushException {
    String encoding = contentEncoding == null ? "" : contentEncoding;
    byte[] bytes = switch (encoding) {
      case "", "snappy" -> body;
      case "gzip", "deflate" -> inflate(body, encoding, maxDecompressedSize);
      default -> throw new PushException(400, "Content-Encoding " + io.sightline.core.model.GoFormat.quote(encoding)
          + " not supported");
    };
    String mediaType = mediaType(contentType);
    List<String> labels = new ArrayList<>();
    List<List<LogEntry>> entries = new ArrayList<>();
    if (mediaType.equals("application/json")) {
      try {
        PushJsonDecoder.decode(bytes, labels, entries);
      } catch (PushJsonDecoder.MalformedException e) {
        throw new PushException(400, e.getMessage());
      }
    } else {
      byte[] request = unsnappy(bytes, maxDecompressedSize);
      try {
        PushProtoDecoder.decode(request, labels, entries);
      } catch (PushProtoDecoder.MalformedException e) {
        throw new PushException(400, e.getMessage());
      }
    }
    return parseLabels(labels, entries);
  }

  /** Every stream's labels parsed, in order; the first that does not parse refuses the push. */
  private static List<PushStream> parseLabels(List<String> labels, List<List<LogEntry>> entries)
      throws PushException {
    List<PushStream> streams = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      String text = labels.get(i);
      if (text.length() > MAX_STREAM_LABELS_SIZE) {
        // Prometheus' label encoding cannot hold more; Loki checks before parsing.
        throw new PushException(413, "request body too large: stream labels size " + humanBytes(Utf8.length(text))
            + " exceeds limit of " + humanBytes(MAX_STREAM_LABELS_SIZE));
      }
      try {
        streams.add(new PushStream(LabelString.parse(text), entries.get(i)));
      } catch (LabelString.ParseException e) {
        throw new PushException(400, "couldn't parse labels: " + e.getMessage());
      }
    }
    return streams;
  }

  /** 16 MiB: {@code maxStreamLabelsSize} in Loki. */
  static final int MAX_STREAM_LABELS_SIZE = 1 << 24;

  /** Go's {@code mime.ParseMediaType}, for what Loki does with its result: the lower-cased type. */
  private static String mediaType(String contentType) throws PushException {
    String type = contentType == null ? "" : contentType;
    int semicolon = type.indexOf(';');
    type = (semicolon >= 0 ? type.substring(0, semicolon) : type).strip().toLowerCase(Locale.ROOT);
    if (type.isEmpty()) {
      throw new PushException(400, "mime: no media type");
    }
    return type;
  }

  private static byte[] inflate(byte[] body, String encoding, long max) throws PushException {
    try {
      byte[] out = Decompression.inflate(body, encoding, max);
      if (out == null) {
        throw new PushException(413, "request body too large: decompressed message size too large than max ("
            + (max + 1) + " vs " + max + ")");
      }
      return out;
    } catch (IOException e) {
      throw new PushException(400, Decompression.goMessage(encoding, e));
    }
  }

  /** A snappy block, as Loki's {@code util.RawSnappy}; golang/snappy's messages when it is not one. */
  private static byte[] unsnappy(byte[] body, long max) throws PushException {
    try {
      if (!Snappy.isValidCompressedBuffer(body)) {
        throw new PushException(400, "snappy: corrupt input");
      }
      long size = Snappy.uncompressedLength(body);
      if (size > max) {
        throw new PushException(413, "request body too large: decompressed message size too large than max (" + size
            + " vs " + max + ")");
      }
      return Snappy.uncompress(body);
    } catch (IOException e) {
      throw new PushException(400, "snappy: corrupt input");
    }
  }

  /** humanize.Bytes: SI units, one decimal below ten. */
  static String humanBytes(long n) {
    if (n < 10) {
      return n + " B";
    }
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    double e = Math.floor(Math.log(n) / Math.log(1000));
    double value = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
    String format = value < 10 ? "%.1f %s" : "%.0f %s";
    return String.format(Locale.ROOT, format, value, units[(int) e]);
  }
}
