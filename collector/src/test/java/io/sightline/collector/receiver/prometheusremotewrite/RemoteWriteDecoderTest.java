package io.sightline.collector.receiver.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.sightline.core.model.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWriteDecoderTest {
  private final LabelsCache cache = new LabelsCache(1024);

  private static byte[] label(String name, String value) throws IOException {
    ByteArrayOutputStream l = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(l);
    o.writeString(1, name);
    o.writeString(2, value);
    o.flush();
    return l.toByteArray();
  }

  private static byte[] sample(double v, long t) throws IOException {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(s);
    o.writeDouble(1, v);
    o.writeInt64(2, t);
    o.flush();
    return s.toByteArray();
  }

  /** A request with one series whose fields come in the order given: "L" a label pair, "S" a sample. */
  private static byte[] request(Object... fields) throws IOException {
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    CodedOutputStream so = CodedOutputStream.newInstance(series);
    for (Object f : fields) {
      if (f instanceof String[] l) {
        so.writeByteArray(1, label(l[0], l[1]));
      } else {
        long[] s = (long[]) f;
        so.writeByteArray(2, sample(s[1], s[0]));
      }
    }
    so.flush();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(req);
    ro.writeByteArray(1, series.toByteArray());
    ro.flush();
    return req.toByteArray();
  }

  private record Seen(Labels labels, List<Long> timestamps) {}

  private List<Seen> decode(byte[] request) throws RemoteWriteException {
    List<Seen> seen = new ArrayList<>();
    new RemoteWriteDecoder(RemoteWriteLimits.defaults(), cache).decode(request, (series, ts, vs, n, h, exemplars) -> {
      List<Long> t = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        t.add(ts[i]);
      }
      seen.add(new Seen(series.labels(), t));
    });
    return seen;
  }

  @Test
  void theSecondRequestOfASeriesIsServedFromTheCache() throws Exception {
    byte[] first = request(new String[] {"job", "api"}, new String[] {"__name__", "up"}, new long[] {1000, 1});
    byte[] second = request(new String[] {"job", "api"}, new String[] {"__name__", "up"}, new long[] {2000, 1});
    Labels a = decode(first).get(0).labels();
    Seen b = decode(second).get(0);
    assertThat(b.labels()).isSameAs(a).isEqualTo(Labels.of("__name__", "up", "job", "api"));
    assertThat(b.timestamps()).containsExactly(2000L);
  }

  @Test
  void labelsAfterTheSamplesAreStillRead() throws Exception {
    decode(request(new String[] {"__name__", "up"}, new long[] {1000, 1}));
    Seen s = decode(request(new String[] {"__name__", "up"}, new long[] {2000, 1}, new String[] {"job", "late"}))
        .get(0);
    assertThat(s.labels()).isEqualTo(Labels.of("__name__", "up", "job", "late"));
  }

  @Test
  void invalidLabelsAreNeverCachedAndAlwaysRefusedWhileTheRestOfTheRequestIsKept() throws Exception {
    byte[] bad = request(new String[] {"__name__", "up"}, new String[] {"bad-name", "x"}, new long[] {1000, 1});
    byte[] good = request(new String[] {"__name__", "up"}, new String[] {"job", "ok"}, new long[] {1000, 1});
    byte[] both = new byte[bad.length + good.length];
    System.arraycopy(bad, 0, both, 0, bad.length);
    System.arraycopy(good, 0, both, bad.length, good.length);
    for (int i = 0; i < 2; i++) {
      List<Seen> seen = new ArrayList<>();
      RemoteWriteDecoder.Summary summary = new RemoteWriteDecoder(RemoteWriteLimits.defaults(), cache).decode(both,
          (series, ts, vs, n, h, exemplars) -> seen.add(new Seen(series.labels(), List.of(ts[0]))));
      assertThat(summary.firstInvalid()).contains("invalid label name \"bad-name\"");
      assertThat(summary.invalidSeries()).isEqualTo(1);
      assertThat(summary.invalidSamples()).isEqualTo(1);
      assertThat(seen).extracting(Seen::labels).containsExactly(Labels.of("__name__", "up", "job", "ok"));
    }
  }

  @Test
  void truncatedRequestsAreRefused() throws Exception {
    byte[] ok = request(new String[] {"__name__", "up"}, new long[] {1000, 1});
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 4);
    assertThatThrownBy(() -> decode(cut)).isInstanceOf(RemoteWriteException.class)
        .hasMessageStartingWith("failed to decode the write request");
  }
}
