package io.sightline.logstore.chunk;

import com.github.luben.zstd.ZstdCompressCtx;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.zip.CRC32C;

/**
 * Encodes a stream's sorted entries as one chunk (layout in {@code log-store/FORMAT.md}):
 *
 * <pre>
 *   ┌────────────┬──────────────────────┬───────────────────────────────┬────────────────┐
 *   │ codec <1B> │ raw length <uvarint> │ zstd frame of the raw payload │ CRC32C <4B BE> │
 *   └────────────┴──────────────────────┴───────────────────────────────┴────────────────┘
 *   raw payload: entries · symbols · times (first, then deltas) · metadata refs · line lengths · lines
 * </pre>
 *
 * Columns apart compress better than entries one after another: the times are small deltas, the metadata names
 * repeat, and the lines sit next to lines. One instance per thread (it keeps its zstd context and buffers).
 */
public final class ChunkEncoder {
  public static final int CODEC_ZSTD = 1;
  /**
   * Level 3 is zstd's default: over 4 MiB of JSON lines it is within a few percent of level 9 and several times
   * faster, and the upkeep thread that compresses shares the cores with ingestion.
   */
  public static final int ZSTD_LEVEL = 3;

  private final ZstdCompressCtx zstd = new ZstdCompressCtx();
  private final EncodeBuffer raw = new EncodeBuffer(1 << 16);
  private final EncodeBuffer meta = new EncodeBuffer(1 << 12);
  private final EncodeBuffer symbols = new EncodeBuffer(1 << 12);
  private final HashMap<String, Integer> symbolIds = new HashMap<>();

  public ChunkEncoder() {
    zstd.setLevel(ZSTD_LEVEL);
  }

  /**
   * The chunk of entries {@code 0..count-1}, sorted by time: entry i's line is
   * {@code lines[lineEnd[i-1] .. lineEnd[i])} (from 0 for the first).
   */
  public byte[] encode(long[] ts, byte[] lines, int[] lineEnd, Labels[] metadata, int count) {
    raw.reset();
    meta.reset();
    symbols.reset();
    symbolIds.clear();
    for (int i = 0; i < count; i++) {
      Labels m = metadata[i];
      int n = m == null ? 0 : m.size();
      meta.putUvarint(n);
      for (int p = 0; p < n; p++) {
        meta.putUvarint(symbol(m.name(p)));
        meta.putUvarint(symbol(m.value(p)));
      }
    }
    raw.putUvarint(count);
    raw.putUvarint(symbolIds.size());
    raw.putBuffer(symbols);
    long previous = 0;
    for (int i = 0; i < count; i++) {
      if (i == 0) {
        raw.putVarint(ts[0]);
      } else {
        raw.putUvarint(ts[i] - previous);
      }
      previous = ts[i];
    }
    raw.putBuffer(meta);
    int start = 0;
    for (int i = 0; i < count; i++) {
      raw.putUvarint(lineEnd[i] - start);
      start = lineEnd[i];
    }
    raw.putBytes(lines, 0, count == 0 ? 0 : lineEnd[count - 1]);
    byte[] payload = raw.toByteArray();
    byte[] z = zstd.compress(payload);
    EncodeBuffer out = new EncodeBuffer(z.length + 16);
    out.putByte(CODEC_ZSTD).putUvarint(payload.length).putBytes(z);
    byte[] body = out.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    return out.putIntBE((int) crc.getValue()).toByteArray();
  }

  private int symbol(String s) {
    Integer id = symbolIds.get(s);
    if (id == null) {
      id = symbolIds.size();
      symbolIds.put(s, id);
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      symbols.putUvarint(b.length).putBytes(b);
    }
    return id;
  }
}
