package io.sightline.collector.receiver.prometheusremotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.DecodedExemplar;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.DecodedHistogram;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.MetadataConsumer;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.SeriesConsumer;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.Summary;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a remote-write 2.0 body ({@code io.prometheus.write.v2.Request}): strings once in a symbol table, series and
 * exemplars as pairs of references into it, metadata per series.
 *
 * <pre>
 * Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; repeated Histogram histograms = 3;
 *              repeated Exemplar exemplars = 4; Metadata metadata = 5; int64 created_timestamp = 6; }
 * Exemplar   { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * </pre>
 *
 * The symbol table must start with the empty string, as the specification requires. Native histograms are read by
 * {@link HistogramReader}, as in 1.0. A series that cannot be stored as sent (bad references, labels or histograms)
 * is skipped and reported in the {@link RemoteWriteDecoder.Summary}; the rest of the request is kept.
 */
public final class RemoteWrite2Decoder {
  private final RemoteWriteLimits limits;
  private final SampleBuffer samples = new SampleBuffer();
  private String[] pairs = new String[32];
  private final List<DecodedExemplar> exemplars = new ArrayList<>();
  private final List<DecodedHistogram> histograms = new ArrayList<>();
  private final InvalidSeries invalid = new InvalidSeries();
  private long droppedExemplars;

  public RemoteWrite2Decoder(RemoteWriteLimits limits) {
    this.limits = limits;
  }

  public Summary decodeSnappy(byte[] body, SeriesConsumer consumer, MetadataConsumer metadata)
      throws RemoteWriteException {
    return decode(RemoteWriteDecoder.uncompress(body), consumer, metadata);
  }

  /** Decodes an uncompressed {@code Request}: the symbols first (wherever they are), then the series in order. */
  public Summary decode(byte[] request, SeriesConsumer consumer, MetadataConsumer metadata)
      throws RemoteWriteException {
    int series = 0;
    long samples = 0;
    long[] others = new long[3];
    try {
      List<String> symbolList = new ArrayList<>();
      CodedInputStream in = CodedInputStream.newInstance(request);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (WireFormat.getTagFieldNumber(tag) == 4 && WireFormat.getTagWireType(tag)
            == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          symbolList.add(in.readStringRequireUtf8());
        } else {
          in.skipField(tag);
        }
      }
      String[] symbols = symbolList.toArray(String[]::new);
      if (symbols.length > 0 && !symbols[0].isEmpty()) {
        throw new RemoteWriteException("invalid symbol table: the first symbol must be the empty string");
      }
      in = CodedInputStream.newInstance(request);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (WireFormat.getTagFieldNumber(tag) == 5 && WireFormat.getTagWireType(tag)
            == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          int limit = in.pushLimit(in.readRawVarint32());
          samples += readSeries(in, symbols, consumer, metadata, others);
          in.popLimit(limit);
          series++;
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

  private int readSeries(CodedInputStream in, String[] symbols, SeriesConsumer consumer, MetadataConsumer metadata,
      long[] others) throws IOException, RemoteWriteException {
    exemplars.clear();
    histograms.clear();
    int refCount = 0;
    int[] refs = new int[16];
    samples.clear();
    int type = 0;
    int helpRef = 0;
    int unitRef = 0;
    boolean hasMetadata = false;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (!in.isAtEnd()) {
              refs = add(refs, refCount++, in.readUInt32());
            }
            in.popLimit(limit);
          } else {
            refs = add(refs, refCount++, in.readUInt32());
          }
        }
        case 2 -> samples.read(in);
        case 3 -> {
          others[1]++;
          histograms.add(HistogramReader.read(in));
        }
        case 4 -> {
          others[0]++;
          int limit = in.pushLimit(in.readRawVarint32());
          readExemplar(in, symbols);
          in.popLimit(limit);
        }
        case 5 -> {
          hasMetadata = true;
          int limit = in.pushLimit(in.readRawVarint32());
          while (!in.isAtEnd()) {
            int t = in.readTag();
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> type = in.readEnum();
              case 3 -> helpRef = in.readUInt32();
              case 4 -> unitRef = in.readUInt32();
              default -> in.skipField(t);
            }
          }
          in.popLimit(limit);
        }
        default -> in.skipField(tag);
      }
    }
    Labels labels;
    String help = "";
    String unit = "";
    try {
      labels = labels(symbols, refs, refCount);
      HistogramReader.validate(histograms, labels);
      if (hasMetadata && type > 0) {
        help = symbol(symbols, helpRef);
        unit = symbol(symbols, unitRef);
      }
    } catch (RemoteWriteException e) {
      invalid.add(e.getMessage(), samples.count + histograms.size());
      return 0;
    }
    if (hasMetadata && type > 0) {
      others[2]++;
      metadata.metadata(familyName(labels.metricName(), type),
          type < RemoteWriteDecoder.METRIC_TYPES.size() ? RemoteWriteDecoder.METRIC_TYPES.get(type) : "unknown",
          help, unit);
    }
    consumer.series(new DecodedSeries(labels), samples.timestamps, samples.values, samples.count, histograms,
        exemplars);
    return samples.count;
  }

  /** A series' labels from its symbol references, checked as remote write 1.0 checks them. */
  private Labels labels(String[] symbols, int[] refs, int refCount) throws RemoteWriteException {
    if (refCount % 2 != 0) {
      throw new RemoteWriteException("invalid labels_refs: an odd number of references (" + refCount + ")");
    }
    if (pairs.length < refCount) {
      pairs = new String[Math.max(refCount, pairs.length * 2)];
    }
    for (int i = 0; i < refCount; i++) {
      pairs[i] = symbol(symbols, refs[i]);
    }
    return SeriesLabels.validate(pairs, refCount / 2, limits);
  }

  /** The family a classic histogram's or summary's series belongs to: its name without the series suffix. */
  private static String familyName(String name, int type) {
    boolean histogramLike = type == 3 || type == 4 || type == 5;
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (histogramLike && name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  private void readExemplar(CodedInputStream in, String[] symbols) throws IOException, RemoteWriteException {
    List<String> kv = new ArrayList<>(4);
    double value = 0;
    long ts = 0;
    while (!in.isAtEnd()) {
      int t = in.readTag();
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> {
          if (WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (!in.isAtEnd()) {
              kv.add(symbol(symbols, in.readUInt32()));
            }
            in.popLimit(limit);
          } else {
            kv.add(symbol(symbols, in.readUInt32()));
          }
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

  private static String symbol(String[] symbols, int ref) throws RemoteWriteException {
    if (ref < 0 || ref >= symbols.length) {
      throw new RemoteWriteException("invalid symbol reference " + Integer.toUnsignedString(ref) + ": the symbol "
          + "table has " + symbols.length + " entries");
    }
    return symbols[ref];
  }

  private static int[] add(int[] refs, int at, int value) {
    int[] out = at == refs.length ? Arrays.copyOf(refs, refs.length * 2) : refs;
    out[at] = value;
    return out;
  }
}
