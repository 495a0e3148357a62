package io.sightline.collector.receiver.prometheusremotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/**
 * One series' samples as they are decoded, {@code Sample { double value = 1; int64 timestamp = 2; }} in both
 * remote-write versions; the arrays are reused from series to series.
 */
final class SampleBuffer {
  long[] timestamps = new long[16];
  double[] values = new double[16];
  int count;

  void clear() {
    count = 0;
  }

  /** Reads one length-delimited {@code Sample} at the stream's position. */
  void read(CodedInputStream in) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    double v = 0;
    long ts = 0;
    while (!in.isAtEnd()) {
      int t = in.readTag();
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> v = in.readDouble();
        case 2 -> ts = in.readInt64();
        default -> in.skipField(t);
      }
    }
    in.popLimit(limit);
    if (count == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, count * 2);
      values = Arrays.copyOf(values, count * 2);
    }
    timestamps[count] = ts;
    values[count] = v;
    count++;
  }
}
