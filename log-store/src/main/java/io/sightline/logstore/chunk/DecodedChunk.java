package io.sightline.logstore.chunk;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A chunk decompressed for reading: the raw payload, with each entry's time, line position and metadata position
 * found once. Lines stay bytes in {@link #raw()}; metadata strings are made only when an entry's metadata is asked
 * for, once per distinct string.
 */
public final class DecodedChunk {
  private static final ThreadLocal<ZstdDecompressCtx> ZSTD = ThreadLocal.withInitial(ZstdDecompressCtx::new);

  private final byte[] raw;
  private final long[] ts;
  private final int[] metaAt;
  private final int[] lineStart;
  private final int[] lineLength;
  private final int[] symbolAt;
  private final String[] symbols;

  private DecodedChunk(byte[] raw, long[] ts, int[] metaAt, int[] lineStart, int[] lineLength, int[] symbolAt) {
    this.raw = raw;
    this.ts = ts;
    this.metaAt = metaAt;
    this.lineStart = lineStart;
    this.lineLength = lineLength;
    this.symbolAt = symbolAt;
    this.symbols = new String[symbolAt.length];
  }

  /**
   * Checks and decodes a chunk as {@link ChunkEncoder} wrote it.
   *
   * @throws IllegalArgumentException when the checksum, codec or structure does not hold
   */
  public static DecodedChunk decode(byte[] b, int from, int length) {
    if (length < 6) {
      throw new IllegalArgumentException("chunk of " + length + " bytes is too short");
    }
    CRC32C crc = new CRC32C();
    crc.update(b, from, length - 4);
    if ((int) crc.getValue() != new DecodeBuffer(b, from + length - 4, 4).getIntBE()) {
      throw new IllegalArgumentException("chunk checksum mismatch");
    }
    DecodeBuffer in = new DecodeBuffer(b, from, length - 4);
    int codec = in.getByte();
    if (codec != ChunkEncoder.CODEC_ZSTD) {
      throw new IllegalArgumentException("unknown chunk codec " + codec);
    }
    long rawLength = in.getUvarint();
    if (rawLength > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("chunk of " + rawLength + " raw bytes");
    }
    int zAt = from + length - 4 - in.remaining();
    byte[] raw = new byte[(int) rawLength];
    int n;
    try {
      n = ZSTD.get().decompressByteArray(raw, 0, raw.length, b, zAt, in.remaining());
    } catch (RuntimeException e) { // zstd-jni's ZstdException: not a frame
      throw new IllegalArgumentException("chunk does not decompress: " + e.getMessage(), e);
    }
    if (n != rawLength) {
      throw new IllegalArgumentException("chunk decompresses to " + n + " bytes, not " + rawLength);
    }
    return parse(raw);
  }

  private static DecodedChunk parse(byte[] raw) {
    DecodeBuffer in = new DecodeBuffer(raw);
    int count = checkedCount(in.getUvarint(), raw.length);
    int symbolCount = checkedCount(in.getUvarint(), raw.length);
    int[] symbolAt = new int[symbolCount];
    for (int s = 0; s < symbolCount; s++) {
      symbolAt[s] = raw.length - in.remaining();
      in.skip(checkedCount(in.getUvarint(), raw.length));
    }
    long[] ts = new long[count];
    long t = 0;
    for (int i = 0; i < count; i++) {
      t = i == 0 ? in.getVarint() : t + in.getUvarint();
      ts[i] = t;
    }
    int[] metaAt = new int[count];
    for (int i = 0; i < count; i++) {
      metaAt[i] = raw.length - in.remaining();
      int pairs = checkedCount(in.getUvarint(), raw.length);
      for (int p = 0; p < 2 * pairs; p++) {
        if (in.getUvarint() >= symbolCount) {
          throw new IllegalArgumentException("metadata names a symbol past the table");
        }
      }
    }
    int[] lineLength = new int[count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      lineLength[i] = checkedCount(in.getUvarint(), raw.length);
      total += lineLength[i];
    }
    if (total != in.remaining()) {
      throw new IllegalArgumentException("lines take " + in.remaining() + " bytes, their lengths say " + total);
    }
    int[] lineStart = new int[count];
    int at = raw.length - in.remaining();
    for (int i = 0; i < count; i++) {
      lineStart[i] = at;
      at += lineLength[i];
    }
    return new DecodedChunk(raw, ts, metaAt, lineStart, lineLength, symbolAt);
  }

  private static int checkedCount(long n, int limit) {
    if (n < 0 || n > limit) {
      throw new IllegalArgumentException("count " + n + " past the chunk's " + limit + " bytes");
    }
    return (int) n;
  }

  public int count() {
    return ts.length;
  }

  public long timestamp(int i) {
    return ts[i];
  }

  /** The buffer that holds every line; {@link #lineStart} and {@link #lineLength} place one. */
  public byte[] raw() {
    return raw;
  }

  public int lineStart(int i) {
    return lineStart[i];
  }

  public int lineLength(int i) {
    return lineLength[i];
  }

  /** Bytes of the raw payload: what a query counts as decompressed. */
  public int rawLength() {
    return raw.length;
  }

  /** The first entry at or after {@code t}; {@link #count()} if none. */
  public int lowerBound(long t) {
    int lo = 0;
    int hi = ts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  public Labels metadata(int i) {
    DecodeBuffer in = new DecodeBuffer(raw, metaAt[i], raw.length - metaAt[i]);
    int pairs = (int) in.getUvarint();
    if (pairs == 0) {
      return Labels.EMPTY;
    }
    String[] nv = new String[2 * pairs];
    for (int p = 0; p < nv.length; p++) {
      nv[p] = symbol((int) in.getUvarint());
    }
    return Labels.of(nv);
  }

  private String symbol(int s) {
    String v = symbols[s];
    if (v == null) {
      DecodeBuffer in = new DecodeBuffer(raw, symbolAt[s], raw.length - symbolAt[s]);
      int n = (int) in.getUvarint();
      int at = raw.length - in.remaining();
      v = new String(raw, at, n, StandardCharsets.UTF_8);
      symbols[s] = v;
    }
    return v;
  }
}
