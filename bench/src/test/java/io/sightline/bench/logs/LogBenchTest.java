package io.sightline.bench.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;
import picocli.CommandLine;

/**
 * The log benchmark's parts: the push encoder read back with protobuf's own decoder, the generator's determinism and
 * the truth of its sidecar (which the query benchmark checks answers against), and the loader against a toy
 * receiver that counts what it decodes.
 */
class LogBenchTest {
  @TempDir
  Path dir;

  /** A decoded entry: its stream, time and line. */
  record Decoded(String labels, long nanos, String line) {}

  static List<Decoded> decode(byte[] request) throws IOException {
    List<Decoded> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(request);
    while (!in.isAtEnd()) {
      assertThat(in.readTag()).isEqualTo((1 << 3) | 2);
      CodedInputStream stream = CodedInputStream.newInstance(in.readByteArray());
      String labels = null;
      while (!stream.isAtEnd()) {
        int tag = stream.readTag();
        if (tag == ((1 << 3) | 2)) {
          labels = stream.readString();
          continue;
        }
        assertThat(tag).isEqualTo((2 << 3) | 2);
        CodedInputStream entry = CodedInputStream.newInstance(stream.readByteArray());
        long seconds = 0;
        int nanos = 0;
        String line = null;
        while (!entry.isAtEnd()) {
          int t = entry.readTag();
          if (t == ((1 << 3) | 2)) {
            CodedInputStream ts = CodedInputStream.newInstance(entry.readByteArray());
            while (!ts.isAtEnd()) {
              int f = ts.readTag() >>> 3;
              if (f == 1) {
                seconds = ts.readInt64();
              } else {
                assertThat(f).isEqualTo(2);
                nanos = ts.readInt32();
              }
            }
          } else {
            assertThat(t).isEqualTo((2 << 3) | 2);
            line = entry.readString();
          }
        }
        out.add(new Decoded(labels, seconds * 1_000_000_000L + nanos, line));
      }
    }
    return out;
  }

  @Test
  void pushEncoderWritesWhatProtobufReadsBack() throws IOException {
    PushEncoder.StreamEntries a = new PushEncoder.StreamEntries("{env=\"prod\", service_name=\"cart\"}");
    a.add(1_764_777_600_123_456_789L, "first line".getBytes(StandardCharsets.UTF_8));
    a.add(1_764_777_601_000_000_000L, "zero nanos".getBytes(StandardCharsets.UTF_8)); // nanos field left out
    for (int i = 0; i < 100; i++) { // past the entry array's first growth
      a.add(1_764_777_602_000_000_000L + i, ("line " + i + " é").getBytes(StandardCharsets.UTF_8));
    }
    PushEncoder.StreamEntries b = new PushEncoder.StreamEntries("{service_name=\"ü\"}");
    b.add(5, "x".repeat(300).getBytes(StandardCharsets.UTF_8));

    List<Decoded> decoded = decode(PushEncoder.encode(List.of(a, b)));

    assertThat(decoded).hasSize(103);
    assertThat(decoded.get(0)).isEqualTo(new Decoded(a.labels, 1_764_777_600_123_456_789L, "first line"));
    assertThat(decoded.get(1)).isEqualTo(new Decoded(a.labels, 1_764_777_601_000_000_000L, "zero nanos"));
    assertThat(decoded.get(101)).isEqualTo(new Decoded(a.labels, 1_764_777_602_000_000_099L, "line 99 é"));
    assertThat(decoded.get(102)).isEqualTo(new Decoded("{service_name=\"ü\"}", 5, "x".repeat(300)));
  }

  private LogGen.Summary generate(Path file, long seed, long bytes) throws IOException {
    LogGen gen = new LogGen();
    new CommandLine(gen).parseArgs("--out", file.toString(), "--bytes", Long.toString(bytes), "--seed",
        Long.toString(seed), "--span", "PT1H", "--end", "2026-12-03T12:00:00Z");
    return gen.write();
  }

  @Test
  void generatorIsDeterministicAndItsSidecarTellsTheTruth() throws IOException {
    Path one = dir.resolve("one.log");
    Path two = dir.resolve("two.log");
    Path other = dir.resolve("other.log");
    LogGen.Summary s = generate(one, 1, 2_000_000);
    generate(two, 1, 2_000_000);
    generate(other, 2, 2_000_000);
    assertThat(Files.mismatch(one, two)).isEqualTo(-1);
    assertThat(Files.readString(LogGen.needlesPath(one))).isEqualTo(Files.readString(LogGen.needlesPath(two)));
    assertThat(Files.mismatch(one, other)).isNotEqualTo(-1);

    List<String> lines = Files.readAllLines(one);
    assertThat(lines).hasSize((int) s.lines());
    assertThat(Files.size(one)).isEqualTo(s.bytes()).isBetween(2_000_000L, 2_001_000L);
    assertThat(s.bytes() / s.lines()).isBetween(250L, 350L);
    assertThat(lines.stream().filter(l -> l.contains("\"status\":5")).count()).isEqualTo(s.lines5xx());
    assertThat((double) s.lines5xx() / s.lines()).isBetween(0.01, 0.03);
    assertThat(s.present()).hasSize(4);
    for (LogGen.Needle n : s.present()) {
      assertThat(lines.stream().filter(l -> l.contains(n.traceId())).count()).as(n.traceId()).isEqualTo(n.lines());
    }
    assertThat(lines).noneMatch(l -> l.contains(s.absent()));

    // Times rise line by line from about the span's start to its end, and the loader reads them back exactly.
    long end = Instant.parse("2026-12-03T12:00:00Z").toEpochMilli() * 1_000_000L;
    assertThat(s.lastNanos()).isBetween(end - 1_000_000_000L, end);
    assertThat(s.firstNanos()).isBetween(end - 3_600_000_000_000L, end - 3_599_000_000_000L);
    LogLines reader = new LogLines(new ByteArrayInputStream(Files.readAllBytes(one)));
    long previous = Long.MIN_VALUE;
    Set<String> services = new HashSet<>();
    long first = 0;
    for (byte[] line = reader.next(); line != null; line = reader.next()) {
      long ts = reader.timestampNanos(line, -1);
      assertThat(ts).isGreaterThan(previous);
      first = previous == Long.MIN_VALUE ? ts : first;
      previous = ts;
      services.add(LogLines.field(line, LogLines.key("service"), "?"));
    }
    assertThat(first).isEqualTo(s.firstNanos());
    assertThat(previous).isEqualTo(s.lastNanos());
    assertThat(services).hasSize(LogShapes.SERVICES.length);
  }

  @Test
  void logLoadCountsWhatTheReceiverDecodedAndRetriesPushBack() throws Exception {
    Path file = dir.resolve("load.log");
    LogGen.Summary s = generate(file, 3, 3_000_000);
    AtomicLong lines = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicInteger calls = new AtomicInteger();
    Set<String> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Server server = Server.builder().http(0).service("/loki/api/v1/push", (ctx, req) ->
        HttpResponse.of(req.aggregate().thenApply(body -> {
          if (calls.incrementAndGet() % 3 == 0) {
            return HttpResponse.of(HttpStatus.TOO_MANY_REQUESTS); // every third try is pushed back
          }
          try {
            for (Decoded d : decode(Snappy.uncompress(body.content().array()))) {
              lines.incrementAndGet();
              bytes.addAndGet(d.line().getBytes(StandardCharsets.UTF_8).length + 1);
              streams.add(d.labels());
            }
            return HttpResponse.of(HttpStatus.NO_CONTENT);
          } catch (IOException e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST);
          }
        }))).build();
    server.start().join();
    try {
      LogLoad load = new LogLoad();
      new CommandLine(load).parseArgs("--url", "http://127.0.0.1:" + server.activeLocalPort() + "/loki/api/v1/push",
          "--file", file.toString(), "--batch-bytes", "262144", "--concurrency", "3");
      LogLoad.Result r = load.run();
      assertThat(r.failures()).isEmpty();
      assertThat(r.lines()).isEqualTo(s.lines()).isEqualTo(lines.get());
      assertThat(r.rawBytes()).isEqualTo(s.bytes()).isEqualTo(bytes.get());
      assertThat(r.retries()).isPositive();
      assertThat(streams).hasSizeBetween(LogShapes.SERVICES.length, 3 * LogShapes.SERVICES.length)
          .allMatch(l -> l.startsWith("{env=\"prod\", level=\"") && l.contains(", service_name=\""));
    } finally {
      server.stop().join();
    }
  }
}
