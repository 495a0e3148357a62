package io.sightline.logstore.block;

import io.sightline.core.encoding.DecodeBuffer;
import java.util.zip.CRC32C;

/** The constants of the block file and the checks every part shares (layout in log-store/FORMAT.md). */
final class BlockFormat {
  /** "SLLB": Sightline log block. */
  static final int MAGIC = 0x534C4C42;
  /** 2: whole-token filter keys by {@code Mixing.hash} (1 used FNV-1a; its filters would miss needles here). */
  static final int VERSION = 2;
  static final int HEADER = 5;
  /** index offset 8B, index length 4B, CRC32C of those 4B, magic 4B. */
  static final int FOOTER = 20;

  private BlockFormat() {}

  static int crc(byte[] b, int from, int length) {
    CRC32C c = new CRC32C();
    c.update(b, from, length);
    return (int) c.getValue();
  }

  /** Whether the last four bytes of the region are the CRC32C of the rest. */
  static boolean crcHolds(byte[] b, int from, int length) {
    return length >= 4 && crc(b, from, length - 4) == new DecodeBuffer(b, from + length - 4, 4).getIntBE();
  }
}
