package io.sightline.metricstore.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Histogram.ResetHint;
import io.sightline.core.model.Histogram.Span;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.wal.WalConfig;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.Appender.Outcome;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.metricstore.SeriesRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native histograms through every stage of the store: head, WAL replay, checkpoints, blocks, merges, deletion. */
class NativeHistogramStorageTest {
  private static final long HOUR = 3600_000L;
  private static final long STEP = 15_000L;
  private static final Labels LATENCY = Labels.of("__name__", "latency_seconds", "job", "api");
  private static final Labels MIXED = Labels.of("__name__", "mixed", "job", "api");

  @TempDir
  Path dir;

  private static TsdbOptions options() {
    return new TsdbOptions(new WalConfig(1 << 20, WalConfig.Sync.NEVER, null), 10 * 60_000L, 1000,
        TsdbOptions.DEFAULT_BLOCK_RANGE_MS, 0, 0, Duration.ofHours(1));
  }

  /** The histogram written at {@code t}: counts grow with time, the layout widens every hour. */
  static Histogram at(long t) {
    long n = t / STEP;
    int buckets = 2 + (int) (t / HOUR);
    double[] positive = new double[buckets];
    for (int b = 0; b < buckets; b++) {
      positive[b] = n * (b + 1);
    }
    return new Histogram(ResetHint.NO, 3, 1e-9, n % 7, n * 100, n * 12.5, List.of(new Span(-1, buckets)), positive,
        List.of(new Span(0, 1)), new double[] {n}, null);
  }

  /** Latency gets a histogram every step; mixed switches kind every 20 minutes. */
  private static void write(Tsdb db, long from, long to) throws IOException {
    Appender a = db.appender();
    SeriesRef latency = a.ref(LATENCY);
    SeriesRef mixed = a.ref(MIXED);
    for (long t = from; t < to; t += STEP) {
      assertThat(a.appendHistogram(latency, t, at(t))).isEqualTo(Outcome.ACCEPTED);
      Outcome o = (t / (20 * 60_000L)) % 2 == 0 ? a.append(mixed, t, t / 1000.0) : a.appendHistogram(mixed, t, at(t));
      assertThat(o).isEqualTo(Outcome.ACCEPTED);
      if ((t / STEP) % 97 == 0) {
        a.commit();
      }
    }
    a.commit();
  }

  private static List<long[]> read(Tsdb db, Labels labels, List<Histogram> histograms) {
    Series s = db.querier().select(List.of(LabelMatcher.equal("__name__", labels.get("__name__"))),
        Long.MIN_VALUE, Long.MAX_VALUE).get(0);
    List<long[]> points = new ArrayList<>();
    SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
    while (it.next()) {
      points.add(new long[] {it.timestamp(), it.histogram() == null ? 0 : 1});
      if (it.histogram() != null) {
        histograms.add(it.histogram());
      } else {
        assertThat(it.value()).isEqualTo(it.timestamp() / 1000.0);
      }
    }
    return points;
  }

  /** Every sample written in {@code [from, to)} reads back, in order and of the right kind, and nothing else. */
  private static void assertHolds(Tsdb db, long from, long to) {
    List<Histogram> histograms = new ArrayList<>();
    List<long[]> latency = read(db, LATENCY, histograms);
    assertThat(latency).hasSize((int) ((to - from) / STEP));
    for (int i = 0; i < latency.size(); i++) {
      long t = from + i * STEP;
      assertThat(latency.get(i)[0]).isEqualTo(t);
      assertThat(histograms.get(i)).isEqualTo(at(t));
    }
    List<Histogram> mixedHistograms = new ArrayList<>();
    List<long[]> mixed = read(db, MIXED, mixedHistograms);
    assertThat(mixed).hasSize((int) ((to - from) / STEP));
    int h = 0;
    for (int i = 0; i < mixed.size(); i++) {
      long t = from + i * STEP;
      assertThat(mixed.get(i)[0]).isEqualTo(t);
      boolean histogram = (t / (20 * 60_000L)) % 2 == 1;
      assertThat(mixed.get(i)[1]).as("kind at %s", t).isEqualTo(histogram ? 1 : 0);
      if (histogram) {
        assertThat(mixedHistograms.get(h++)).isEqualTo(at(t));
      }
    }
  }

  @Test
  void histogramsSurviveReplayBlocksMergesAndReopening() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 2 * HOUR);
      assertHolds(db, 0, 2 * HOUR);
    }
    try (Tsdb db = Tsdb.open(dir, options())) { // the WAL replays
      assertHolds(db, 0, 2 * HOUR);
      write(db, 2 * HOUR, 10 * HOUR);
      db.maintain(); // blocks cut, checkpoint written, three blocks merged
      assertThat(db.blocks()).isNotEmpty();
      assertThat(db.blocks().get(0).meta().level()).isEqualTo(2);
      assertHolds(db, 0, 10 * HOUR);
    }
    Tsdb killed = Tsdb.open(dir, options()); // from blocks, the checkpoint and the WAL after it
    assertHolds(killed, 0, 10 * HOUR);
    write(killed, 10 * HOUR, 11 * HOUR);
    // not closed: the WAL is as a killed process leaves it
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertHolds(db, 0, 11 * HOUR);
    }
  }

  @Test
  void outOfOrderDuplicateAndIdenticalHistogramsAreToldApart() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      Appender a = db.appender();
      SeriesRef ref = a.ref(LATENCY);
      assertThat(a.appendHistogram(ref, 60_000, at(60_000))).isEqualTo(Outcome.ACCEPTED);
      // within the batch
      assertThat(a.appendHistogram(ref, 60_000, at(60_000))).isEqualTo(Outcome.IDENTICAL);
      assertThat(a.appendHistogram(ref, 60_000, at(75_000))).isEqualTo(Outcome.DUPLICATE);
      assertThat(a.append(ref, 60_000, 1)).isEqualTo(Outcome.DUPLICATE);
      assertThat(a.appendHistogram(ref, 45_000, at(45_000))).isEqualTo(Outcome.OUT_OF_ORDER);
      a.commit();
      // against what is committed
      Appender b = db.appender();
      assertThat(b.appendHistogram(ref, 60_000, at(60_000))).isEqualTo(Outcome.IDENTICAL);
      assertThat(b.appendHistogram(ref, 60_000, Histogram.staleMarker())).isEqualTo(Outcome.DUPLICATE);
      assertThat(b.append(ref, 60_000, 3)).isEqualTo(Outcome.DUPLICATE);
      // no out-of-order window for histograms, even where floats have one
      assertThat(b.appendHistogram(ref, 59_000, at(59_000))).isEqualTo(Outcome.OUT_OF_ORDER);
      assertThat(b.appendHistogram(ref, 75_000, Histogram.staleMarker())).isEqualTo(Outcome.ACCEPTED);
      b.commit();
      List<Histogram> hs = new ArrayList<>();
      assertThat(read(db, LATENCY, hs)).hasSize(2);
      assertThat(hs.get(1).isStaleMarker()).isTrue();
      Histogram broken = new Histogram(ResetHint.NO, 0, 0, 0, 1, 1, List.of(new Span(0, 2)), new double[] {1},
          List.of(), null, null);
      assertThatThrownBy(() -> db.appender().appendHistogram(ref, 90_000, broken))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spans need 2 buckets");
    }
  }

  @Test
  void deletedHistogramsStayDeletedInTheHeadAndInBlocks() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 7 * HOUR);
      db.maintain(); // blocks [0,2h) [2h,4h); head from 4h
      db.deleteSeries(List.of(LabelMatcher.equal("__name__", "latency_seconds")), HOUR, 5 * HOUR - 1);
      db.cleanTombstones();
      List<Histogram> hs = new ArrayList<>();
      List<long[]> points = read(db, LATENCY, hs);
      assertThat(points).hasSize((int) ((7 * HOUR - 4 * HOUR) / STEP));
      assertThat(points).allMatch(p -> p[0] < HOUR || p[0] >= 5 * HOUR);
      for (int i = 0; i < points.size(); i++) {
        assertThat(hs.get(i)).isEqualTo(at(points.get(i)[0]));
      }
    }
  }
}
