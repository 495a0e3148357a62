package io.sightline.server.testing;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Remote write 1.0 messages encoded field by field, for tests that must also send what a real client never would
 * (unsorted or invalid labels, odd timestamps). Labels are alternating names and values, written in the order given.
 */
public final class RemoteWriteMessages {
  private RemoteWriteMessages() {}

  /** A {@code TimeSeries}: labels, then one sample per (t, v) pair, then the given encoded exemplars. */
  public static byte[] series(String[] labels, long[] ts, double[] vs, byte[]... exemplars) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    writeLabels(o, labels);
    for (int i = 0; i < ts.length; i++) {
      ByteArrayOutputStream s = new ByteArrayOutputStream();
      CodedOutputStream so = CodedOutputStream.newInstance(s);
      so.writeDouble(1, vs[i]);
      so.writeInt64(2, ts[i]);
      so.flush();
      o.writeByteArray(2, s.toByteArray());
    }
    for (byte[] e : exemplars) {
      o.writeByteArray(3, e);
    }
    o.flush();
    return out.toByteArray();
  }

  /** An {@code Exemplar}: its labels (trace_id, span_id, ...), value and timestamp in milliseconds. */
  public static byte[] exemplar(String[] labels, double value, long timestampMillis) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    writeLabels(o, labels);
    o.writeDouble(2, value);
    o.writeInt64(3, timestampMillis);
    o.flush();
    return out.toByteArray();
  }

  /** A {@code WriteRequest} of encoded series (not yet snappy-compressed). */
  public static byte[] request(byte[]... series) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    for (byte[] s : series) {
      o.writeByteArray(1, s);
    }
    o.flush();
    return out.toByteArray();
  }

  private static void writeLabels(CodedOutputStream o, String[] labels) throws IOException {
    for (int i = 0; i < labels.length; i += 2) {
      ByteArrayOutputStream l = new ByteArrayOutputStream();
      CodedOutputStream lo = CodedOutputStream.newInstance(l);
      lo.writeString(1, labels[i]);
      lo.writeString(2, labels[i + 1]);
      lo.flush();
      o.writeByteArray(1, l.toByteArray());
    }
  }
}
