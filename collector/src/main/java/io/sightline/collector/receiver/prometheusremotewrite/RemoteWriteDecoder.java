package io.sightline.collector.receiver.prometheusremotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Reads a remote-write 1.0 body straight into a callback, one series at a time, as VictoriaMetrics'
 * {@code stream.Parse} does: no message objects, and the sample arrays are reused from series to series.
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
 *                repeated Histogram histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * Native histograms ({@link HistogramReader} has their message) are decoded in full, one object each: they are few
 * beside float samples. A series with invalid labels or an invalid histogram is skipped and reported in the
 * {@link Summary}; the rest of the request is kept. A body that does not parse fails as a whole.
 */
public final class RemoteWriteDecoder {

  /**
   * Receives each decoded series: its float samples in {@code timestamps} and {@code values} {@code [0, count)}, its
   * native histogram samples (valid ones) and its exemplars. The arrays and the lists are reused for the next series:
   * copy what must be kept.
   */
  @FunctionalInterface
  public interface SeriesConsumer {
    void series(DecodedSeries series, long[] timestamps, double[] values, int count,
        List<DecodedHistogram> histograms, List<DecodedExemplar> exemplars);
  }

  /** Receives {@code MetricMetadata} entries, with the type as Prometheus' API names it. */
  @FunctionalInterface
  public interface MetadataConsumer {
    void metadata(String metricFamilyName, String type, String help, String unit);

    static MetadataConsumer ignore() {
      return (n, t, h, u) -> { };
    }
  }

  /**
   * {@code MetricMetadata.MetricType} by number, as the Prometheus API spells the types (the same in 2.0); senders
   * look a type's number up here.
   */
  public static final List<String> METRIC_TYPES = List.of("unknown", "counter", "gauge", "histogram",
      "gaugehistogram", "summary", "info", "stateset");

  /** An exemplar of the series: its labels (a trace id, usually), value and time. */
  public record DecodedExemplar(Labels labels, double value, long timestampMs) {}

  /**
   * A native histogram sample of the series.
   *
   * @param integerForm sent with integer counts (deltas), which Prometheus validates more strictly than float ones
   */
  public record DecodedHistogram(long timestampMs, Histogram histogram, boolean integerForm) {}

  /** Prometheus' bound on an exemplar's label set, in UTF-8 characters of names and values together. */
  static final int MAX_EXEMPLAR_LABEL_SET_LENGTH = 128;

  /** What a body held: series, float samples, exemplars, native histogram samples, metadata entries. */
  /**
   * What a body held.
   *
   * @param invalidSeries series skipped because they could not be stored as sent (see {@code firstInvalid})
   * @param invalidSamples the samples and histograms those series held
   * @param firstInvalid the first such series' reason, or null
   */
  public record Summary(int series, long samples, long exemplars, long histograms, long metadata,
      long droppedExemplars, int invalidSeries, long invalidSamples, String firstInvalid) {}

  private final RemoteWriteLimits limits;
  private final LabelsCache cache;
  private final SampleBuffer samples = new SampleBuffer();
  private String[] pairs = new String[32];
  private final List<DecodedExemplar> exemplars = new java.util.ArrayList<>();
  private final List<DecodedHistogram> histograms = new java.util.ArrayList<>();
  private final InvalidSeries invalid = new InvalidSeries();
  private long droppedExemplars;

  /** @param cache shared by the decoders of all requests; label sets found there are not decoded again */
  public RemoteWriteDecoder(RemoteWriteLimits limits, LabelsCache cache) {
    this.limits = limits;
    this.cache = cache;
  }

  /** Decompresses a snappy block (not framed: that is what senders use) and decodes it. */
  public Summary decodeSnappy(byte[] body, SeriesConsumer consumer) throws RemoteWriteException {
    return decodeSnappy(body, consumer, MetadataConsumer.ignore());
  }

  /** As {@link #decodeSnappy(byte[], SeriesConsumer)}, handing metadata entries to {@code metadata}. */
  public Summary decodeSnappy(byte[] body, SeriesConsumer consumer, MetadataConsumer metadata)
      throws RemoteWriteException {
    return decode(uncompress(body), consumer, metadata);
  }

  /** A snappy block as senders of both versions write it (not framed), with Prometheus' message when it is not one. */
  static byte[] uncompress(byte[] body) throws RemoteWriteException {
    try {
      if (!Snappy.isValidCompressedBuffer(body)) {
        throw new RemoteWriteException("snappy: corrupt input");
      }
      return Snappy.uncompress(body);
    } catch (IOException e) {
      throw new RemoteWriteException("snappy: corrupt input: " + e.getMessage());
    }
  }

  /** Decodes an uncompressed {@code WriteRequest}, ignoring its metadata. */
  public Summary decode(byte[] request, SeriesConsumer consumer) throws RemoteWriteException {
    return decode(request, consumer, MetadataConsumer.ignore());
  }

  /** Decodes an uncompressed {@code WriteRequest}. */
  public Summary decode(byte[] request, SeriesConsumer consumer, MetadataConsumer metadata)
      throws RemoteWriteException {
    int found = lookAhead(request);
    CodedInputStream in = CodedInputStream.newInstance(request);
    int series = 0;
    long samples = 0;
    long[] others = new long[3];
    try {
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        int field = WireFormat.getTagFieldNumber(tag);
        if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          int length = in.readRawVarint32();
          int start = in.getTotalBytesRead();
          int limit = in.pushLimit(length);
          int at = series < found && starts[series] == start ? series : -1;
          samples += readSeries(in, request, start, start + length, consumer, others, at);
          in.popLimit(limit);
          series++;
        } else if (field == 3 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          others[2]++;
          int limit = in.pushLimit(in.readRawVarint32());
          readMetadata(in, metadata);
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw new RemoteWriteException("failed to decode the write request: " + e.getMessage());
    }
    return new Summary(series, samples, others[0], others[1], others[2], droppedExemplars, invalid.series(),
        invalid.samples(), invalid.first());
  }

  /**
   * One {@code TimeSeries} at {@code request[start, end)}. Its labels are looked up by their raw bytes first: senders
   * write them first and together, so a known series costs one hash of those bytes instead of their decoding.
   */
  private int readSeries(CodedInputStream in, byte[] request, int start, int end, SeriesConsumer consumer,
      long[] others, int lookedAhead) throws IOException, RemoteWriteException {
    DecodedSeries hit = null;
    Labels cached = null;
    int labelsEnd = lookedAhead >= 0 ? labelEnds[lookedAhead] : labelsEnd(request, start, end);
    LabelsCache.Fingerprint key = null;
    if (labelsEnd > start) {
      key = lookedAhead >= 0 ? keys[lookedAhead] : LabelsCache.fingerprint(request, start, labelsEnd);
      hit = cache.get(key);
      if (hit != null) {
        cached = hit.labels();
        in.skipRawBytes(labelsEnd - start);
      }
    }
    exemplars.clear();
    histograms.clear();
    int labelCount = 0;
    // The cached labels are only read if more label fields follow the samples (legal, if odd): reading them for
    // every series was the largest cost of the whole path, a cache miss on a random object per series.
    boolean labelsAfterHit = false;
    samples.clear();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          if (cached != null && !labelsAfterHit) {
            labelsAfterHit = true;
            for (int i = 0; i < cached.size(); i++) {
              if (2 * labelCount + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
              }
              pairs[2 * labelCount] = cached.name(i);
              pairs[2 * labelCount + 1] = cached.value(i);
              labelCount++;
            }
          }
          int limit = in.pushLimit(in.readRawVarint32());
          String name = "";
          String value = "";
          while (!in.isAtEnd()) {
            int t = in.readTag();
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> name = in.readStringRequireUtf8();
              case 2 -> value = in.readStringRequireUtf8();
              default -> in.skipField(t);
            }
          }
          in.popLimit(limit);
          if (2 * labelCount + 2 > pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
          }
          pairs[2 * labelCount] = name;
          pairs[2 * labelCount + 1] = value;
          labelCount++;
        }
        case 2 -> samples.read(in);
        case 3 -> {
          others[0]++;
          int limit = in.pushLimit(in.readRawVarint32());
          readExemplar(in);
          in.popLimit(limit);
        }
        case 4 -> {
          others[1]++;
          histograms.add(HistogramReader.read(in));
        }
        default -> in.skipField(tag);
      }
    }
    DecodedSeries series;
    try {
      if (hit != null && !labelsAfterHit) {
        series = hit;
      } else {
        series = new DecodedSeries(validate(labelCount));
        if (labelsEnd > start && hit == null) {
          cache.put(key, series);
        }
      }
      HistogramReader.validate(histograms, series.labels());
    } catch (RemoteWriteException e) {
      invalid.add(e.getMessage(), samples.count + histograms.size());
      return 0;
    }
    consumer.series(series, samples.timestamps, samples.values, samples.count, histograms, exemplars);
    return samples.count;
  }

  /** Where each series of the request starts, where its labels end and their fingerprint: see {@link #lookAhead}. */
  private int[] starts = new int[0];
  private int[] labelEnds = new int[0];
  private LabelsCache.Fingerprint[] keys = new LabelsCache.Fingerprint[0];

  /**
   * Finds every series of the request and fingerprints its labels, then has the cache read all their entries in a
   * row before the decoding proper looks each up. Over many series those entries are cache misses; taken one at a
   * time during decoding, each waited for the one before (over half of decoding at 100,000 series, measured). Returns
   * how many series were found; a request that does not parse is left to the decoding proper to report.
   */
  private int lookAhead(byte[] request) {
    int n = 0;
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (WireFormat.getTagFieldNumber(tag) != 1 || WireFormat.getTagWireType(tag)
            != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          in.skipField(tag);
          continue;
        }
        int length = in.readRawVarint32();
        int start = in.getTotalBytesRead();
        if (length < 0 || length > request.length - start) {
          break;
        }
        if (n == starts.length) {
          int size = Math.max(256, n * 2);
          starts = Arrays.copyOf(starts, size);
          labelEnds = Arrays.copyOf(labelEnds, size);
          keys = Arrays.copyOf(keys, size);
        }
        int labels = labelsEnd(request, start, start + length);
        starts[n] = start;
        labelEnds[n] = labels;
        keys[n] = labels > start ? LabelsCache.fingerprint(request, start, labels) : NO_KEY;
        n++;
        in.skipRawBytes(length);
      }
    } catch (IOException e) {
      // the decoding proper reports it
    }
    cache.touch(keys, n);
    return n;
  }

  private static final LabelsCache.Fingerprint NO_KEY = new LabelsCache.Fingerprint(0, 0);

  /**
   * Where the run of label fields that opens a series ends, found by skipping over them without decoding; {@code start}
   * when the series does not open with labels. Labels after other fields are decoded the slow way.
   */
  private static int labelsEnd(byte[] b, int start, int end) {
    int pos = start;
    while (pos < end && b[pos] == 0x0a) { // field 1, length-delimited
      int p = pos + 1;
      long len = 0;
      int shift = 0;
      while (p < end) {
        byte x = b[p++];
        len |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 28) {
          return start; // malformed: leave it to the protobuf reader to report
        }
      }
      if (p + len > end) {
        return start;
      }
      pos = (int) (p + len);
    }
    return pos;
  }

  /** {@code MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }} */
  private static void readMetadata(CodedInputStream in, MetadataConsumer consumer) throws IOException {
    int type = 0;
    String name = "";
    String help = "";
    String unit = "";
    while (!in.isAtEnd()) {
      int t = in.readTag();
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> type = in.readEnum();
        case 2 -> name = in.readStringRequireUtf8();
        case 4 -> help = in.readStringRequireUtf8();
        case 5 -> unit = in.readStringRequireUtf8();
        default -> in.skipField(t);
      }
    }
    if (!name.isEmpty()) {
      consumer.metadata(name, type >= 0 && type < METRIC_TYPES.size() ? METRIC_TYPES.get(type) : "unknown", help, unit);
    }
  }

  /**
   * {@code Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }}. An exemplar whose labels
   * break Prometheus' rules is dropped and counted, as Prometheus drops it, without failing the samples.
   */
  private void readExemplar(CodedInputStream in) throws IOException {
    List<String> kv = new java.util.ArrayList<>(4);
    double value = 0;
    long ts = 0;
    while (!in.isAtEnd()) {
      int t = in.readTag();
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> {
          int limit = in.pushLimit(in.readRawVarint32());
          String name = "";
          String v = "";
          while (!in.isAtEnd()) {
            int lt = in.readTag();
            switch (WireFormat.getTagFieldNumber(lt)) {
              case 1 -> name = in.readStringRequireUtf8();
              case 2 -> v = in.readStringRequireUtf8();
              default -> in.skipField(lt);
            }
          }
          in.popLimit(limit);
          kv.add(name);
          kv.add(v);
        }
        case 2 -> value = in.readDouble();
        case 3 -> ts = in.readInt64();
        default -> in.skipField(t);
      }
    }
    Labels labels = SeriesLabels.exemplarLabels(kv);
    if (labels == null) {
      droppedExemplars++; // dropped as Prometheus drops it, without failing the samples
      return;
    }
    exemplars.add(new DecodedExemplar(labels, value, ts));
  }

  private Labels validate(int labelCount) throws RemoteWriteException {
    return SeriesLabels.validate(pairs, labelCount, limits);
  }
}
