package io.sightline.collector.receiver.prometheusremotewrite;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A remote-write {@code Histogram} message written field by field, as Prometheus' gogo-protobuf code writes it
 * (repeated scalars packed), or unpacked when asked; only the fields set are written.
 */
public final class HistogramMessage {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final CodedOutputStream o = CodedOutputStream.newInstance(out);
  private boolean packed = true;

  /** Writes repeated scalars set from now on one field each, as a proto2-era sender might. */
  public HistogramMessage unpacked() {
    packed = false;
    return this;
  }

  public HistogramMessage countInt(long count) {
    return write(() -> o.writeUInt64(1, count));
  }

  public HistogramMessage countFloat(double count) {
    return write(() -> o.writeDouble(2, count));
  }

  public HistogramMessage sum(double sum) {
    return write(() -> o.writeDouble(3, sum));
  }

  public HistogramMessage schema(int schema) {
    return write(() -> o.writeSInt32(4, schema));
  }

  public HistogramMessage zeroThreshold(double threshold) {
    return write(() -> o.writeDouble(5, threshold));
  }

  public HistogramMessage zeroCountInt(long count) {
    return write(() -> o.writeUInt64(6, count));
  }

  public HistogramMessage zeroCountFloat(double count) {
    return write(() -> o.writeDouble(7, count));
  }

  /** Spans as (offset, length) pairs. */
  public HistogramMessage negativeSpans(int... offsetLength) {
    return spans(8, offsetLength);
  }

  public HistogramMessage negativeDeltas(long... deltas) {
    return sint64s(9, deltas);
  }

  public HistogramMessage negativeCounts(double... counts) {
    return doubles(10, counts);
  }

  public HistogramMessage positiveSpans(int... offsetLength) {
    return spans(11, offsetLength);
  }

  public HistogramMessage positiveDeltas(long... deltas) {
    return sint64s(12, deltas);
  }

  public HistogramMessage positiveCounts(double... counts) {
    return doubles(13, counts);
  }

  public HistogramMessage resetHint(int hint) {
    return write(() -> o.writeEnum(14, hint));
  }

  public HistogramMessage timestamp(long t) {
    return write(() -> o.writeInt64(15, t));
  }

  public HistogramMessage customValues(double... bounds) {
    return doubles(16, bounds);
  }

  /** Raw bytes appended as they are, for malformed messages. */
  public HistogramMessage raw(byte... bytes) {
    return write(() -> o.writeRawBytes(bytes));
  }

  public byte[] bytes() {
    return write(o::flush).out.toByteArray();
  }

  private HistogramMessage spans(int field, int... offsetLength) {
    for (int i = 0; i < offsetLength.length; i += 2) {
      int offset = offsetLength[i];
      int length = offsetLength[i + 1];
      ByteArrayOutputStream span = new ByteArrayOutputStream();
      CodedOutputStream so = CodedOutputStream.newInstance(span);
      write(() -> {
        so.writeSInt32(1, offset);
        so.writeUInt32(2, length);
        so.flush();
        o.writeByteArray(field, span.toByteArray());
      });
    }
    return this;
  }

  private HistogramMessage sint64s(int field, long... values) {
    if (!packed) {
      for (long v : values) {
        write(() -> o.writeSInt64(field, v));
      }
      return this;
    }
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    CodedOutputStream po = CodedOutputStream.newInstance(p);
    return write(() -> {
      for (long v : values) {
        po.writeSInt64NoTag(v);
      }
      po.flush();
      o.writeByteArray(field, p.toByteArray());
    });
  }

  private HistogramMessage doubles(int field, double... values) {
    if (!packed) {
      for (double v : values) {
        write(() -> o.writeDouble(field, v));
      }
      return this;
    }
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    CodedOutputStream po = CodedOutputStream.newInstance(p);
    return write(() -> {
      for (double v : values) {
        po.writeDoubleNoTag(v);
      }
      po.flush();
      o.writeByteArray(field, p.toByteArray());
    });
  }

  private interface Write {
    void run() throws IOException;
  }

  private HistogramMessage write(Write w) {
    try {
      w.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * A remote-write 1.0 request of one series: label pairs, then samples as (timestamp, value) pairs in
   * {@code samples}, then the histograms.
   */
  static byte[] v1Request(String[] labels, double[] samples, byte[]... histograms) {
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    CodedOutputStream so = CodedOutputStream.newInstance(series);
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(req);
    try {
      for (int i = 0; i < labels.length; i += 2) {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        CodedOutputStream lo = CodedOutputStream.newInstance(l);
        lo.writeString(1, labels[i]);
        lo.writeString(2, labels[i + 1]);
        lo.flush();
        so.writeByteArray(1, l.toByteArray());
      }
      for (int i = 0; i < samples.length; i += 2) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        CodedOutputStream sa = CodedOutputStream.newInstance(s);
        sa.writeDouble(1, samples[i + 1]);
        sa.writeInt64(2, (long) samples[i]);
        sa.flush();
        so.writeByteArray(2, s.toByteArray());
      }
      for (byte[] h : histograms) {
        so.writeByteArray(4, h);
      }
      so.flush();
      ro.writeByteArray(1, series.toByteArray());
      ro.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return req.toByteArray();
  }

  /** A remote-write 2.0 request of one series with the labels given as pairs, and its histograms. */
  static byte[] v2Request(String[] labels, byte[]... histograms) {
    List<String> symbols = new ArrayList<>(List.of(""));
    ByteArrayOutputStream refs = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(refs);
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    CodedOutputStream so = CodedOutputStream.newInstance(series);
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(req);
    try {
      for (String s : labels) {
        if (!symbols.contains(s)) {
          symbols.add(s);
        }
        ro.writeUInt32NoTag(symbols.indexOf(s));
      }
      ro.flush();
      so.writeByteArray(1, refs.toByteArray());
      for (byte[] h : histograms) {
        so.writeByteArray(3, h);
      }
      so.flush();
      for (String s : symbols) {
        o.writeString(4, s);
      }
      o.writeByteArray(5, series.toByteArray());
      o.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return req.toByteArray();
  }
}
