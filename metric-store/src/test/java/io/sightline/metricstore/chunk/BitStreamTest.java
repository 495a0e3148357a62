package io.sightline.metricstore.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitStreamTest {

  private static BitWriter empty() {
    return BitWriter.withZeroBytes(0, 0);
  }

  private static String hex(BitWriter w) {
    return HexFormat.of().formatHex(w.toByteArray());
  }

  @Test
  void bitsAreWrittenMostSignificantFirstAndReadBack() {
    BitWriter w = empty();
    w.writeBit(true);
    w.writeBits(0b010, 3);
    w.writeBits(0xABCDL, 16);
    w.writeBits(-1L, 64);
    w.writeBits(0, 0);
    assertThat(w.bitLength()).isEqualTo(84);
    BitReader r = new BitReader(w.toByteArray(), 0);
    assertThat(r.readBit()).isTrue();
    assertThat(r.readBits(3)).isEqualTo(0b010);
    assertThat(r.readBits(16)).isEqualTo(0xABCDL);
    assertThat(r.readBits(64)).isEqualTo(-1L);
    assertThat(r.readBits(0)).isZero();
    assertThat(r.bitPosition()).isEqualTo(84);
    // 1 010 1010101111001101 then 64 ones: aa bc df, seven ff, and f0 (the last four bits zero-filled).
    assertThat(hex(w)).isEqualTo("aabcdf" + "ff".repeat(7) + "f0");
  }

  @Test
  void randomWidthsRoundTrip() {
    Random rnd = new Random(3);
    int n = 5000;
    int[] widths = new int[n];
    long[] values = new long[n];
    BitWriter w = empty();
    for (int i = 0; i < n; i++) {
      widths[i] = rnd.nextInt(65);
      long v = rnd.nextLong();
      values[i] = widths[i] == 64 ? v : widths[i] == 0 ? 0 : v & ((1L << widths[i]) - 1);
      if (rnd.nextBoolean()) {
        w.writeBits(v, widths[i]); // the bits above the width are ignored
      } else {
        w.writeBits(values[i], widths[i]);
      }
    }
    BitReader r = new BitReader(w.toByteArray(), 0);
    for (int i = 0; i < n; i++) {
      assertThat(r.readBits(widths[i])).as("value %d, %d bits", i, widths[i]).isEqualTo(values[i]);
    }
  }

  /** bstream.writeByte on an aligned stream: the byte, then an empty byte that the next write fills. */
  @Test
  void anAlignedWholeByteLeavesAnEmptyTrailingByteLikeGo() {
    BitWriter w = empty();
    w.writeByte(0xAB);
    assertThat(hex(w)).isEqualTo("ab00");
    assertThat(w.bitLength()).isEqualTo(8);
    w.writeBit(true);
    assertThat(hex(w)).isEqualTo("ab80");
    w.writeBits(0, 7); // seven single bits fill the byte exactly: no empty byte after bit writes
    assertThat(hex(w)).isEqualTo("ab80");
    w.writeBits(0x1FF, 9); // a whole byte, then a bit
    assertThat(hex(w)).isEqualTo("ab80ff80");
    w.writeBits(0x7F, 7);
    assertThat(hex(w)).isEqualTo("ab80ffff");
    w.writeBits(0x1234, 16); // two aligned whole bytes: the empty byte again
    assertThat(hex(w)).isEqualTo("ab80ffff123400");
    assertThat(w.bitLength()).isEqualTo(48);
    assertThat(w.byteLength()).isEqualTo(7);
  }

  @Test
  void anUnalignedWholeByteSplitsAcrossTwoBytes() {
    BitWriter w = empty();
    w.writeBits(0b101, 3);
    w.writeByte(0xFF);
    assertThat(hex(w)).isEqualTo("bfe0");
    assertThat(w.bitLength()).isEqualTo(11);
  }

  @Test
  void aStreamCanStartWithAFullHeader() {
    BitWriter w = BitWriter.withZeroBytes(2, 128);
    assertThat(hex(w)).isEqualTo("0000");
    w.writeBit(true);
    w.putUint16(0, 0xBEEF);
    assertThat(hex(w)).isEqualTo("beef80");
  }

  /** Go's binary.PutUvarint / PutVarint outputs, from the encoding/binary definition. */
  @ParameterizedTest(name = "uvarint {0}")
  @CsvSource({
      "0, 00", "1, 01", "127, 7f", "128, 8001", "300, ac02", "16384, 808001",
      "-1, ffffffffffffffffff01", "-9223372036854775808, 80808080808080808001",
  })
  void uvarintMatchesGo(long x, String expected) {
    BitWriter w = empty();
    w.writeUvarint(x);
    w.writeBit(true); // so the empty trailing byte does not show
    assertThat(hex(w)).startsWith(expected).hasSize(expected.length() + 2);
    BitReader r = new BitReader(w.toByteArray(), 0);
    assertThat(r.readUvarint()).isEqualTo(x);
  }

  @ParameterizedTest(name = "varint {0}")
  @CsvSource({
      "0, 00", "-1, 01", "1, 02", "-64, 7f", "64, 8001", "1000, d00f", "-1000, cf0f",
      "9223372036854775807, feffffffffffffffff01", "-9223372036854775808, ffffffffffffffffff01",
  })
  void varintMatchesGo(long x, String expected) {
    BitWriter w = empty();
    w.writeVarint(x);
    w.writeBit(true);
    assertThat(hex(w)).startsWith(expected).hasSize(expected.length() + 2);
    BitReader r = new BitReader(w.toByteArray(), 0);
    assertThat(r.readVarint()).isEqualTo(x);
  }

  @Test
  void varintsNeedNotBeByteAligned() {
    BitWriter w = empty();
    w.writeBits(0b11, 2);
    w.writeVarint(-123_456_789_012L);
    w.writeUvarint(Long.MAX_VALUE);
    BitReader r = new BitReader(w.toByteArray(), 0);
    assertThat(r.readBits(2)).isEqualTo(0b11);
    assertThat(r.readVarint()).isEqualTo(-123_456_789_012L);
    assertThat(r.readUvarint()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void overlongVarintsAreRejectedLikeGo() {
    // Ten bytes whose last carries more than the one bit left of 64: Go's errOverflow.
    byte[] tenthTooBig = HexFormat.of().parseHex("ffffffffffffffffff02");
    assertThatThrownBy(() -> new BitReader(tenthTooBig, 0).readUvarint()).isInstanceOf(IllegalStateException.class);
    byte[] eleven = HexFormat.of().parseHex("8080808080808080808000");
    assertThatThrownBy(() -> new BitReader(eleven, 0).readUvarint()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readingPastTheEndThrows() {
    BitReader r = new BitReader(new byte[] {(byte) 0x80}, 0);
    assertThat(r.readBits(7)).isEqualTo(0b1000000);
    assertThat(r.readBit()).isFalse();
    assertThatThrownBy(r::readBit).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new BitReader(new byte[2], 1).readBits(9)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new BitReader(new byte[] {(byte) 0x80}, 0).readUvarint())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void widthsOutsideZeroTo64AreRejected() {
    assertThatThrownBy(() -> empty().writeBits(0, 65)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> empty().writeBits(0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BitReader(new byte[16], 0).readBits(65)).isInstanceOf(IllegalArgumentException.class);
  }

  /** writeBits as it was first written: whole bytes, then one writeBit per remaining bit. */
  private static void writeBitsOneByOne(BitWriter w, long value, int nbits) {
    if (nbits == 0) {
      return;
    }
    long u = value << (64 - nbits);
    int left = nbits;
    while (left >= 8) {
      w.writeByte((int) (u >>> 56));
      u <<= 8;
      left -= 8;
    }
    while (left > 0) {
      w.writeBit(u < 0);
      u <<= 1;
      left--;
    }
  }

  @org.junit.jupiter.api.Test
  void writingSeveralBitsAtOnceLeavesExactlyWhatOneAtATimeLeaves() {
    java.util.Random r = new java.util.Random(11);
    for (int run = 0; run < 2000; run++) {
      BitWriter fast = BitWriter.withZeroBytes(r.nextInt(3), 4);
      BitWriter slow = BitWriter.withZeroBytes(fast.byteLength(), 4);
      for (int op = 0; op < 40; op++) {
        int kind = r.nextInt(10);
        if (kind == 0) {
          boolean bit = r.nextBoolean();
          fast.writeBit(bit);
          slow.writeBit(bit);
        } else if (kind == 1) {
          int b = r.nextInt(256);
          fast.writeByte(b);
          slow.writeByte(b);
        } else {
          int n = r.nextInt(65);
          long v = r.nextLong();
          fast.writeBits(v, n);
          writeBitsOneByOne(slow, v, n);
        }
        org.assertj.core.api.Assertions.assertThat(fast.toByteArray()).isEqualTo(slow.toByteArray());
        org.assertj.core.api.Assertions.assertThat(fast.bitLength()).isEqualTo(slow.bitLength());
      }
    }
  }
}
