package io.sightline.tracestore.column;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import java.util.zip.CRC32C;

/**
 * One column of one row group as stored:
 *
 * <pre>
 *   ┌────────────┬────────────────────┬──────────────────────────┬──────────────────┐
 *   │ codec <1B> │ raw size <uvarint> │ payload                  │ CRC32C <4B, BE>  │
 *   └────────────┴────────────────────┴──────────────────────────┴──────────────────┘
 *   codec 0: payload = the raw bytes; 1: payload = one zstd frame of them. The CRC covers everything before it.
 * </pre>
 */
public final class Page {
  public static final int RAW = 0;
  public static final int ZSTD = 1;
  /** Below this a zstd frame's own header (about a dozen bytes) eats what it saves. */
  static final int MIN_COMPRESS = 64;
  /** Level 3 is zstd's default: near its best ratio for columns like these at a few hundred MB/s per core. */
  static final int ZSTD_LEVEL = 3;

  /**
   * One zstd context per thread, reused: zstd-jni's one-shot calls make a context per call, and setting one up
   * (tables of hundreds of KiB) cost more than decompressing a small page; a search reads hundreds of pages. The
   * threads that touch pages are the store's upkeep and the query pool's, so the contexts are few.
   */
  private static final ThreadLocal<ZstdCompressCtx> COMPRESS = ThreadLocal.withInitial(() -> {
    ZstdCompressCtx ctx = new ZstdCompressCtx();
    ctx.setLevel(ZSTD_LEVEL);
    return ctx;
  });
  private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS = ThreadLocal.withInitial(ZstdDecompressCtx::new);

  private Page() {}

  public static byte[] encode(byte[] raw, int length) {
    EncodeBuffer out = new EncodeBuffer(length / 2 + 16);
    byte[] payload;
    if (length >= MIN_COMPRESS) {
      byte[] src = length == raw.length ? raw : java.util.Arrays.copyOf(raw, length);
      byte[] z = COMPRESS.get().compress(src);
      if (z.length < length) {
        out.putByte(ZSTD).putUvarint(length);
        payload = z;
      } else {
        out.putByte(RAW).putUvarint(length);
        payload = src;
      }
    } else {
      out.putByte(RAW).putUvarint(length);
      payload = java.util.Arrays.copyOf(raw, length);
    }
    out.putBytes(payload);
    CRC32C crc = new CRC32C();
    byte[] head = out.toByteArray();
    crc.update(head);
    return out.putIntBE((int) crc.getValue()).toByteArray();
  }

  /**
   * The raw bytes of a stored page.
   *
   * @throws IllegalArgumentException when the checksum, codec or sizes do not hold
   */
  public static byte[] decode(byte[] page) {
    if (page.length < 6) {
      throw new IllegalArgumentException("page of " + page.length + " bytes is too short");
    }
    CRC32C crc = new CRC32C();
    crc.update(page, 0, page.length - 4);
    DecodeBuffer tail = new DecodeBuffer(page, page.length - 4, 4);
    if ((int) crc.getValue() != tail.getIntBE()) {
      throw new IllegalArgumentException("page checksum mismatch");
    }
    DecodeBuffer in = new DecodeBuffer(page, 0, page.length - 4);
    int codec = in.getByte();
    long rawSize = in.getUvarint();
    if (rawSize > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("page of " + rawSize + " bytes");
    }
    int start = page.length - 4 - in.remaining();
    int len = in.remaining();
    if (codec == RAW) {
      if (len != rawSize) {
        throw new IllegalArgumentException("raw page size mismatch");
      }
      return java.util.Arrays.copyOfRange(page, start, start + len);
    }
    if (codec != ZSTD) {
      throw new IllegalArgumentException("unknown page codec " + codec);
    }
    byte[] out = new byte[(int) rawSize];
    int n;
    try {
      n = DECOMPRESS.get().decompressByteArray(out, 0, out.length, page, start, len);
    } catch (RuntimeException e) { // zstd-jni's ZstdException: a frame that is not one
      throw new IllegalArgumentException("zstd page does not decompress: " + e.getMessage(), e);
    }
    if (n != rawSize) {
      throw new IllegalArgumentException("zstd page does not decompress to its size");
    }
    return out;
  }
}
