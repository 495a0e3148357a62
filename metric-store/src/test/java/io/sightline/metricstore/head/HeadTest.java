package io.sightline.metricstore.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.wal.WalConfig;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.Appender.Outcome;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadTest {
  @TempDir
  Path dir;

  private static Labels series(String name, String... pairs) {
    String[] all = new String[pairs.length + 2];
    all[0] = Labels.METRIC_NAME;
    all[1] = name;
    System.arraycopy(pairs, 0, all, 2, pairs.length);
    return Labels.of(all);
  }

  private static List<long[]> samples(Series s, long minT, long maxT) {
    List<long[]> out = new ArrayList<>();
    SampleIterator it = s.iterator(minT, maxT);
    while (it.next()) {
      out.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
    }
    return out;
  }

  @Test
  void committedSamplesAreQueryableAcrossChunks() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      Appender a = head.appender();
      for (int i = 0; i < 500; i++) {
        assertThat(a.append(series("up", "job", "api"), i * 15_000L, i)).isEqualTo(Outcome.ACCEPTED);
        assertThat(a.append(series("up", "job", "web"), i * 15_000L, 1)).isEqualTo(Outcome.ACCEPTED);
      }
      assertThat(head.querier().select(List.of(LabelMatcher.equal("__name__", "up")), 0, Long.MAX_VALUE)).isEmpty();
      a.commit();
      List<Series> result = head.querier().select(List.of(LabelMatcher.equal("__name__", "up")), 0, Long.MAX_VALUE);
      assertThat(result).extracting(s -> s.labels().get("job")).containsExactly("api", "web");
      List<long[]> api = samples(result.get(0), 0, Long.MAX_VALUE);
      assertThat(api).hasSize(500);
      assertThat(Double.longBitsToDouble(api.get(499)[1])).isEqualTo(499);
      assertThat(samples(result.get(0), 15_000L * 100, 15_000L * 200)).hasSize(101);
    }
  }

  @Test
  void outOfOrderDuplicateAndIdenticalSamples() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      Labels s = series("temp");
      Appender a = head.appender();
      assertThat(a.append(s, 2000, 1.0)).isEqualTo(Outcome.ACCEPTED);
      assertThat(a.append(s, 1000, 1.0)).isEqualTo(Outcome.OUT_OF_ORDER);
      assertThat(a.append(s, 2000, 2.0)).isEqualTo(Outcome.DUPLICATE);
      assertThat(a.append(s, 2000, 1.0)).isEqualTo(Outcome.IDENTICAL);
      a.commit();
      Appender b = head.appender();
      assertThat(b.append(s, 1500, 1.0)).isEqualTo(Outcome.OUT_OF_ORDER);
      assertThat(b.append(s, 3000, 1.0)).isEqualTo(Outcome.ACCEPTED);
      b.rollback();
      List<Series> r = head.querier().select(List.of(LabelMatcher.equal("__name__", "temp")), 0, 10_000);
      assertThat(samples(r.get(0), 0, 10_000)).hasSize(1);
    }
  }

  @Test
  void staleMarkersKeepTheirBits() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      Appender a = head.appender();
      a.append(series("up"), 1000, 1);
      a.append(series("up"), 2000, Double.longBitsToDouble(Appender.STALE_NAN_BITS));
      a.commit();
    }
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      List<long[]> s = samples(head.querier().select(List.of(LabelMatcher.equal("__name__", "up")), 0, 5000).get(0),
          0, 5000);
      assertThat(s.get(1)[1]).isEqualTo(Appender.STALE_NAN_BITS);
    }
  }

  @Test
  void matchersWorkAsPrometheusSelectors() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      Appender a = head.appender();
      a.append(series("http_requests_total", "job", "api", "code", "200"), 1000, 1);
      a.append(series("http_requests_total", "job", "api", "code", "500"), 1000, 1);
      a.append(series("http_requests_total", "job", "web", "code", "200"), 1000, 1);
      a.append(series("http_requests_total", "job", "batch"), 1000, 1);
      a.append(series("up", "job", "api"), 1000, 1);
      a.commit();
      var q = head.querier();
      LabelMatcher name = LabelMatcher.equal("__name__", "http_requests_total");
      assertThat(q.select(List.of(name, LabelMatcher.equal("code", "200")), 0, 2000)).hasSize(2);
      assertThat(q.select(List.of(name, LabelMatcher.notEqual("code", "200")), 0, 2000))
          .extracting(s -> s.labels().get("code")).containsExactly("500", "");
      assertThat(q.select(List.of(name, LabelMatcher.regex("job", "a.*|w.b")), 0, 2000)).hasSize(3);
      assertThat(q.select(List.of(name, LabelMatcher.notRegex("job", "api")), 0, 2000)).hasSize(2);
      assertThat(q.select(List.of(name, LabelMatcher.equal("code", "")), 0, 2000))
          .extracting(s -> s.labels().get("job")).containsExactly("batch");
      assertThat(q.select(List.of(LabelMatcher.regex("job", ".+")), 0, 2000)).hasSize(5);
      assertThat(q.select(List.of(name), 5000, 6000)).isEmpty();
      assertThatThrownBy(() -> q.select(List.of(LabelMatcher.regex("job", ".*")), 0, 2000))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(q.labelNames(List.of())).containsExactly("__name__", "code", "job");
      assertThat(q.labelValues("job", List.of())).containsExactly("api", "batch", "web");
      assertThat(q.labelValues("code", List.of(LabelMatcher.equal("job", "api")))).containsExactly("200", "500");
      assertThat(q.labelNames(List.of(LabelMatcher.equal("__name__", "up")))).containsExactly("__name__", "job");
    }
  }

  @Test
  void aRestartReplaysEverythingCommitted() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      for (int batch = 0; batch < 10; batch++) {
        Appender a = head.appender();
        for (int s = 0; s < 100; s++) {
          a.append(series("load", "instance", "i-" + s), batch * 1000L, batch * s);
        }
        a.commit();
      }
      Appender uncommitted = head.appender();
      uncommitted.append(series("load", "instance", "i-0"), 99_000, 1);
    }
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      assertThat(head.numSeries()).isEqualTo(100);
      List<Series> all = head.querier().select(List.of(LabelMatcher.equal("__name__", "load")), 0, Long.MAX_VALUE);
      assertThat(all).hasSize(100);
      for (Series s : all) {
        assertThat(samples(s, 0, Long.MAX_VALUE)).hasSize(10);
      }
      // new series after a restart get new refs and survive the next restart too
      Appender a = head.appender();
      a.append(series("after_restart"), 5000, 5);
      a.commit();
    }
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      assertThat(head.numSeries()).isEqualTo(101);
      assertThat(head.querier().select(List.of(LabelMatcher.equal("__name__", "after_restart")), 0, 10_000)).hasSize(1);
    }
  }

  @Test
  void aTornWalTailLosesOnlyTheLastBatch() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      for (int batch = 0; batch < 5; batch++) {
        Appender a = head.appender();
        a.append(series("m"), batch * 1000L, batch);
        a.commit();
      }
    }
    Path segment = dir.resolve("wal").resolve("00000000");
    byte[] bytes = Files.readAllBytes(segment);
    Files.write(segment, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      List<long[]> s = samples(head.querier().select(List.of(LabelMatcher.equal("__name__", "m")), 0, 10_000).get(0),
          0, 10_000);
      assertThat(s).hasSize(4);
    }
  }

  @Test
  void outOfOrderSamplesWithinTheWindowAreKeptAndMergedInTimeOrder() throws IOException {
    long window = 10 * 60_000L;
    try (Head head = Head.open(dir, WalConfig.defaults(), window)) {
      Labels s = series("pushed");
      Appender a = head.appender();
      for (int i = 0; i < 100; i++) {
        a.append(s, 1_000_000L + i * 1000L, i); // in order: 1,000,000 .. 1,099,000
      }
      a.commit();
      Appender b = head.appender();
      assertThat(b.append(s, 1_050_500L, -1)).isEqualTo(Outcome.ACCEPTED); // between two in-order samples
      assertThat(b.append(s, 1_050_000L, -2)).isEqualTo(Outcome.ACCEPTED); // same time as an in-order one: it loses
      assertThat(b.append(s, 1_099_000L - window - 1, 0)).isEqualTo(Outcome.TOO_OLD);
      for (int i = 0; i < 40; i++) { // enough to cut an out-of-order chunk
        assertThat(b.append(s, 1_000_100L + i * 1000L, 1000 + i)).isEqualTo(Outcome.ACCEPTED);
      }
      b.commit();
      List<long[]> all = samples(head.querier().select(List.of(LabelMatcher.equal("__name__", "pushed")), 0,
          Long.MAX_VALUE).get(0), 0, Long.MAX_VALUE);
      assertThat(all).hasSize(100 + 1 + 40);
      for (int i = 1; i < all.size(); i++) {
        assertThat(all.get(i)[0]).isGreaterThan(all.get(i - 1)[0]);
      }
      long[] at1050000 = all.stream().filter(x -> x[0] == 1_050_000L).findFirst().orElseThrow();
      assertThat(Double.longBitsToDouble(at1050000[1])).isEqualTo(50);
      assertThat(samples(head.querier().select(List.of(LabelMatcher.equal("__name__", "pushed")), 0,
          Long.MAX_VALUE).get(0), 1_010_000L, 1_010_200L)).extracting(x -> x[0]).containsExactly(1_010_000L, 1_010_100L);
    }
    try (Head head = Head.open(dir, WalConfig.defaults(), window)) {
      assertThat(samples(head.querier().select(List.of(LabelMatcher.equal("__name__", "pushed")), 0,
          Long.MAX_VALUE).get(0), 0, Long.MAX_VALUE)).as("after replay").hasSize(141);
    }
  }

  @Test
  void withoutAWindowOutOfOrderIsRefused() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults(), 0)) {
      Appender a = head.appender();
      a.append(series("strict"), 2000, 1);
      a.commit();
      assertThat(head.appender().append(series("strict"), 1000, 1)).isEqualTo(Outcome.OUT_OF_ORDER);
    }
  }

  @Test
  void exemplarsAreKeptInOrderSurviveRestartAndAreBounded() throws IOException {
    Labels latency = series("http_request_duration_seconds_bucket", "le", "0.5");
    try (Head head = Head.open(dir, WalConfig.defaults(), 0, 5)) {
      Appender a = head.appender();
      var ref = a.ref(latency);
      a.append(ref, 1000, 3);
      assertThat(a.appendExemplar(ref, Labels.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), 1000, 0.42))
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(a.appendExemplar(ref, Labels.of("trace_id", "00000000000000000000000000000001"), 900, 0.1))
          .isEqualTo(Outcome.OUT_OF_ORDER);
      assertThat(a.appendExemplar(ref, Labels.of("trace_id", "x"), 1000, 0.42)).isEqualTo(Outcome.IDENTICAL);
      a.commit();
      var found = head.querier().exemplars(List.of(LabelMatcher.equal("le", "0.5")), 0, 5000);
      assertThat(found).hasSize(1);
      assertThat(found.get(0).seriesLabels()).isEqualTo(latency);
      assertThat(found.get(0).exemplars()).singleElement().satisfies(e -> {
        assertThat(e.labels().get("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(e.value()).isEqualTo(0.42);
        assertThat(e.timestampMs()).isEqualTo(1000);
      });
      Appender b = head.appender();
      for (int i = 1; i <= 10; i++) {
        b.appendExemplar(b.ref(latency), Labels.of("trace_id", "t" + i), 1000 + i, i);
      }
      b.commit();
      var bounded = head.querier().exemplars(List.of(LabelMatcher.equal("le", "0.5")), 0, 5000).get(0).exemplars();
      assertThat(bounded).extracting(e -> e.labels().get("trace_id")).containsExactly("t6", "t7", "t8", "t9", "t10");
    }
    try (Head head = Head.open(dir, WalConfig.defaults(), 0, 100)) {
      var replayed = head.querier().exemplars(List.of(LabelMatcher.equal("le", "0.5")), 0, 5000).get(0).exemplars();
      assertThat(replayed).hasSize(11);
      assertThat(replayed.get(0).labels().get("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(head.querier().exemplars(List.of(LabelMatcher.equal("le", "0.5")), 1005, 1007)).singleElement()
          .satisfies(se -> assertThat(se.exemplars()).hasSize(3));
    }
  }

  @Test
  void cardinalityStatsRankLikePrometheus() throws IOException {
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      Appender a = head.appender();
      for (int i = 0; i < 5; i++) {
        a.append(series("http_requests_total", "job", "api", "code", "" + (200 + i)), 1000, 1);
      }
      a.append(series("up", "job", "api"), 500, 1);
      a.append(series("up", "job", "web"), 2000, 1);
      a.commit();
      var stats = head.stats(2);
      assertThat(stats.numSeries()).isEqualTo(7);
      assertThat(stats.numLabelPairs()).isEqualTo(2 + 2 + 5); // __name__ x2, job x2, code x5
      assertThat(stats.chunkCount()).isEqualTo(7);
      assertThat(stats.minTime()).isEqualTo(500);
      assertThat(stats.maxTime()).isEqualTo(2000);
      assertThat(stats.seriesCountByMetricName()).containsExactly(
          new io.sightline.metricstore.StoreStats.Count("http_requests_total", 5),
          new io.sightline.metricstore.StoreStats.Count("up", 2));
      assertThat(stats.seriesCountByLabelValuePair()).first()
          .isEqualTo(new io.sightline.metricstore.StoreStats.Count("job=api", 6));
      assertThat(stats.labelValueCountByLabelName()).first()
          .isEqualTo(new io.sightline.metricstore.StoreStats.Count("code", 5));
    }
  }

  @Test
  void metadataIsKeptLatestFirstAndSurvivesRestart() throws IOException {
    var counter = new io.sightline.metricstore.MetricMetadata("counter", "Requests served.", "");
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      Appender a = head.appender();
      a.updateMetadata("http_requests_total", new io.sightline.metricstore.MetricMetadata("unknown", "", ""));
      a.updateMetadata("http_requests_total", counter);
      a.commit();
      assertThat(head.querier().metadata("")).containsEntry("http_requests_total", counter).hasSize(1);
    }
    try (Head head = Head.open(dir, WalConfig.defaults())) {
      assertThat(head.querier().metadata("http_requests_total")).containsEntry("http_requests_total", counter);
      assertThat(head.querier().metadata("other")).isEmpty();
    }
  }
}
