package io.sightline.logstore.db;

import io.sightline.core.model.Labels;
import io.sightline.logstore.block.Block;
import io.sightline.logstore.block.ChunkRef;
import io.sightline.logstore.block.CorruptBlockException;
import io.sightline.logstore.chunk.DecodedChunk;
import io.sightline.logstore.filter.ChunkFilter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A chunk of a block: its filter is asked first, then it is read and decompressed. */
final class BlockChunkSource extends Source {
  private static final Logger log = LoggerFactory.getLogger(BlockChunkSource.class);

  private final Block block;
  private final ChunkRef ref;
  private final Query query;
  private DecodedChunk chunk;
  private int at;
  private int stop;

  BlockChunkSource(Labels labels, long seq, Block block, ChunkRef ref, Query query) {
    super(labels, seq, query.forward ? ref.minTs() : ref.maxTs());
    this.block = block;
    this.ref = ref;
    this.query = query;
  }

  @Override
  boolean open() throws IOException {
    opened = true;
    try {
      if (query.needleKeys.length > 0) {
        ChunkFilter f = block.readFilter(ref);
        for (long[] keys : query.needleKeys) {
          if (keys.length > 0 && !f.mayContainAll(keys)) {
            query.chunksSkipped++;
            return false;
          }
        }
      }
      byte[] stored = block.readChunk(ref);
      query.compressedBytes += stored.length;
      try {
        chunk = DecodedChunk.decode(stored, 0, stored.length);
      } catch (IllegalArgumentException e) {
        throw new CorruptBlockException(block.file(),
            "chunk at " + ref.offset() + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      // A damaged chunk is left out of the answer and reported; the rest of the store stays readable.
      log.atError().addKeyValue("block", block.id()).addKeyValue("problem", e.getMessage())
          .log("damaged log chunk skipped");
      query.chunksCorrupt++;
      return false;
    }
    query.decompressedBytes += chunk.rawLength();
    int lo = chunk.lowerBound(query.start);
    int hi = chunk.lowerBound(query.end);
    if (lo >= hi) {
      chunk = null;
      return false;
    }
    if (query.forward) {
      at = lo;
      stop = hi;
    } else {
      at = hi - 1;
      stop = lo - 1;
    }
    ts = chunk.timestamp(at);
    query.decompressedEntries++;
    return true;
  }

  @Override
  boolean advance() {
    at += query.forward ? 1 : -1;
    if (at == stop) {
      chunk = null;
      return false;
    }
    ts = chunk.timestamp(at);
    query.decompressedEntries++;
    return true;
  }

  @Override
  byte[] lineBuffer() {
    return chunk.raw();
  }

  @Override
  int lineOffset() {
    return chunk.lineStart(at);
  }

  @Override
  int lineLength() {
    return chunk.lineLength(at);
  }

  @Override
  Labels metadata() {
    return chunk.metadata(at);
  }
}
