package io.sightline.metricstore.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.metricstore.SampleIterator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntegerChunkTest {
  private static void roundTrip(long[] t, double[] v) {
    byte[] bytes = IntegerChunk.encode(t, v, t.length);
    SampleIterator it = IntegerChunk.iterator(bytes);
    for (int i = 0; i < t.length; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(t[i]);
      assertThat(Double.doubleToRawLongBits(it.value())).as("value %d", i).isEqualTo(Double.doubleToRawLongBits(v[i]));
    }
    assertThat(it.next()).isFalse();
  }

  @Test
  void everyWidthOfDifferenceRoundTrips() {
    double[] v = {0, 0, 5, -60, 70, 8000, -9000, 1_000_000, -2_000_000, 3e9, -3e9, 9.0e15, -9.0e15, 42};
    long[] t = new long[v.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = 1_700_000_000_000L + i * 15_000L + (i % 3 == 0 ? 7 : 0) + (i == 9 ? 5_000_000_000L : 0);
    }
    roundTrip(t, v);
  }

  @Test
  void randomCountersAndGaugesRoundTripAndCountersShrink() {
    Random r = new Random(7);
    for (int run = 0; run < 200; run++) {
      int n = 1 + r.nextInt(500);
      long[] t = new long[n];
      double[] v = new double[n];
      long now = r.nextLong(0, 1L << 45);
      double value = r.nextInt(1000);
      for (int i = 0; i < n; i++) {
        now += 1 + (r.nextInt(10) == 0 ? r.nextInt(100_000) : 15_000);
        value += run % 2 == 0 ? r.nextInt(20) : r.nextInt(2001) - 1000;
        t[i] = now;
        v[i] = value;
      }
      roundTrip(t, v);
    }
  }

  @Test
  void evenlySpreadIncrementsArePackedInTheFewestBitsThatHoldThem() {
    Random r = new Random(3);
    long[] t = new long[480];
    double[] v = new double[480];
    double[] constant = new double[480];
    for (int i = 0; i < 480; i++) {
      t[i] = 1_700_000_000_000L + i * 15_000L;
      v[i] = (i == 0 ? 5000 : v[i - 1]) + 3 + r.nextInt(20); // 3..22: 5 bits above the base, no prefix
      constant[i] = 7;
    }
    roundTrip(t, v);
    roundTrip(t, constant);
    // 479 × 5 bits of values, one bit a timestamp, a few header bytes: under 0.8 bytes a sample (the escape form
    // took 8 bits a value).
    assertThat(IntegerChunk.encode(t, v, 480).length).isLessThan(480 * 8 / 10);
    // A constant: zero bits a value.
    assertThat(IntegerChunk.encode(t, constant, 480).length).isLessThan(480 / 8 + 16);
  }

  @Test
  void aCounterWithNoisyIncrementsTakesLessThanHalfOfGorilla() {
    long[] t = new long[480];
    double[] v = new double[480];
    XorChunk xor = new XorChunk();
    for (int i = 0; i < 480; i++) {
      t[i] = i * 15_000L;
      v[i] = 1000 + i * 100 + (i % 2); // a steady rate: changes of the change are 0 or ±1
      xor.append(t[i], v[i]);
    }
    roundTrip(t, v);
    assertThat(IntegerChunk.encode(t, v, 480).length).isLessThan(xor.size() / 2);
  }

  @Test
  void onlyExactWholeNumbersQualify() {
    assertThat(IntegerChunk.qualifies(3)).isTrue();
    assertThat(IntegerChunk.qualifies(-9.0e15)).isTrue();
    assertThat(IntegerChunk.qualifies(0.5)).isFalse();
    assertThat(IntegerChunk.qualifies(-0.0)).isFalse();
    assertThat(IntegerChunk.qualifies(Double.NaN)).isFalse();
    assertThat(IntegerChunk.qualifies(Double.POSITIVE_INFINITY)).isFalse();
    assertThat(IntegerChunk.qualifies(1e17)).isFalse();
  }
}
