package io.sightline.collector.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent side of a sending queue: one file per queued request in a directory of its own, written whole and
 * fsynced before the request counts as taken, deleted once the request is done with (sent, or dropped for good).
 * The format is in {@code FORMAT.md} beside this class.
 */
final class FileQueue<R> {
  private static final Logger log = LoggerFactory.getLogger(FileQueue.class);
  static final int MAGIC = 0x534c5131; // "SLQ1"
  static final byte VERSION = 1;
  static final String SUFFIX = ".batch";
  /** magic, version, items, payload length; then the payload and a CRC32C of everything before it. */
  static final int HEADER = 4 + 1 + 4 + 4;

  private final Path dir;
  private final QueueCodec<R> codec;
  private long nextSeq;

  /** A request read back at start, with its file and the items it carries. */
  record Stored<R>(R request, int items, Path file) {}

  FileQueue(Path dir, QueueCodec<R> codec) {
    this.dir = dir;
    this.codec = codec;
  }

  /**
   * The requests left by the last run, oldest first. A file that does not read back (torn by a crash before its
   * rename cannot be: those are {@code .tmp}; so this is damage) is renamed {@code .corrupt} and skipped.
   */
  List<Stored<R>> recover() throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p); // written but never taken: its sender was not told yes
        } else if (name.endsWith(SUFFIX)) {
          files.add(p);
        }
      }
    }
    files.sort(null); // the names are zero-padded sequence numbers
    List<Stored<R>> out = new ArrayList<>();
    for (Path p : files) {
      String name = p.getFileName().toString();
      nextSeq = Math.max(nextSeq, Long.parseLong(name.substring(0, name.length() - SUFFIX.length())) + 1);
      try {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < HEADER + 4 || b.getInt() != MAGIC || b.get() != VERSION) {
          throw new IOException("not a queue file of version " + VERSION);
        }
        int items = b.getInt();
        int length = b.getInt();
        if (length < 0 || HEADER + length + 4 != all.length) {
          throw new IOException("payload length " + length + " does not match the file's size " + all.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, HEADER + length);
        if ((int) crc.getValue() != ByteBuffer.wrap(all, HEADER + length, 4).getInt()) {
          throw new IOException("checksum mismatch");
        }
        byte[] payload = new byte[length];
        System.arraycopy(all, HEADER, payload, 0, length);
        out.add(new Stored<>(codec.decode(payload), items, p));
      } catch (IOException | RuntimeException e) {
        Path aside = p.resolveSibling(name + ".corrupt");
        log.atError().addKeyValue("file", p).addKeyValue("error", e.getMessage())
            .log("persistent queue: a queued request does not read back; moved aside, not sent");
        Files.move(p, aside, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return out;
  }

  /** Writes {@code request} durably; when this returns, a crash no longer loses it. */
  synchronized Path write(R request, int items) throws IOException {
    byte[] payload = codec.encode(request);
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length + 4);
    b.putInt(MAGIC).put(VERSION).putInt(items).putInt(payload.length).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, HEADER + payload.length);
    b.putInt((int) crc.getValue()).flip();
    String name = String.format("%020d", nextSeq++);
    Path tmp = dir.resolve(name + ".tmp");
    Path done = dir.resolve(name + SUFFIX);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, done);
    }
    syncDirectory();
    return done;
  }

  void remove(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.atWarn().addKeyValue("file", file).addKeyValue("error", e.getMessage())
          .log("persistent queue: cannot delete a finished request; it will be sent again after a restart");
    }
  }

  /** Makes the rename itself durable (Linux lets a directory be opened and fsynced; elsewhere this is skipped). */
  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not possible on this platform: the file's own fsync is what we have
    }
  }
}
