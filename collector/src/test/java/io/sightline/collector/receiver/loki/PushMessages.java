package io.sightline.collector.receiver.loki;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/** Builds {@code logproto.PushRequest} bodies field by field, as Promtail writes them. */
final class PushMessages {
  private PushMessages() {}

  /** An entry: {@code seconds}, {@code nanos}, the line, then structured metadata as name/value pairs. */
  static byte[] entry(long seconds, int nanos, String line, String... metadata) {
    return message(o -> {
      o.writeByteArray(1, message(t -> {
        t.writeInt64(1, seconds);
        t.writeInt32(2, nanos);
      }));
      o.writeString(2, line);
      for (int i = 0; i < metadata.length; i += 2) {
        String name = metadata[i];
        String value = metadata[i + 1];
        o.writeByteArray(3, message(p -> {
          p.writeString(1, name);
          p.writeString(2, value);
        }));
      }
    });
  }

  static byte[] stream(String labels, byte[]... entries) {
    return message(o -> {
      o.writeString(1, labels);
      for (byte[] e : entries) {
        o.writeByteArray(2, e);
      }
    });
  }

  static byte[] request(byte[]... streams) {
    return message(o -> {
      for (byte[] s : streams) {
        o.writeByteArray(1, s);
      }
    });
  }

  static byte[] snappy(byte[] request) {
    try {
      return Snappy.compress(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  interface Fields {
    void write(CodedOutputStream o) throws IOException;
  }

  static byte[] message(Fields fields) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream o = CodedOutputStream.newInstance(out);
      fields.write(o);
      o.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
