package io.sightline.tracestore.block;

import io.sightline.core.encoding.DecodeBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The frame of the small block files (meta, index, bloom): {@code magic <4B>, version <1B>, body, CRC32C <4B, BE>}
 * with the CRC over everything before it. The data file has the same header but ends with the CRC of its pages' CRCs.
 */
final class BlockFiles {
  static final byte VERSION = 1;
  static final int HEADER = 5;

  static final byte[] META_MAGIC = {'S', 'T', 'M', 'E'};
  static final byte[] INDEX_MAGIC = {'S', 'T', 'I', 'X'};
  static final byte[] BLOOM_MAGIC = {'S', 'T', 'B', 'L'};
  static final byte[] DATA_MAGIC = {'S', 'T', 'D', 'A'};

  private BlockFiles() {}

  static byte[] header(byte[] magic) {
    return new byte[] {magic[0], magic[1], magic[2], magic[3], VERSION};
  }

  /** Writes header, body and CRC, and forces the file to disk. */
  static void write(Path file, byte[] magic, byte[] body) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] header = header(magic);
    crc.update(header);
    crc.update(body);
    int sum = (int) crc.getValue();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(header.length + body.length + 4);
      b.put(header).put(body).putInt(sum).flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** The body of a framed file, after its magic, version and CRC are checked. */
  static DecodeBuffer read(Path file, byte[] magic) throws CorruptBlockException {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CorruptBlockException(file, "cannot be read", e);
    }
    checkHeader(file, all, magic);
    if (all.length < HEADER + 4) {
      throw new CorruptBlockException(file, "too short");
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 4);
    if ((int) crc.getValue() != new DecodeBuffer(all, all.length - 4, 4).getIntBE()) {
      throw new CorruptBlockException(file, "checksum mismatch");
    }
    return new DecodeBuffer(all, HEADER, all.length - HEADER - 4);
  }

  static void checkHeader(Path file, byte[] bytes, byte[] magic) throws CorruptBlockException {
    if (bytes.length < HEADER) {
      throw new CorruptBlockException(file, "too short for its header");
    }
    for (int i = 0; i < 4; i++) {
      if (bytes[i] != magic[i]) {
        throw new CorruptBlockException(file, "wrong magic");
      }
    }
    if (bytes[4] != VERSION) {
      throw new CorruptBlockException(file, "unknown version " + bytes[4]);
    }
  }
}
