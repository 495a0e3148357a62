package io.sightline.logstore.probe;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.core.wal.WalConfig;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogStoreConfig;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.db.LogDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Not a test: a probe of the store alone, run by hand ({@code java -cp … LogStoreProbe [MiB] [dir]}). Ingests JSON
 * lines with 32-hex trace ids from one thread into 16 streams, lets the upkeep write blocks, then reports ingest rate,
 * bytes on disk per raw byte (blocks only, after close) and the time of trace-id needle queries.
 */
public final class LogStoreProbe {
  private LogStoreProbe() {}

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("logprobe");
    Random r = new Random(1);
    LogStoreConfig config = LogStoreConfig.builder().retention(Duration.ZERO)
        .wal(new WalConfig(WalConfig.DEFAULT_SEGMENT_SIZE, WalConfig.Sync.INTERVAL, Duration.ofSeconds(1))).build();
    List<String> needles = new ArrayList<>();
    long raw = 0;
    long began = System.nanoTime();
    long t = 1_767_225_600_000_000_000L;
    try (LogDb db = LogDb.open(dir, config)) {
      int batch = 0;
      while (raw < mib << 20) {
        LogAppender a = db.appender();
        List<LogEntry> entries = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
          String id = hex(r, 16);
          if (r.nextInt(20000) == 0) {
            needles.add(id);
          }
          String line = "{\"ts\":\"2026-01-01T00:00:00." + i + "Z\",\"level\":\"" + (i % 9 == 0 ? "error" : "info")
              + "\",\"trace_id\":\"" + id + "\",\"span_id\":\"" + hex(r, 8) + "\",\"msg\":\"request served\","
              + "\"duration_ms\":" + r.nextInt(2000) + ",\"path\":\"/api/orders/" + r.nextInt(100000) + "\"}";
          raw += line.length();
          entries.add(new LogEntry(t += 10_000, line, Labels.EMPTY));
        }
        while (true) {
          try {
            a.append(Labels.of("service", "svc" + batch % 16), entries);
            a.commit();
            break;
          } catch (io.sightline.logstore.HeadFullException e) {
            a.rollback();
            Thread.sleep(20);
          }
        }
        batch++;
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      System.out.printf("ingested %d MiB in %.1f s: %.1f MB/s%n", raw >> 20, seconds, raw / 1e6 / seconds);
    }
    long blocks;
    try (var files = Files.list(dir.resolve("blocks"))) {
      blocks = files.mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf("blocks %d bytes: %.4f bytes per raw byte%n", blocks, blocks / (double) raw);
    try (LogDb db = LogDb.open(dir, config)) {
      for (String needle : needles.subList(0, Math.min(10, needles.size()))) {
        long q0 = System.nanoTime();
        int found = 0;
        SelectRequest req = new SelectRequest(List.of(), Long.MIN_VALUE, Long.MAX_VALUE,
            SelectRequest.Direction.BACKWARD, LineFilterHint.contains(needle));
        byte[] n = needle.getBytes();
        try (EntryIterator it = db.querier().select(req)) {
          while (it.next()) {
            if (contains(it.lineBuffer(), it.lineOffset(), it.lineLength(), n)) {
              found++;
            }
          }
          System.out.printf("needle: %.1f ms, found %d, %s%n", (System.nanoTime() - q0) / 1e6, found, it.stats());
        }
      }
    }
  }

  private static String hex(Random r, int bytes) {
    byte[] b = new byte[bytes];
    r.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static boolean contains(byte[] b, int off, int len, byte[] n) {
    outer:
    for (int i = off; i + n.length <= off + len; i++) {
      for (int j = 0; j < n.length; j++) {
        if (b[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return Arrays.equals(n, new byte[0]);
  }
}
