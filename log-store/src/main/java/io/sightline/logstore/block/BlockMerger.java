package io.sightline.logstore.block;

import io.sightline.core.model.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges blocks into one by copying their chunks and filters as they are (nothing is decompressed): streams are
 * joined by labels, and each stream's chunks keep their order, older blocks first, which keeps "order stored".
 */
public final class BlockMerger {
  private static final Logger log = LoggerFactory.getLogger(BlockMerger.class);

  private BlockMerger() {}

  /**
   * Writes the merge of {@code sources} (oldest first) into {@code dir}; returns the new block's path, or null when
   * the sources hold no chunk. The new block's {@code walSegment} is the highest of the sources'.
   */
  public static Path merge(Path dir, List<Block> sources) throws IOException {
    TreeMap<Labels, List<Object[]>> streams = new TreeMap<>();
    int walSegment = 0;
    for (Block b : sources) {
      walSegment = Math.max(walSegment, b.walSegment());
      for (int s = 0; s < b.streamCount(); s++) {
        List<Object[]> chunks = streams.computeIfAbsent(b.labels(s), k -> new ArrayList<>());
        for (ChunkRef ref : b.chunks(s)) {
          chunks.add(new Object[] {b, ref});
        }
      }
    }
    if (streams.isEmpty()) {
      return null;
    }
    BlockWriter w = BlockWriter.create(dir, walSegment, sources.get(0).origin());
    try {
      for (var e : streams.entrySet()) {
        w.startStream(e.getKey());
        for (Object[] c : e.getValue()) {
          Block b = (Block) c[0];
          ChunkRef ref = (ChunkRef) c[1];
          byte[] chunk = b.readChunk(ref);
          byte[] filter = b.readFilterRecord(ref);
          if (!crcHolds(chunk) || !crcHolds(filter)) {
            // Copying it would only move the damage; its entries are lost either way.
            log.atError().addKeyValue("block", b.id()).addKeyValue("offset", ref.offset())
                .log("damaged log chunk left out of a merge");
            continue;
          }
          w.addEncoded(ref.minTs(), ref.maxTs(), ref.entries(), ref.rawBytes(), chunk, filter);
        }
      }
      return w.finish();
    } catch (IOException | RuntimeException e) {
      w.abort();
      throw e;
    }
  }

  private static boolean crcHolds(byte[] b) {
    if (b.length < 4) {
      return false;
    }
    CRC32C c = new CRC32C();
    c.update(b, 0, b.length - 4);
    int expected = (b[b.length - 4] & 0xff) << 24 | (b[b.length - 3] & 0xff) << 16 | (b[b.length - 2] & 0xff) << 8
        | b[b.length - 1] & 0xff;
    return (int) c.getValue() == expected;
  }
}
