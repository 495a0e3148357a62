package io.sightline.metricstore.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Reads chunks of a block's segment files through read-only memory maps: the page cache holds them, not the heap.
 * A map stays valid after its file is deleted, so a query that is still reading survives a compaction or retention
 * removing the block underneath it.
 */
final class ChunkReader {
  private final TreeMap<Integer, MappedByteBuffer> segments = new TreeMap<>();

  ChunkReader(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.matches("\\d{6}")) {
          continue;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
          MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
          if (map.limit() < ChunkWriter.HEADER_SIZE || map.getInt(0) != ChunkWriter.MAGIC
              || map.get(4) != ChunkWriter.VERSION) {
            throw new CorruptBlockException("chunk file " + f + " has no valid header");
          }
          segments.put(Integer.parseInt(name), map);
        }
      }
    }
  }

  /** The encoded chunk at {@code ref}; its checksum is verified. */
  BlockWriter.EncodedChunk read(long ref, long minT, long maxT) {
    int segment = (int) (ref >>> 32);
    int offset = (int) ref;
    ByteBuffer map = segments.get(segment);
    if (map == null || offset < ChunkWriter.HEADER_SIZE || offset >= map.limit()) {
      throw new CorruptBlockException("chunk reference " + Long.toHexString(ref) + " points outside the chunk files");
    }
    long length = 0;
    int shift = 0;
    int at = offset;
    byte b;
    do {
      if (at >= map.limit() || shift > 28) {
        throw new CorruptBlockException("bad chunk length at " + Long.toHexString(ref));
      }
      b = map.get(at++);
      length |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    if (at + 1 + length + 4 > map.limit()) {
      throw new CorruptBlockException("chunk at " + Long.toHexString(ref) + " runs past its file");
    }
    byte encoding = map.get(at++);
    byte[] data = new byte[(int) length];
    map.get(at, data);
    at += data.length;
    CRC32C crc = new CRC32C();
    crc.update(encoding);
    crc.update(data);
    if (map.getInt(at) != (int) crc.getValue()) {
      throw new CorruptBlockException("chunk at " + Long.toHexString(ref) + " fails its checksum");
    }
    if (encoding != ChunkWriter.ENCODING_XOR && encoding != ChunkWriter.ENCODING_INTEGER
        && encoding != ChunkWriter.ENCODING_HISTOGRAM) {
      throw new CorruptBlockException("chunk at " + Long.toHexString(ref) + " has unknown encoding " + encoding);
    }
    return new BlockWriter.EncodedChunk(minT, maxT, encoding, data);
  }
}
