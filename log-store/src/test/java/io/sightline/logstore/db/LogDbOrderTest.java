package io.sightline.logstore.db;

import static io.sightline.logstore.db.Logs.T0;
import static io.sightline.logstore.db.Logs.all;
import static io.sightline.logstore.db.Logs.backward;
import static io.sightline.logstore.db.Logs.config;
import static io.sightline.logstore.db.Logs.select;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.db.Logs.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out-of-order pushes spread over the head, sealed chunks and blocks come back in one order. */
class LogDbOrderTest {
  @TempDir
  Path dir;

  @Test
  void shuffledEntriesComeBackSortedFromEveryPartOfTheStore() throws Exception {
    Random r = new Random(9);
    List<Row> expected = new ArrayList<>();
    List<Labels> streams = List.of(Labels.of("s", "a"), Labels.of("s", "b"), Labels.of("s", "c"));
    int seq = 0;
    try (LogDb db = LogDb.open(dir, config().chunkTargetBytes(700).build())) {
      for (int round = 0; round < 12; round++) {
        LogAppender a = db.appender();
        for (Labels l : streams) {
          List<LogEntry> entries = new ArrayList<>();
          for (int i = 0; i < 15; i++) {
            long ts = T0 + r.nextInt(400) * 1000L; // times repeat across rounds, lines never do
            LogEntry e = new LogEntry(ts, l.get("s") + " #" + seq++, Labels.of("k", "v" + (seq % 4)));
            entries.add(e);
            expected.add(new Row(l, ts, e.line(), e.structuredMetadata()));
          }
          a.append(l, entries);
        }
        a.commit();
        if (round % 4 == 3) {
          db.flush(false);
        }
      }
      // Time, then stream; within a stream and time, the order stored.
      expected.sort(Comparator.comparingLong(Row::ts).thenComparing(Row::stream));
      List<Row> got = all(db);
      assertThat(got).extracting(Row::ts, Row::stream).containsExactlyElementsOf(
          expected.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.ts(), e.stream())).toList());
      assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
      List<Row> back = select(db, backward(List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).rows();
      assertThat(back).containsExactlyInAnyOrderElementsOf(expected);
      for (int i = 1; i < back.size(); i++) {
        Row p = back.get(i - 1);
        Row c = back.get(i);
        assertThat(p.ts() > c.ts() || p.ts() == c.ts() && p.stream().compareTo(c.stream()) <= 0).isTrue();
      }
      // Within one stream, entries of the same time keep the order they were pushed in, head or block.
      db.flush(true);
      List<Row> flushed = all(db);
      assertThat(flushed).containsExactlyInAnyOrderElementsOf(expected);
      for (Labels l : streams) {
        List<Row> mine = flushed.stream().filter(x -> x.stream().equals(l)).toList();
        for (int i = 1; i < mine.size(); i++) {
          if (mine.get(i).ts() == mine.get(i - 1).ts()) {
            assertThat(number(mine.get(i).line())).isGreaterThan(number(mine.get(i - 1).line()));
          }
        }
      }
    }
  }

  private static int number(String line) {
    return Integer.parseInt(line.substring(line.indexOf('#') + 1));
  }
}
