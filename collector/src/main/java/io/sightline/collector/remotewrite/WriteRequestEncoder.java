package io.sightline.collector.remotewrite;

import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * Writes a remote-write 1.0 {@code prometheus.WriteRequest} by hand, field by field, with no message objects:
 *
 * <pre>
 * WriteRequest   { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3; }
 * Label          { string name = 1; string value = 2; }
 * Sample         { double value = 1; int64 timestamp = 2; }
 * Exemplar       { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 *
 * Labels go out in the order {@link Labels} keeps them, sorted by name, as the protocol asks. Consecutive samples and
 * exemplars of one series share one {@code TimeSeries} (Prometheus writes one per sample; receivers take either).
 * As proto3 does, fields holding their default (0, +0.0, "") are left out. Reusable after {@link #reset}; not
 * thread-safe.
 */
public final class WriteRequestEncoder {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_I64 = 1;
  private static final int WIRE_LEN = 2;

  private final EncodeBuffer request = new EncodeBuffer(64 * 1024);
  /** The open {@code TimeSeries}: its labels are written, samples and exemplars are being added. */
  private final EncodeBuffer series = new EncodeBuffer(1024);
  private final EncodeBuffer inner = new EncodeBuffer(256);
  private final EncodeBuffer label = new EncodeBuffer(128);
  private Labels open;
  private byte[] compressed = new byte[0];

  public WriteRequestEncoder reset() {
    request.reset();
    series.reset();
    open = null;
    return this;
  }

  /** Adds a float sample of {@code labels}. */
  public void sample(Labels labels, long timestampMs, double value) {
    openSeries(labels);
    inner.reset();
    putDouble(inner, 1, value);
    putInt64(inner, 2, timestampMs);
    putMessage(series, 2, inner);
  }

  /** Adds an exemplar to the series {@code labels}. */
  public void exemplar(Labels labels, Labels exemplar, long timestampMs, double value) {
    openSeries(labels);
    inner.reset();
    for (int i = 0; i < exemplar.size(); i++) {
      putLabel(inner, exemplar.name(i), exemplar.value(i));
    }
    putDouble(inner, 2, value);
    putInt64(inner, 3, timestampMs);
    putMessage(series, 3, inner);
  }

  /** Adds a {@code MetricMetadata} entry; {@code type} as the Prometheus API names it ({@code counter}, …). */
  public void metadata(String family, String type, String help, String unit) {
    closeSeries();
    int number = RemoteWriteDecoder.METRIC_TYPES.indexOf(type);
    inner.reset();
    if (number > 0) {
      inner.putUvarint(tag(1, WIRE_VARINT)).putUvarint(number);
    }
    putString(inner, 2, family);
    putString(inner, 4, help);
    putString(inner, 5, unit);
    putMessage(request, 3, inner);
  }

  /** The request as protobuf, for tests and for senders that compress themselves. */
  public byte[] toByteArray() {
    closeSeries();
    return request.toByteArray();
  }

  /** The request as a snappy block (not framed), as remote write sends it. */
  public byte[] snappy() {
    byte[] raw = toByteArray();
    int max = Snappy.maxCompressedLength(raw.length);
    if (compressed.length < max) {
      compressed = new byte[max];
    }
    try {
      int n = Snappy.compress(raw, 0, raw.length, compressed, 0);
      return Arrays.copyOf(compressed, n);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  /** Bytes written so far, the open series included: what the request will about weigh before compression. */
  public int size() {
    return request.size() + series.size() + 8;
  }

  private void openSeries(Labels labels) {
    if (open != null && (open == labels || open.equals(labels))) {
      return;
    }
    closeSeries();
    open = labels;
    for (int i = 0; i < labels.size(); i++) {
      putLabel(series, labels.name(i), labels.value(i));
    }
  }

  private void closeSeries() {
    if (open != null) {
      putMessage(request, 1, series);
      series.reset();
      open = null;
    }
  }

  private void putLabel(EncodeBuffer out, String name, String value) {
    label.reset();
    putString(label, 1, name);
    putString(label, 2, value);
    putMessage(out, 1, label);
  }

  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  private static void putMessage(EncodeBuffer out, int field, EncodeBuffer message) {
    out.putUvarint(tag(field, WIRE_LEN)).putUvarint(message.size()).putBuffer(message);
  }

  private static void putString(EncodeBuffer out, int field, String s) {
    if (!s.isEmpty()) {
      out.putUvarint(tag(field, WIRE_LEN)).putString(s);
    }
  }

  /** Left out only when it is +0.0: -0.0 and NaNs (the stale marker among them) keep their bits. */
  private static void putDouble(EncodeBuffer out, int field, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (bits != 0) {
      out.putUvarint(tag(field, WIRE_I64)).putLongLE(bits);
    }
  }

  /** int64 is a plain varint of the two's complement: a negative value takes ten bytes. */
  private static void putInt64(EncodeBuffer out, int field, long v) {
    if (v != 0) {
      out.putUvarint(tag(field, WIRE_VARINT)).putUvarint(v);
    }
  }
}
