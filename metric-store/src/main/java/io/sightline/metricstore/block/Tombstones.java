package io.sightline.metricstore.block;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Deleted time ranges of a block's series: the one mutable file of a block, as in Prometheus, replaced whole (written
 * aside, forced, renamed) on each deletion. Immutable in memory; a deletion makes a new instance.
 *
 * <pre>
 * ┌──────────────────┬─────────────┬────────────┬────────────────────────────────────────────────┬────────────────┐
 * │ magic 0x534C5442 │ version <1> │ count <uv> │ (series id <uv> │ minT <varint> │ maxT <varint>) × n │ CRC32C <4, BE> │
 * └──────────────────┴─────────────┴────────────┴────────────────────────────────────────────────┴────────────────┘
 * </pre>
 */
final class Tombstones {
  static final String FILE = "tombstones";
  private static final int MAGIC = 0x534C5442; // "SLTB"
  private static final byte VERSION = 1;
  static final Tombstones NONE = new Tombstones(Map.of());

  /** Series id → inclusive [minT, maxT] ranges. */
  private final Map<Integer, List<long[]>> bySeries;

  private Tombstones(Map<Integer, List<long[]>> bySeries) {
    this.bySeries = bySeries;
  }

  boolean isEmpty() {
    return bySeries.isEmpty();
  }

  /** The deleted ranges of a series; empty when none. */
  List<long[]> of(int series) {
    return bySeries.getOrDefault(series, List.of());
  }

  /** Whether {@code t} of {@code series} is deleted. */
  static boolean deleted(List<long[]> ranges, long t) {
    for (long[] r : ranges) {
      if (t >= r[0] && t <= r[1]) {
        return true;
      }
    }
    return false;
  }

  /** These plus {@code [minT, maxT]} for each of {@code series}. */
  Tombstones with(int[] series, long minT, long maxT) {
    Map<Integer, List<long[]>> next = new HashMap<>(bySeries);
    for (int id : series) {
      List<long[]> ranges = new ArrayList<>(next.getOrDefault(id, List.of()));
      ranges.add(new long[] {minT, maxT});
      next.put(id, Collections.unmodifiableList(ranges));
    }
    return new Tombstones(Map.copyOf(next));
  }

  static Tombstones read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return NONE;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 9 || ByteBuffer.wrap(bytes).getInt() != MAGIC || bytes[4] != VERSION) {
      throw new CorruptBlockException("tombstones file has no valid header");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
      throw new CorruptBlockException("tombstones file fails its checksum");
    }
    DecodeBuffer d = new DecodeBuffer(bytes, 5, bytes.length - 9);
    long count = d.getUvarint();
    Map<Integer, List<long[]>> bySeries = new HashMap<>();
    for (long i = 0; i < count; i++) {
      int id = (int) d.getUvarint();
      bySeries.computeIfAbsent(id, k -> new ArrayList<>()).add(new long[] {d.getVarint(), d.getVarint()});
    }
    bySeries.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return new Tombstones(Map.copyOf(bySeries));
  }

  void write(Path dir) throws IOException {
    EncodeBuffer b = new EncodeBuffer(64);
    b.putIntBE(MAGIC).putByte(VERSION);
    long count = bySeries.values().stream().mapToLong(List::size).sum();
    b.putUvarint(count);
    for (var e : bySeries.entrySet()) {
      for (long[] r : e.getValue()) {
        b.putUvarint(e.getKey()).putVarint(r[0]).putVarint(r[1]);
      }
    }
    byte[] body = b.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(body));
      ch.write(ByteBuffer.allocate(4).putInt(0, (int) crc.getValue()));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
