package io.sightline.logql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logql.engine.LogqlResult.Entry;
import io.sightline.logql.engine.LogqlResult.Stream;
import io.sightline.logql.engine.testing.MemoryLogStore;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.SelectRequest.Direction;
import io.sightline.logstore.StreamStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the suite's text format does not show: categorized labels, store hints, statistics, cancellation. */
class LogqlEngineTest {
  private static final long S = 1_000_000_000L;

  private final MemoryLogStore store = new MemoryLogStore();
  private final RecordingQuerier querier = new RecordingQuerier(store.querier());
  private final LogqlEngine engine = new LogqlEngine(EngineLimits.defaults());

  @BeforeEach
  void load() throws Exception {
    LogAppender app = store.appender();
    app.append(Labels.of("app", "api"), List.of(
        new LogEntry(10 * S, "level=info msg=a", Labels.of("trace_id", "t1")),
        new LogEntry(20 * S, "level=error msg=b", Labels.EMPTY),
        new LogEntry(30 * S, "level=info msg=c", Labels.of("trace_id", "t2"))));
    app.append(Labels.of("app", "web"), List.of(new LogEntry(15 * S, "level=info msg=d", Labels.EMPTY)));
    app.commit();
  }

  @Test
  void categorizedStreamsKeepOnlyStreamLabelsWithMetadataAndParsedPerEntry() throws Exception {
    LogqlResult.Streams r = (LogqlResult.Streams) engine.range(querier, "{app=~\"api|web\"} | logfmt | keep app, "
        + "level, trace_id", 0, 100 * S, S, 0, Direction.BACKWARD, 100, () -> false);
    // Without the flag each label set is a stream: 4 sets.
    assertThat(r.streams()).hasSize(4);
    assertThat(r.entries()).isEqualTo(4);
    List<Stream> c = r.categorized();
    assertThat(c).extracting(Stream::labels).containsExactly(Labels.of("app", "api"), Labels.of("app", "web"));
    List<Entry> api = c.get(0).entries();
    assertThat(api).extracting(Entry::timestampNanos).containsExactly(30 * S, 20 * S, 10 * S);
    assertThat(api.get(0).structuredMetadata()).isEqualTo(Labels.of("trace_id", "t2"));
    assertThat(api.get(0).parsed()).isEqualTo(Labels.of("level", "info"));
    assertThat(api.get(1).structuredMetadata()).isEqualTo(Labels.EMPTY);
    assertThat(api.get(1).parsed()).isEqualTo(Labels.of("level", "error"));
    assertThat(api.get(0).line()).isEqualTo("level=info msg=c");
    assertThat(c.get(1).entries()).singleElement().satisfies(e -> {
      assertThat(e.streamLabels()).isEqualTo(Labels.of("app", "web"));
      assertThat(e.parsed()).isEqualTo(Labels.of("level", "info"));
    });
  }

  @Test
  void categorizedForwardMergesInTimeOrder() throws Exception {
    LogqlResult.Streams r = (LogqlResult.Streams) engine.range(querier, "{app=\"api\"}", 0, 100 * S, S, 0,
        Direction.FORWARD, 100, () -> false);
    assertThat(r.streams()).hasSize(3); // split by trace_id
    assertThat(r.categorized()).singleElement().satisfies(s -> assertThat(s.entries())
        .extracting(Entry::timestampNanos).containsExactly(10 * S, 20 * S, 30 * S));
  }

  @Test
  void leadingCaseSensitiveContainsFiltersBecomeTheStoreHint() throws Exception {
    engine.range(querier, "{app=\"api\"} |= \"level\" |~ \"x\" |= \"a\" or \"b\" |= `msg` | json | line_format "
        + "\"{{.x}}\" |= \"late\"", 0, 100 * S, S, 0, Direction.BACKWARD, 100, () -> false);
    SelectRequest req = querier.requests.get(0);
    assertThat(req.hint().required()).extracting(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("level", "msg");
    assertThat(req.startNanos()).isZero();
    assertThat(req.endNanos()).isEqualTo(100 * S);
    assertThat(req.direction()).isEqualTo(Direction.BACKWARD);
    assertThat(req.matchers()).containsExactly(LabelMatcher.equal("app", "api"));
  }

  @Test
  void negativeRegexAndIpFiltersGiveNoHint() throws Exception {
    engine.range(querier, "{app=\"api\"} != \"x\" |~ \"y\" |= ip(\"10.0.0.0/8\")", 0, 100 * S, S, 0,
        Direction.BACKWARD, 100, () -> false);
    assertThat(querier.requests.get(0).hint().isEmpty()).isTrue();
  }

  @Test
  void metricQueriesReadTheRangeBeforeTheFirstStepAndIncludeTheLast() throws Exception {
    engine.range(querier, "sum(count_over_time({app=\"api\"} |= \"error\" [10s] offset 5s))", 30 * S, 60 * S,
        10 * S, 0, Direction.BACKWARD, 100, () -> false);
    SelectRequest req = querier.requests.get(0);
    assertThat(req.startNanos()).isEqualTo(15 * S);
    assertThat(req.endNanos()).isEqualTo(55 * S + 1);
    assertThat(req.direction()).isEqualTo(Direction.FORWARD);
    assertThat(req.hint().required()).hasSize(1);
  }

  @Test
  void statisticsCountLinesReadKeptAndReturned() throws Exception {
    LogqlResult r = engine.range(querier, "{app=~\"api|web\"} |= \"info\"", 0, 100 * S, S, 0, Direction.BACKWARD,
        100, () -> false);
    QueryStatistics.Summary s = r.statistics().summary();
    assertThat(s.totalLinesProcessed()).isEqualTo(4);
    assertThat(s.totalBytesProcessed()).isEqualTo(16 + 17 + 16 + 16);
    assertThat(s.totalPostFilterLines()).isEqualTo(3);
    assertThat(s.totalEntriesReturned()).isEqualTo(3);
    assertThat(s.totalStructuredMetadataBytesProcessed()).isEqualTo(2 * ("trace_id".length() + 2));
    assertThat(s.execTime()).isGreaterThanOrEqualTo(0);
    // The in-memory store has only a head: Loki's ingesters' share.
    assertThat(r.statistics().ingester().store().chunk().headChunkLines()).isEqualTo(4);
    assertThat(r.statistics().ingester().totalReached()).isEqualTo(1);
    assertThat(r.statistics().querier().store().chunk().decompressedLines()).isZero();
    assertThat(r.resultType()).isEqualTo("streams");
  }

  @Test
  void metricStatisticsCountSamplesReturned() throws Exception {
    LogqlResult r = engine.range(querier, "count_over_time({app=~\"api|web\"}[10s])", 10 * S, 30 * S, 10 * S, 0,
        Direction.BACKWARD, 100, () -> false);
    assertThat(r).isInstanceOf(LogqlResult.Matrix.class);
    // api: 10, 20, 30; web: 20 (15 in (10, 20]).
    assertThat(r.statistics().summary().totalEntriesReturned()).isEqualTo(4);
    assertThat(r.statistics().summary().totalLinesProcessed()).isEqualTo(4);
    assertThat(r.resultType()).isEqualTo("matrix");
  }

  @Test
  void instantResultTypes() throws Exception {
    assertThat(engine.instant(querier, "1+1", 60 * S, Direction.BACKWARD, 100, () -> false))
        .isInstanceOfSatisfying(LogqlResult.Scalar.class, s -> {
          assertThat(s.value()).isEqualTo(2);
          assertThat(s.timestampMillis()).isEqualTo(60_000);
          assertThat(s.resultType()).isEqualTo("scalar");
        });
    assertThat(engine.instant(querier, "vector(1)+vector(1)", 60 * S, Direction.BACKWARD, 100, () -> false))
        .isInstanceOfSatisfying(LogqlResult.Vector.class, v -> {
          assertThat(v.samples()).singleElement().satisfies(s -> {
            assertThat(s.value()).isEqualTo(2);
            assertThat(s.metric()).isEqualTo(Labels.EMPTY);
            assertThat(s.timestampMillis()).isEqualTo(60_000);
          });
          assertThat(v.resultType()).isEqualTo("vector");
        });
  }

  @Test
  void cancellationStopsTheQueryWithLokisClientClosedStatus() {
    assertThatThrownBy(() -> engine.range(querier, "{app=\"api\"}", 0, 100 * S, S, 0, Direction.BACKWARD, 100,
        () -> true)).isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.status()).isEqualTo(499);
          assertThat(e.getMessage()).isEqualTo("the request was cancelled by the client");
        });
  }

  @Test
  void timeoutIsLokisGatewayTimeout() {
    LogqlEngine strict = new LogqlEngine(new EngineLimits(5000, 500, Duration.ofHours(721), Duration.ofNanos(1),
        11000, Duration.ZERO));
    assertThatThrownBy(() -> strict.instant(querier, "count_over_time({app=\"api\"}[1m])", 60 * S,
        Direction.BACKWARD, 100, () -> false)).isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.status()).isEqualTo(504);
          assertThat(e.getMessage()).isEqualTo(QueryException.DEADLINE_EXCEEDED);
        });
  }

  @Test
  void storeFailureIsAnInternalError() {
    LogQuerier broken = new RecordingQuerier(store.querier()) {
      @Override
      public EntryIterator select(SelectRequest request) throws IOException {
        throw new IOException("disk on fire");
      }
    };
    assertThatThrownBy(() -> engine.instant(broken, "count_over_time({app=\"api\"}[1m])", 60 * S,
        Direction.BACKWARD, 100, () -> false)).isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.getMessage()).isEqualTo("disk on fire");
        });
  }

  @Test
  void limitsRefuseNegativeValues() {
    assertThatThrownBy(() -> new EngineLimits(-1, 500, Duration.ZERO, Duration.ZERO, 11000, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    EngineLimits d = EngineLimits.defaults();
    assertThat(d.maxEntriesLimitPerQuery()).isEqualTo(5000);
    assertThat(d.maxQuerySeries()).isEqualTo(500);
    assertThat(d.maxQueryLength()).isEqualTo(Duration.ofHours(721));
    assertThat(d.queryTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(d.maxPointsPerSeries()).isEqualTo(11000);
  }

  @Test
  void zeroLimitsSwitchChecksOff() throws Exception {
    LogqlEngine open = new LogqlEngine(new EngineLimits(0, 0, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO));
    LogqlResult r = open.range(querier, "{app=\"api\"}", 0, 100_000 * S, 1, 0, Direction.FORWARD, 10_000,
        () -> false);
    assertThat(((LogqlResult.Streams) r).entries()).isEqualTo(3);
  }

  @Test
  void goDurations() {
    assertThat(LabelStrings.goDuration(0)).isEqualTo("0s");
    assertThat(LabelStrings.goDuration(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(LabelStrings.goDuration(3_600 * S)).isEqualTo("1h0m0s");
    assertThat(LabelStrings.goDuration(90 * S)).isEqualTo("1m30s");
    assertThat(LabelStrings.goDuration(300_000_000L)).isEqualTo("300ms");
    assertThat(LabelStrings.goDuration(1_500)).isEqualTo("1.5µs");
    assertThat(LabelStrings.goDuration(42)).isEqualTo("42ns");
  }

  /** The fixture's querier, recording what the engine asks of it. */
  static class RecordingQuerier implements LogQuerier {
    final LogQuerier delegate;
    final List<SelectRequest> requests = new ArrayList<>();

    RecordingQuerier(LogQuerier delegate) {
      this.delegate = delegate;
    }

    @Override
    public EntryIterator select(SelectRequest request) throws IOException {
      requests.add(request);
      return delegate.select(request);
    }

    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long start, long end) throws IOException {
      return delegate.series(matchers, start, end);
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers, long start, long end) throws IOException {
      return delegate.labelNames(matchers, start, end);
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers, long start, long end)
        throws IOException {
      return delegate.labelValues(name, matchers, start, end);
    }

    @Override
    public List<StreamStats> streamStats(List<LabelMatcher> matchers, long start, long end) throws IOException {
      return delegate.streamStats(matchers, start, end);
    }
  }
}
