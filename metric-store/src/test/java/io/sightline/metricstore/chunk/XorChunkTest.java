package io.sightline.metricstore.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XorChunkTest {
  private static final long STALE_NAN = 0x7ff0000000000002L;
  /** A realistic epoch-millisecond start, so that t0 takes its usual six varint bytes. */
  private static final long T0 = 1_700_000_000_000L;
  private static final long SCRAPE_MS = 15_000L;

  private static XorChunk encode(long[] ts, long[] valueBits) {
    XorChunk c = new XorChunk();
    for (int i = 0; i < ts.length; i++) {
      c.append(ts[i], Double.longBitsToDouble(valueBits[i]));
    }
    return c;
  }

  /** Encodes, decodes and compares timestamps and raw value bits; returns the chunk for further checks. */
  private static XorChunk assertRoundTrip(long[] ts, long[] valueBits) {
    XorChunk c = encode(ts, valueBits);
    assertThat(c.numSamples()).isEqualTo(ts.length);
    assertDecodes(c.bytes(), ts, valueBits);
    return c;
  }

  private static void assertDecodes(byte[] bytes, long[] ts, long[] valueBits) {
    XorChunk.Iterator it = XorChunk.iterator(bytes);
    assertThat(it.numSamples()).isEqualTo(ts.length);
    for (int i = 0; i < ts.length; i++) {
      assertThat(it.next()).as("next() at %d", i).isTrue();
      assertThat(it.timestamp()).as("t[%d]", i).isEqualTo(ts[i]);
      assertThat(it.valueBits()).as("bits of v[%d]", i).isEqualTo(valueBits[i]);
      assertThat(Double.doubleToRawLongBits(it.value())).as("raw bits of value() at %d", i).isEqualTo(valueBits[i]);
    }
    assertThat(it.next()).isFalse();
    assertThat(it.next()).isFalse();
  }

  private static long[] bitsOf(double... values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  private static long[] regularTimes(int n) {
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = T0 + i * SCRAPE_MS;
    }
    return ts;
  }

  private static byte[] hex(String s) {
    return HexFormat.ofDelimiter(" ").parseHex(s);
  }

  // ---- known answers ------------------------------------------------------------------------------------------

  /**
   * (1000, 1.0), (2000, 2.0), (3000, 3.0), (4000, 4.0), worked out by hand from xor.go and bstream.go:
   *
   * <pre>
   * header          00 04                       4 samples, big-endian
   * sample 0  t     d0 0f                       zig-zag(1000) = 2000 = 0b1111_1010000: low 7 bits 0x50 | 0x80 = 0xd0,
   *                                             then 2000 >> 7 = 15 = 0x0f
   *           v     3f f0 00 00 00 00 00 00     bits(1.0) = 0x3ff0000000000000, 64 raw bits
   * sample 1  Δt    e8 07                       uvarint(1000): 1000 & 0x7f = 0x68 | 0x80 = 0xe8, 1000 >> 7 = 7
   *           v     x = 0x3ff0… ^ 0x4000… (2.0) = 0x7ff0000000000000: 1 leading, 52 trailing zeros, 11 significant.
   *                 No window yet, so '11' + L=1 '00001' + S=11 '001011' + x>>52 = 0x7ff '11111111111' (24 bits):
   *                 11000010 01011111 11111111 = c2 5f ff
   * sample 2  dod   Δt 1000 again: dod 0 → '0'
   *           v     x = 0x4000… ^ 0x4008… (3.0) = 0x0008000000000000: 12 leading, 51 trailing. 12 ≥ 1 but
   *                 51 &lt; 52, so the window (1, 52) does not hold it: '11' + '01100' + S=1 '000001' + '1'
   *                 bits so far: 0 11 01100 000001 1 (15 bits) → 01101100 = 6c, 7 bits 0000011 left over
   * sample 3  dod   '0'
   *           v     x = 0x4008… ^ 0x4010… (4.0) = 0x0018000000000000: 11 leading, 51 trailing; 11 &lt; 12, so a
   *                 new window again: '11' + '01011' + S=2 '000010' + '11'
   *                 0000011 + 0 → 00000110 = 06; 11010110 = d6; 0001011 + one zero of padding → 00010110 = 16
   * </pre>
   *
   * 167 bits, 21 bytes; the last write was a bit, so there is no trailing padding byte.
   */
  @Test
  void fourSamplesEncodeToTheBytesPrometheusWrites() {
    XorChunk c = encode(new long[] {1000, 2000, 3000, 4000}, bitsOf(1.0, 2.0, 3.0, 4.0));
    assertThat(c.bytes()).isEqualTo(hex("00 04 d0 0f 3f f0 00 00 00 00 00 00 e8 07 c2 5f ff 6c 06 d6 16"));
    assertThat(c.size()).isEqualTo(21);
    assertDecodes(c.bytes(), new long[] {1000, 2000, 3000, 4000}, bitsOf(1.0, 2.0, 3.0, 4.0));
  }

  /**
   * bstream.writeByte on an aligned stream appends the byte and then one more, empty, byte (byt &lt;&lt; 8 is 0 for a Go
   * byte). The 64 raw bits of v0 are eight such writes, so a one-sample chunk ends in a zero byte that holds nothing:
   * 13 bytes, not 12. The next write fills that byte rather than adding one.
   */
  @Test
  void aByteAlignedLastWriteLeavesPrometheusTrailingEmptyByte() {
    XorChunk c = new XorChunk();
    assertThat(c.bytes()).isEqualTo(hex("00 00"));
    c.append(1000, 1.0);
    assertThat(c.bytes()).isEqualTo(hex("00 01 d0 0f 3f f0 00 00 00 00 00 00 00"));
    c.append(2000, 1.0);
    // uvarint(1000) fills the empty byte and leaves another; the repeated value's '0' bit goes into that one.
    assertThat(c.bytes()).isEqualTo(hex("00 02 d0 0f 3f f0 00 00 00 00 00 00 e8 07 00"));
    c.append(3000, 1.0);
    // dod '0' and value '0': two more bits in the same last byte.
    assertThat(c.bytes()).isEqualTo(hex("00 03 d0 0f 3f f0 00 00 00 00 00 00 e8 07 00"));
  }

  /**
   * 120 constant samples at a steady interval: t0 is zig-zag(1.7e12) = 3.4e12 &lt; 2^42, six varint bytes; with the
   * header and v0 that is 16 bytes plus the empty byte. Δt = 15000 takes two uvarint bytes, the repeated value one
   * bit (145 bits so far), then each further sample is '0' + '0': 145 + 118 × 2 = 381 bits = 48 bytes.
   */
  @Test
  void constantValuesAtASteadyIntervalCostTwoBitsASample() {
    long[] ts = regularTimes(120);
    long[] vs = new long[120];
    Arrays.fill(vs, Double.doubleToRawLongBits(42.0));
    XorChunk c = assertRoundTrip(ts, vs);
    assertThat(c.size()).isEqualTo(48);
  }

  // ---- compression --------------------------------------------------------------------------------------------

  @Test
  void aSlowCounterAt15SecondScrapesTakesUnderTwoBytesASample() {
    // A typical counter: 120 samples (Prometheus' head chunk, 30 minutes), up by 0 to 10 per scrape.
    Random r = new Random(42);
    long[] ts = regularTimes(120);
    long[] vs = new long[120];
    double v = 12_345;
    for (int i = 0; i < 120; i++) {
      vs[i] = Double.doubleToRawLongBits(v);
      v += r.nextInt(11);
    }
    XorChunk c = assertRoundTrip(ts, vs);
    double bytesPerSample = c.size() / 120.0;
    // 185 bytes, 1.54 bytes a sample: Gorilla's usual 1.3–2 (Prometheus quotes 1.37 on real data).
    assertThat(c.size()).isEqualTo(185);
    assertThat(bytesPerSample).isBetween(1.0, 2.0);
  }

  // ---- timestamps ---------------------------------------------------------------------------------------------

  @Test
  void regular15SecondScrapesRoundTrip() {
    long[] ts = regularTimes(500);
    long[] vs = new long[500];
    for (int i = 0; i < vs.length; i++) {
      vs[i] = Double.doubleToRawLongBits(i % 7 == 0 ? i : i * 0.5);
    }
    assertRoundTrip(ts, vs);
  }

  /**
   * Third sample at 2000000 + dod after (0, 1000000), so that even the most negative dod keeps time moving forward:
   * the dod field starts at bit 113 (header 16, varint(0) 8, v0 64, uvarint(1000000) 24, repeated value 1) and must
   * use the bucket Prometheus picks, edges included.
   */
  @ParameterizedTest(name = "dod {0} → ''{1}'' + {2} bits")
  @CsvSource({
      "0, 0, 0",
      "1, 10, 14", "-1, 10, 14", "8192, 10, 14", "-8191, 10, 14",
      "8193, 110, 17", "-8192, 110, 17", "65536, 110, 17", "-65535, 110, 17",
      "65537, 1110, 20", "-65536, 1110, 20", "524288, 1110, 20", "-524287, 1110, 20",
      "524289, 1111, 64", "-524288, 1111, 64", "1099511627776, 1111, 64", "-999, 10, 14",
  })
  void deltaOfDeltaUsesPrometheusBuckets(long dod, String prefix, int width) {
    long[] ts = {0, 1_000_000, 2_000_000 + dod};
    long[] vs = bitsOf(5.0, 5.0, 5.0);
    XorChunk c = assertRoundTrip(ts, vs);
    BitReader in = new BitReader(c.bytes(), 0);
    in.readBits(64);
    in.readBits(113 - 64);
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      boolean bit = in.readBit();
      seen.append(bit ? '1' : '0');
      if (!bit) {
        break;
      }
    }
    assertThat(seen.toString()).isEqualTo(prefix);
    long raw = in.readBits(width);
    long mask = width == 64 ? -1L : (1L << width) - 1;
    assertThat(raw).as("dod in two's complement, %d bits", width).isEqualTo(dod & mask);
    assertThat(in.readBit()).as("the repeated value's '0'").isFalse();
  }

  @Test
  void bucketRangesAreLopsidedLikePrometheus() {
    assertThat(XorChunk.fits(8192, 14)).isTrue();
    assertThat(XorChunk.fits(-8191, 14)).isTrue();
    assertThat(XorChunk.fits(-8192, 14)).isFalse();
    assertThat(XorChunk.fits(8193, 14)).isFalse();
    assertThat(XorChunk.fits(524288, 20)).isTrue();
    assertThat(XorChunk.fits(-524288, 20)).isFalse();
  }

  @Test
  void irregularTimestampsWithEveryBucketAndNegativeDodsRoundTrip() {
    long[] dods = {0, 1, -1, 8191, -8191, 8192, -8192, 8193, 65535, 65536, -65535, -65536, 65537, 524288,
        -524287, 524289, -524288, 1L << 40, -(1L << 40), 3, 0, 0, -2};
    List<Long> ts = new ArrayList<>();
    long t = T0;
    long delta = 600_000; // large enough that no dod below makes the series go backwards
    ts.add(t);
    ts.add(t += delta);
    for (long dod : dods) {
      delta += dod;
      ts.add(t += delta);
    }
    long[] times = ts.stream().mapToLong(Long::longValue).toArray();
    long[] values = new long[times.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = Double.doubleToRawLongBits(i * 1.25);
    }
    assertRoundTrip(times, values);
  }

  @Test
  void jitteredAndRandomTimestampsRoundTrip() {
    Random r = new Random(7);
    for (int trial = 0; trial < 100; trial++) {
      int n = 1 + r.nextInt(300);
      long[] ts = new long[n];
      long[] vs = new long[n];
      long t = r.nextLong() >> 2;
      for (int i = 0; i < n; i++) {
        t += switch (r.nextInt(4)) {
          case 0 -> 1 + r.nextInt(1 << 30);
          case 1 -> 1 + r.nextInt(100);
          default -> SCRAPE_MS + r.nextInt(201) - 100;
        };
        ts[i] = t;
        vs[i] = Double.doubleToRawLongBits(r.nextInt(3));
      }
      assertRoundTrip(ts, vs);
    }
  }

  @Test
  void largeJumpsInTimeRoundTrip() {
    // Negative times, a jump across zero, 2^40 ms, and gaps past Long.MAX_VALUE: Δt wraps in uint64 like Go's and
    // decodes back exactly.
    long[] ts = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000, -1, 0, 1, 1L << 40, (1L << 40) + 15_000,
        Long.MAX_VALUE - 1, Long.MAX_VALUE};
    long[] vs = bitsOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertRoundTrip(ts, vs);
    assertRoundTrip(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, bitsOf(1, 1));
    assertRoundTrip(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, bitsOf(1, 1, 1));
    assertRoundTrip(new long[] {-5}, bitsOf(1));
  }

  // ---- values -------------------------------------------------------------------------------------------------

  @Test
  void nanStaleMarkersInfinitiesAndSignedZerosKeepTheirBits() {
    long[] vs = {
        STALE_NAN, STALE_NAN, Double.doubleToRawLongBits(Double.NaN), 0x7ff8000000000001L, 0xfff8000000000000L,
        0x7ff0000000000001L, STALE_NAN, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), Double.doubleToRawLongBits(0.0),
        Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(Double.MIN_VALUE), Double.doubleToRawLongBits(-Double.MAX_VALUE),
        Double.doubleToRawLongBits(1e-300), 1L, -1L, STALE_NAN, Double.doubleToRawLongBits(42), STALE_NAN,
    };
    long[] ts = new long[vs.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * 1000L;
    }
    assertRoundTrip(ts, vs);
  }

  @Test
  void aStaleMarkerAloneRoundTrips() {
    assertRoundTrip(new long[] {T0}, new long[] {STALE_NAN});
    XorChunk.Iterator it = XorChunk.iterator(encode(new long[] {T0}, new long[] {STALE_NAN}).bytes());
    assertThat(it.next()).isTrue();
    assertThat(Double.isNaN(it.value())).isTrue();
    assertThat(it.valueBits()).isEqualTo(STALE_NAN);
  }

  @Test
  void randomWalksRoundTrip() {
    Random r = new Random(11);
    for (int trial = 0; trial < 50; trial++) {
      int n = 120;
      long[] vs = new long[n];
      double v = r.nextGaussian() * 1e6;
      for (int i = 0; i < n; i++) {
        v += r.nextGaussian() * (trial % 5 == 0 ? 1e-9 : 10);
        vs[i] = Double.doubleToRawLongBits(v);
      }
      assertRoundTrip(regularTimes(n), vs);
    }
  }

  @Test
  void integersAsDoublesRoundTrip() {
    Random r = new Random(13);
    long[] vs = new long[400];
    long x = 0;
    for (int i = 0; i < vs.length; i++) {
      x += switch (i % 4) {
        case 0 -> r.nextInt(3);
        case 1 -> -r.nextInt(1000);
        case 2 -> 1L << r.nextInt(53);
        default -> 0;
      };
      vs[i] = Double.doubleToRawLongBits((double) x);
    }
    assertRoundTrip(regularTimes(vs.length), vs);
  }

  @Test
  void arbitraryBitPatternsRoundTrip() {
    // Every window shape, including 64 significant bits (written as 0) and leading zeros clamped at 31.
    Random r = new Random(17);
    long[] vs = new long[1000];
    for (int i = 0; i < vs.length; i++) {
      vs[i] = switch (i % 5) {
        case 0 -> r.nextLong();
        case 1 -> vs[i - 1] ^ 1L; // 63 leading zeros, clamped to 31
        case 2 -> vs[i - 1] ^ Long.MIN_VALUE; // the top bit only
        case 3 -> vs[i - 1] ^ (Long.MIN_VALUE | 1L); // 64 significant bits
        default -> vs[i - 1];
      };
    }
    assertRoundTrip(regularTimes(vs.length), vs);
  }

  // ---- iterator and seek --------------------------------------------------------------------------------------

  @Test
  void seekFindsTheFirstSampleAtOrAfterAndNeverMovesBack() {
    XorChunk c = new XorChunk();
    for (int i = 0; i < 100; i++) {
      c.append(i * 10L, i);
    }
    XorChunk.Iterator it = XorChunk.iterator(c.bytes());
    assertThat(it.seek(-50)).as("before the first sample: the first").isTrue();
    assertThat(it.timestamp()).isEqualTo(0);
    assertThat(it.seek(255)).isTrue();
    assertThat(it.timestamp()).isEqualTo(260);
    assertThat(it.value()).isEqualTo(26);
    assertThat(it.seek(260)).as("exact hit stays").isTrue();
    assertThat(it.timestamp()).isEqualTo(260);
    assertThat(it.seek(100)).as("behind the current sample: no move").isTrue();
    assertThat(it.timestamp()).isEqualTo(260);
    assertThat(it.next()).isTrue();
    assertThat(it.timestamp()).isEqualTo(270);
    assertThat(it.seek(990)).isTrue();
    assertThat(it.timestamp()).isEqualTo(990);
    assertThat(it.seek(991)).isFalse();
    assertThat(it.seek(0)).as("exhausted stays exhausted").isFalse();
    assertThat(it.next()).isFalse();
    assertThatThrownBy(it::timestamp).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void seekOnAnEmptyChunkFindsNothing() {
    XorChunk.Iterator it = XorChunk.iterator(new XorChunk().bytes());
    assertThat(it.numSamples()).isZero();
    assertThat(it.seek(Long.MIN_VALUE)).isFalse();
  }

  @Test
  void readingBeforeNextIsAnError() {
    XorChunk.Iterator it = XorChunk.iterator(encode(new long[] {1}, bitsOf(1)).bytes());
    assertThatThrownBy(it::timestamp).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(it::value).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTruncatedChunkFailsLoudly() {
    byte[] full = encode(regularTimes(50), new long[50]).bytes();
    byte[] cut = Arrays.copyOf(full, full.length - 3);
    XorChunk.Iterator it = XorChunk.iterator(cut);
    assertThatThrownBy(() -> {
      while (it.next()) {
        // decode until the bits run out
      }
    }).isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt XOR chunk");
    assertThat(it.next()).isFalse();
    assertThatThrownBy(() -> XorChunk.iterator(new byte[1])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XorChunk.fromBytes(cut)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- appending ----------------------------------------------------------------------------------------------

  @Test
  void timestampsMustIncrease() {
    XorChunk c = new XorChunk();
    c.append(1000, 1);
    assertThatThrownBy(() -> c.append(1000, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.append(999, 2)).isInstanceOf(IllegalArgumentException.class);
    c.append(1001, 2);
    assertDecodes(c.bytes(), new long[] {1000, 1001}, bitsOf(1, 2));
  }

  @Test
  void aChunkHoldsAtMost65535Samples() {
    XorChunk c = new XorChunk();
    for (int i = 0; i < XorChunk.MAX_SAMPLES; i++) {
      c.append(i, 1);
    }
    assertThat(c.numSamples()).isEqualTo(65535);
    assertThat(XorChunk.iterator(c.bytes()).numSamples()).isEqualTo(65535);
    assertThatThrownBy(() -> c.append(1L << 20, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void bytesIsACopy() {
    XorChunk c = encode(new long[] {1, 2}, bitsOf(1, 2));
    byte[] before = c.bytes();
    byte[] snapshot = before.clone();
    c.append(3, 3);
    assertThat(before).isEqualTo(snapshot);
    before[0] = 9;
    assertThat(c.bytes()[0]).isZero();
  }

  // ---- reopening ----------------------------------------------------------------------------------------------

  @Test
  void reopeningAtAnyPointAndAppendingMatchesNeverClosing() {
    Random r = new Random(23);
    int n = 150;
    long[] ts = new long[n];
    long[] vs = new long[n];
    long t = T0;
    double v = 100;
    for (int i = 0; i < n; i++) {
      t += r.nextInt(5) == 0 ? r.nextInt(2_000_000) + 1 : SCRAPE_MS;
      v += r.nextInt(3) == 0 ? r.nextGaussian() : 0;
      ts[i] = t;
      vs[i] = i == 0 ? Double.doubleToRawLongBits(1.0) : Double.doubleToRawLongBits(v);
    }
    byte[] continuous = encode(ts, vs).bytes();
    // Sample 1 changes the value (1.0 → 100), so from k = 2 on the window is known and reopening is invisible.
    for (int k = 2; k <= n; k++) {
      XorChunk c = encode(Arrays.copyOf(ts, k), Arrays.copyOf(vs, k));
      XorChunk reopened = XorChunk.fromBytes(c.bytes());
      assertThat(reopened.numSamples()).isEqualTo(k);
      assertThat(reopened.bytes()).as("reopened after %d, unchanged", k).isEqualTo(c.bytes());
      for (int i = k; i < n; i++) {
        reopened.append(ts[i], Double.longBitsToDouble(vs[i]));
      }
      assertThat(reopened.bytes()).as("reopened after %d", k).isEqualTo(continuous);
    }
  }

  @Test
  void reopeningRepeatedlyKeepsEverySample() {
    Random r = new Random(29);
    long[] ts = regularTimes(200);
    long[] vs = new long[200];
    XorChunk c = new XorChunk();
    for (int i = 0; i < 200; i++) {
      vs[i] = r.nextInt(4) == 0 ? STALE_NAN : Double.doubleToRawLongBits(r.nextInt(10));
      c = XorChunk.fromBytes(c.bytes());
      c.append(ts[i], Double.longBitsToDouble(vs[i]));
    }
    assertDecodes(c.bytes(), ts, vs);
  }

  /**
   * Prometheus' Appender() takes the window from its iterator, which starts at (0, 0). After one sample no '11' has
   * been read, so the reopened appender has the window (0, 0) rather than none, and writes x = 0x7ff0000000000000
   * (1.0 → 2.0) as '10' + all 64 bits: 10011111 11111100 then seven zero bytes (66 bits, 9 bytes), instead of the
   * 24-bit 'c2 5f ff' of a chunk never closed. We do the same, and both decode alike.
   */
  @Test
  void reopeningBeforeAnyWindowFollowsPrometheusWindowZeroZero() {
    XorChunk one = new XorChunk();
    one.append(1000, 1.0);
    XorChunk reopened = XorChunk.fromBytes(one.bytes());
    reopened.append(2000, 2.0);
    assertThat(reopened.bytes()).isEqualTo(hex("00 02 d0 0f 3f f0 00 00 00 00 00 00 e8 07 9f fc 00 00 00 00 00 00 00"));
    assertDecodes(reopened.bytes(), new long[] {1000, 2000}, bitsOf(1.0, 2.0));

    XorChunk never = encode(new long[] {1000, 2000}, bitsOf(1.0, 2.0));
    // The never-closed chunk's last write is a bit that fills its byte exactly: no empty trailing byte.
    assertThat(never.bytes()).isEqualTo(hex("00 02 d0 0f 3f f0 00 00 00 00 00 00 e8 07 c2 5f ff"));
  }

  @Test
  void reopeningAnEmptyChunkIsANewChunk() {
    XorChunk c = XorChunk.fromBytes(new XorChunk().bytes());
    assertThat(c.numSamples()).isZero();
    c.append(1000, 1.0);
    c.append(2000, 2.0);
    assertThat(c.bytes()).isEqualTo(encode(new long[] {1000, 2000}, bitsOf(1.0, 2.0)).bytes());
  }

  @Test
  void reopeningDropsStrayBytesAndBitsAndLeavesTheInputAlone() {
    long[] ts = regularTimes(10);
    long[] vs = bitsOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    XorChunk c = encode(Arrays.copyOf(ts, 9), Arrays.copyOf(vs, 9));
    byte[] clean = c.bytes();
    XorChunk.Iterator it = XorChunk.iterator(clean);
    while (it.next()) {
      // to the end, to learn where the bits stop
    }
    assertThat(clean.length * 8L - it.bitPosition()).as("free bits in the last byte").isEqualTo(4);
    byte[] dirty = Arrays.copyOf(clean, clean.length + 5);
    Arrays.fill(dirty, clean.length, dirty.length, (byte) 0xA5);
    dirty[clean.length - 1] |= 0x01; // a stray bit among the four free ones
    byte[] input = dirty.clone();

    XorChunk reopened = XorChunk.fromBytes(dirty);
    assertThat(dirty).isEqualTo(input);
    assertThat(reopened.bytes()).isEqualTo(clean);
    reopened.append(ts[9], Double.longBitsToDouble(vs[9]));
    assertThat(reopened.bytes()).isEqualTo(encode(ts, vs).bytes());
  }

  @Test
  void reopeningKeepsTheEmptyTrailingByte() {
    XorChunk c = new XorChunk();
    c.append(1000, 1.0);
    XorChunk reopened = XorChunk.fromBytes(c.bytes());
    assertThat(reopened.bytes()).hasSize(13).isEqualTo(c.bytes());
  }
}
