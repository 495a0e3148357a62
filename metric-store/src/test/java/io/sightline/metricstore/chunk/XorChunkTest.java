package io.sightline.metricstore.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XorChunkTest {

  private static void roundTrip(long[] ts, double[] vs) {
    XorChunk c = new XorChunk();
    for (int i = 0; i < ts.length; i++) {
      c.append(ts[i], vs[i]);
    }
    XorChunk.Iterator it = XorChunk.iterator(c.bytes());
    assertThat(it.numSamples()).isEqualTo(ts.length);
    for (int i = 0; i < ts.length; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).as("t[%d]", i).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(it.value())).as("v[%d]", i).isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
    assertThat(it.next()).isFalse();
  }

  @Test
  void regularScrapesOfASlowCounterTakeUnderTwoBytesPerSample() {
    XorChunk c = new XorChunk();
    Random r = new Random(1);
    double v = 1_000;
    long[] ts = new long[120];
    double[] vs = new double[120];
    for (int i = 0; i < 120; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L;
      v += r.nextInt(4) == 0 ? r.nextInt(10) : 0;
      vs[i] = v;
      c.append(ts[i], vs[i]);
    }
    // Same encoding as Prometheus, so the same rate: a '0' bit per unchanged timestamp delta and value.
    assertThat((double) c.size() / 120).isLessThan(2.0);
    roundTrip(ts, vs);
  }

  @Test
  void everyDeltaOfDeltaBucketIncludingNegativeOnes() {
    long[] dods = {0, 1, -1, 8191, -8191, 8192, -8192, 65535, 65536, -65535, 524288, -524287, 524289, -524288,
        1L << 40, -(1L << 40), 3};
    List<Long> ts = new ArrayList<>();
    long t = 1_000_000_000_000L;
    long delta = 1000;
    ts.add(t);
    ts.add(t += delta);
    for (long dod : dods) {
      delta += dod;
      ts.add(t += delta);
    }
    long[] times = ts.stream().mapToLong(Long::longValue).toArray();
    double[] values = new double[times.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    roundTrip(times, values);
  }

  @Test
  void bucketBoundariesFollowPrometheus() {
    assertThat(XorChunk.fits(8192, 14)).isTrue();
    assertThat(XorChunk.fits(-8191, 14)).isTrue();
    assertThat(XorChunk.fits(-8192, 14)).isFalse();
    assertThat(XorChunk.fits(8193, 14)).isFalse();
  }

  @Test
  void specialValuesKeepTheirBits() {
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    double[] vs = {0.0, -0.0, Double.NaN, stale, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        Double.MAX_VALUE, 1e-300, stale, 42, 42, 42.5};
    long[] ts = new long[vs.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * 1000L;
    }
    roundTrip(ts, vs);
  }

  @Test
  void randomWalksAndIrregularTimes() {
    Random r = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + r.nextInt(300);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = r.nextLong() >> 20;
      double v = r.nextGaussian() * 1000;
      for (int i = 0; i < n; i++) {
        t += r.nextInt(5) == 0 ? r.nextInt(1 << 30) : 15_000 + r.nextInt(200) - 100;
        v = switch (trial % 3) {
          case 0 -> v + r.nextGaussian();
          case 1 -> Math.floor(v) + r.nextInt(3);
          default -> r.nextDouble();
        };
        ts[i] = t;
        vs[i] = v;
      }
      roundTrip(ts, vs);
    }
  }

  @Test
  void knownLayoutOfTheFirstTwoSamples() {
    XorChunk c = new XorChunk();
    c.append(1000, 1.0);
    byte[] b = c.bytes();
    // count 1 │ varint(1000) = zig-zag 2000 = 0xd0 0x0f │ 1.0 = 0x3ff0000000000000
    assertThat(b).containsExactly(0x00, 0x01, 0xd0, 0x0f, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0);
    c.append(2000, 1.0);
    b = c.bytes();
    // count 2 │ ... │ uvarint(1000) = 0xe8 0x07 │ value unchanged: one '0' bit, padded
    assertThat(b).containsExactly(0x00, 0x02, 0xd0, 0x0f, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xe8, 0x07, 0x00);
    c.append(3000, 1.0);
    // dod 0 → '0', value unchanged → '0': both fit in the same last byte
    assertThat(c.bytes()).hasSize(15);
  }

  @Test
  void seekFindsTheFirstSampleAtOrAfter() {
    XorChunk c = new XorChunk();
    for (int i = 0; i < 100; i++) {
      c.append(i * 10L, i);
    }
    XorChunk.Iterator it = XorChunk.iterator(c.bytes());
    assertThat(it.seek(255)).isTrue();
    assertThat(it.timestamp()).isEqualTo(260);
    assertThat(it.seek(100)).isTrue();
    assertThat(it.timestamp()).isEqualTo(260);
    assertThat(it.seek(5000)).isFalse();
  }
}
