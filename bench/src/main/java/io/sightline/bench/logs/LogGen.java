package io.sightline.bench.logs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a synthetic JSON log file ({@link LogShapes}) of about {@code --bytes} bytes whose timestamps run evenly
 * over {@code --span} up to {@code --end}, and beside it a sidecar ({@code <file>.needles}) that the load and query
 * benchmarks read: the line and byte counts, the first and last timestamps, the number of lines with a 5xx status,
 * a few trace ids that occur (with their line counts) and one that never does.
 */
@Command(name = "log-gen", mixinStandardHelpOptions = true,
    description = "Writes a synthetic JSON log file and its needles for the log benchmark.")
public final class LogGen implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "The log file to write (one JSON object a line).")
  Path out;

  @Option(names = "--bytes", defaultValue = "1000000000", description = "About this many bytes (whole lines).")
  long bytes;

  @Option(names = "--span", defaultValue = "PT2H", description = "The time the lines cover (ISO-8601 duration).")
  Duration span;

  @Option(names = "--end", description = "The last line's time (ISO-8601 instant); now by default.")
  Instant end;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  /** Where the needles fall: the first trace that starts past each of these fractions of the file. */
  private static final double[] NEEDLE_AT = {0.05, 0.37, 0.63, 0.95};

  /** What the sidecar holds. */
  record Summary(long lines, long bytes, long firstNanos, long lastNanos, long lines5xx, List<Needle> present,
      String absent) {}

  /** A trace id that occurs, and on how many lines. */
  record Needle(String traceId, int lines) {}

  @Override
  public Integer call() throws IOException {
    long t0 = System.nanoTime();
    Summary s = write();
    System.out.printf(Locale.ROOT, "{\"file\":\"%s\",\"lines\":%d,\"bytes\":%d,\"seconds\":%.1f}%n", out, s.lines,
        s.bytes, (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  Summary write() throws IOException {
    Instant last = end != null ? end : Instant.now();
    long endMicros = last.getEpochSecond() * 1_000_000 + last.getNano() / 1000;
    long spanMicros = span.toNanos() / 1000;
    long startMicros = endMicros - spanMicros;
    LogShapes shapes = new LogShapes(seed);
    List<Needle> needles = new ArrayList<>();
    long written = 0;
    long lines = 0;
    long lines5xx = 0;
    long micros = startMicros;
    long firstMicros = 0;
    int nextNeedle = 0;
    Needle pending = null;
    byte[] buf = new byte[1024];
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
      while (written < bytes) {
        // Time follows the bytes written, so that the lines spread evenly over the span and the last is at its end.
        long at = startMicros + (long) ((double) spanMicros * written / bytes);
        micros = Math.max(micros + 1, at);
        LogShapes.Line line = shapes.next(micros);
        if (lines == 0) {
          firstMicros = micros;
        }
        if (line.firstOfTrace()) {
          if (pending != null) {
            needles.add(pending);
            pending = null;
          }
          if (nextNeedle < NEEDLE_AT.length && written >= NEEDLE_AT[nextNeedle] * bytes) {
            pending = new Needle(line.traceId(), line.linesOfTrace());
            nextNeedle++;
          }
        }
        String text = line.text();
        int n = text.length();
        if (buf.length < n + 1) {
          buf = new byte[2 * (n + 1)];
        }
        for (int i = 0; i < n; i++) {
          buf[i] = (byte) text.charAt(i); // the lines are ASCII
        }
        buf[n] = '\n';
        o.write(buf, 0, n + 1);
        written += n + 1;
        lines++;
        if (line.status() >= 500) {
          lines5xx++;
        }
      }
    }
    if (pending != null) {
      needles.add(pending);
    }
    String absent = LogShapes.traceIdFrom(new SplittableRandom(~seed * 31 + 7));
    Summary summary = new Summary(lines, written, firstMicros * 1000, micros * 1000, lines5xx, needles, absent);
    writeSidecar(needlesPath(out), summary);
    return summary;
  }

  static Path needlesPath(Path logFile) {
    return logFile.resolveSibling(logFile.getFileName() + ".needles");
  }

  private static void writeSidecar(Path path, Summary s) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8))) {
      w.println("lines " + s.lines);
      w.println("bytes " + s.bytes);
      w.println("first_ns " + s.firstNanos);
      w.println("last_ns " + s.lastNanos);
      w.println("lines_5xx " + s.lines5xx);
      for (Needle n : s.present) {
        w.println("present " + n.traceId + " " + n.lines);
      }
      w.println("absent " + s.absent);
    }
  }
}
