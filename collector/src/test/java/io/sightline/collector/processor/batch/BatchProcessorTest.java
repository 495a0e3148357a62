package io.sightline.collector.processor.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.obsreport.ObsReport.BatchCounters;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.pipeline.Traces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchProcessorTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);

  @TempDir
  Path dataDir;

  private final ObsReport obs = new ObsReport(new PrometheusRegistry());
  private final BatchCounters counters = obs.batch(ComponentId.parse("batch"));
  private final List<Telemetry> sent = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<ConsumeResult>> downstream = new CopyOnWriteArrayList<>();
  private final List<Processor<?>> toClose = new ArrayList<>();

  /** Downstream that holds each batch until the test completes its future. */
  private <T extends Telemetry> Consumer<T> held() {
    return batch -> {
      sent.add(batch);
      CompletableFuture<ConsumeResult> f = new CompletableFuture<>();
      downstream.add(f);
      return f;
    };
  }

  private <T extends Telemetry> Consumer<T> immediate() {
    return batch -> {
      sent.add(batch);
      return CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
    };
  }

  private static BatchConfig config(String yaml) {
    return new BatchProcessorFactory().parseConfig(LOADER.parse("t.yaml", yaml).map("batch"));
  }

  private <T extends Telemetry> Processor<T> start(String yaml, Signal signal, Consumer<T> next) throws Exception {
    BatchProcessorFactory f = new BatchProcessorFactory();
    Processor<T> p = f.create(new ComponentSettings(ComponentId.parse("batch"), new Host(dataDir, obs)), config(yaml),
        signal, next);
    p.start();
    toClose.add(p);
    return p;
  }

  private Processor<Traces> start(String yaml, Consumer<Traces> next) throws Exception {
    return start(yaml, Signal.TRACES, next);
  }

  @AfterEach
  void closeAll() throws Exception {
    downstream.forEach(d -> d.complete(ConsumeResult.ACCEPTED));
    for (Processor<?> p : toClose) {
      p.close();
    }
  }

  /** Occupies downstream with a one-span batch (span-1000), so that what follows is gathered. */
  private CompletableFuture<ConsumeResult> blocker(Processor<Traces> p) {
    CompletableFuture<ConsumeResult> f = p.consume(TestData.traces(1000, 1, 1, 1));
    assertThat(sent).hasSize(1);
    return f;
  }

  private static List<String> names(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "span-" + i).toList();
  }

  @SuppressWarnings("unchecked")
  private List<Traces> sentTraces() {
    return (List<Traces>) (List<?>) sent;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(condition.getAsBoolean()).as("condition met within 2 s").isTrue();
  }

  // --- when batches go ---

  @Test
  void anIdleDownstreamGetsABatchAtOnce() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 1000}", immediate());
    assertThat(p.consume(TestData.traces(0, 1, 1, 3))).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(p.consume(TestData.traces(3, 1, 1, 3))).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(sent).extracting(Telemetry::itemCount).containsExactly(3, 3);
    assertThat(counters.idleTrigger().get()).isEqualTo(2);
    assertThat(counters.sizeTrigger().get()).isZero();
  }

  @Test
  void whileDownstreamIsBusyBatchesGatherAndGoWhenItIsDone() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 1000}", held());
    CompletableFuture<ConsumeResult> first = blocker(p);
    CompletableFuture<ConsumeResult> a = p.consume(TestData.traces(0, 1, 1, 4));
    CompletableFuture<ConsumeResult> b = p.consume(TestData.traces(4, 1, 1, 4));
    assertThat(sent).hasSize(1);
    assertThat(counters.pending().get()).isEqualTo(8);
    downstream.get(0).complete(ConsumeResult.ACCEPTED);
    assertThat(first).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(sent).hasSize(2);
    assertThat(TestData.spanNames(sentTraces().subList(1, 2))).containsExactlyElementsOf(names(0, 8));
    assertThat(counters.pending().get()).isZero();
    assertThat(a).as("answered only after export").isNotDone();
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(b).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void sizeTriggerSendsOnceEnoughItemsArePendingAndAnswersOnlyAfterExport() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 10}", held());
    blocker(p);
    CompletableFuture<ConsumeResult> a = p.consume(TestData.traces(0, 1, 1, 4));
    CompletableFuture<ConsumeResult> b = p.consume(TestData.traces(4, 1, 1, 4));
    assertThat(sent).hasSize(1);
    CompletableFuture<ConsumeResult> c = p.consume(TestData.traces(8, 1, 1, 4));
    assertThat(sent).hasSize(2);
    assertThat(TestData.spanNames(sentTraces().subList(1, 2))).containsExactlyElementsOf(names(0, 12));
    assertThat(List.of(a, b, c)).noneMatch(CompletableFuture::isDone);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(List.of(a, b, c)).allMatch(f -> f.getNow(null) == ConsumeResult.ACCEPTED);
    // the blocker went because downstream was idle, the gathered batch because it was large enough
    assertThat(counters.idleTrigger().get()).isEqualTo(1);
    assertThat(counters.sizeTrigger().get()).isEqualTo(1);
    assertThat(counters.timeoutTrigger().get()).isZero();
    assertThat(counters.sendSize().getCount()).isEqualTo(2);
    assertThat(counters.sendSize().getSum()).isEqualTo(13);
  }

  @Test
  void timeoutTriggerSendsWhatIsPendingEvenWhileDownstreamIsBusy() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 30ms, send_batch_size: 1000}", held());
    blocker(p);
    long before = System.nanoTime();
    CompletableFuture<ConsumeResult> a = p.consume(TestData.traces(0, 1, 1, 3));
    CompletableFuture<ConsumeResult> b = p.consume(TestData.traces(3, 1, 1, 3));
    assertThat(sent).hasSize(1);
    await(() -> sent.size() == 2);
    assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    assertThat(TestData.spanNames(sentTraces().subList(1, 2))).containsExactlyElementsOf(names(0, 6));
    assertThat(counters.timeoutTrigger().get()).isEqualTo(1);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a.get(1, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
    assertThat(b.get(1, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
  }

  @Test
  void timeoutZeroSendsEveryBatchAtOnceEvenWhileDownstreamIsBusy() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 0s, send_batch_size: 1000}", held());
    Traces a = TestData.traces(0, 1, 1, 2);
    Traces b = TestData.traces(2, 1, 1, 2);
    CompletableFuture<ConsumeResult> fa = p.consume(a);
    CompletableFuture<ConsumeResult> fb = p.consume(b);
    assertThat(sent).containsExactly(a, b);
    assertThat(counters.pending().get()).isZero();
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(fb).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(fa).isNotDone();
  }

  @Test
  void aLargeBatchPassesThroughUntouchedEvenWhileDownstreamIsBusy() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 10, send_batch_max_size: 50}", held());
    blocker(p);
    Traces big = TestData.traces(0, 1, 1, 50);
    CompletableFuture<ConsumeResult> f = p.consume(big);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).as("the very instance, not a rebuilt copy").isSameAs(big);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(f).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void aSmallBatchToAnIdleDownstreamIsNotRebuiltEither() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 1000}", immediate());
    Traces small = TestData.traces(0, 1, 1, 3);
    p.consume(small);
    assertThat(sent.get(0)).isSameAs(small);
  }

  // --- cutting at send_batch_max_size ---

  @Test
  void maxSizeCutsBatchesAndTheRequestWaitsForEveryPiece() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 10, send_batch_max_size: 15}", held());
    CompletableFuture<ConsumeResult> a = p.consume(TestData.traces(0, 2, 2, 10)); // 40 items
    assertThat(sent).extracting(Telemetry::itemCount).containsExactly(15, 15, 10);
    assertThat(TestData.spanNames(sentTraces())).containsExactlyElementsOf(names(0, 40));
    downstream.get(2).complete(ConsumeResult.ACCEPTED);
    downstream.get(0).complete(ConsumeResult.ACCEPTED);
    assertThat(a).isNotDone();
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(counters.sendSize().getCount()).isEqualTo(3);
  }

  /**
   * Gathers a (6 items), b (10) and c (12) while downstream is busy; c brings 28 items, cut at 20 into [0,20) and
   * [20,28): a and b lie in the first piece only, c in both.
   */
  private List<CompletableFuture<ConsumeResult>> gatherThreeAcrossTwoPieces(Processor<Traces> p) {
    blocker(p);
    List<CompletableFuture<ConsumeResult>> r = List.of(p.consume(TestData.traces(0, 1, 1, 6)),
        p.consume(TestData.traces(6, 1, 2, 5)), p.consume(TestData.traces(16, 2, 1, 6)));
    assertThat(sent).hasSize(3);
    assertThat(sent.subList(1, 3)).extracting(Telemetry::itemCount).containsExactly(20, 8);
    assertThat(TestData.spanNames(sentTraces().subList(1, 3))).containsExactlyElementsOf(names(0, 28));
    return r;
  }

  @Test
  void aGatheredBatchIsCutAndEachRequestWaitsOnlyForThePiecesHoldingItsItems() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 20, send_batch_max_size: 20}", held());
    var r = gatherThreeAcrossTwoPieces(p);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(r.get(0)).as("its only piece is done").isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(r.get(1)).as("its only piece is done").isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(r.get(2)).as("its second piece is still out").isNotDone();
    downstream.get(2).complete(ConsumeResult.ACCEPTED);
    assertThat(r.get(2)).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void aFailedPieceFailsOnlyTheRequestsWithItemsInIt() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 20, send_batch_max_size: 20}", held());
    var r = gatherThreeAcrossTwoPieces(p);
    RetryableException unavailable = new RetryableException("store unavailable", Duration.ofSeconds(1), false);
    downstream.get(2).completeExceptionally(unavailable);
    assertThat(r.get(2)).as("still waiting for its first piece too").isNotDone();
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(r.get(0)).as("none of its items were in the failed piece").isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(r.get(1)).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThatThrownBy(() -> r.get(2).get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
        .isSameAs(unavailable);
  }

  @Test
  void rejectionsAreChargedToTheRequestsInThePieceThatRejected() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 20, send_batch_max_size: 20}", held());
    var r = gatherThreeAcrossTwoPieces(p);
    downstream.get(1).complete(ConsumeResult.partial(3, "3 spans too old"));
    downstream.get(2).complete(ConsumeResult.partial(5, "5 spans too large"));
    // each learns of at most as many as it had in a rejecting piece: a 6, b 10, c 4 + 8
    assertThat(r.get(0).get(1, TimeUnit.SECONDS)).isEqualTo(new ConsumeResult(3, "3 spans too old"));
    assertThat(r.get(1).get(1, TimeUnit.SECONDS)).isEqualTo(new ConsumeResult(3, "3 spans too old"));
    assertThat(r.get(2).get(1, TimeUnit.SECONDS)).isEqualTo(new ConsumeResult(8, "3 spans too old; 5 spans too large"));
  }

  @Test
  void aRejectionInAnotherRequestsPieceLeavesARequestAccepted() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 20, send_batch_max_size: 20}", held());
    var r = gatherThreeAcrossTwoPieces(p);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    downstream.get(2).complete(ConsumeResult.partial(8, "8 spans too large"));
    assertThat(r.get(0)).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(r.get(1)).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(r.get(2)).isCompletedWithValue(new ConsumeResult(8, "8 spans too large"));
  }

  @Test
  void metricsAreCutAtDataPointsKeepingTheirMetric() throws Exception {
    Processor<Metrics> p = start("batch: {timeout: 10s, send_batch_size: 4, send_batch_max_size: 4}", Signal.METRICS,
        held());
    CompletableFuture<ConsumeResult> f = p.consume(TestData.metrics(0, 2, 5)); // m0: 0..4, m1: 5..9
    assertThat(sent).extracting(Telemetry::itemCount).containsExactly(4, 4, 2);
    List<String> seen = new ArrayList<>();
    for (Telemetry t : sent) {
      ((Metrics) t).resourceMetrics().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> {
        for (Metric m : sm.getMetricsList()) {
          assertThat(m.getUnit()).isEqualTo("s");
          m.getGauge().getDataPointsList().forEach(dp -> seen.add(m.getName() + ":" + dp.getAsInt()));
        }
      }));
    }
    assertThat(seen).containsExactly("m0:0", "m0:1", "m0:2", "m0:3", "m0:4", "m1:5", "m1:6", "m1:7", "m1:8", "m1:9");
    downstream.forEach(d -> d.complete(ConsumeResult.ACCEPTED));
    assertThat(f).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void aRequestWithoutItemsIsAnsweredWithThePieceItTravelsIn() throws Exception {
    Processor<Metrics> p = start("batch: {timeout: 10s, send_batch_size: 4, send_batch_max_size: 4}", Signal.METRICS,
        held());
    p.consume(TestData.metrics(100, 1, 1)); // occupies downstream
    Metrics noPoints = Metrics.of(List.of(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
        .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("empty"))).build()));
    CompletableFuture<ConsumeResult> a = p.consume(noPoints);
    CompletableFuture<ConsumeResult> b = p.consume(TestData.metrics(0, 1, 10));
    assertThat(sent).extracting(Telemetry::itemCount).containsExactly(1, 4, 4, 2);
    assertThat(((Metrics) sent.get(1)).resourceMetrics().get(0).getScopeMetrics(0).getMetrics(0).getName())
        .isEqualTo("empty");
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(b).isNotDone();
    downstream.get(2).complete(ConsumeResult.ACCEPTED);
    downstream.get(3).complete(ConsumeResult.ACCEPTED);
    assertThat(b).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void logsGatherAndAreCutAtRecords() throws Exception {
    Processor<Logs> p = start("batch: {timeout: 10s, send_batch_size: 5, send_batch_max_size: 5}", Signal.LOGS,
        held());
    CompletableFuture<ConsumeResult> first = p.consume(TestData.logs(100, 1)); // idle: goes at once
    CompletableFuture<ConsumeResult> a = p.consume(TestData.logs(0, 3));
    CompletableFuture<ConsumeResult> b = p.consume(TestData.logs(3, 4));
    assertThat(sent).extracting(Telemetry::itemCount).containsExactly(1, 5, 2);
    List<String> bodies = new ArrayList<>();
    sent.subList(1, 3).forEach(t -> ((Logs) t).resourceLogs().forEach(rl -> rl.getScopeLogsList().forEach(
        sl -> sl.getLogRecordsList().forEach(r -> bodies.add(r.getBody().getStringValue())))));
    assertThat(bodies).containsExactly("log-0", "log-1", "log-2", "log-3", "log-4", "log-5", "log-6");
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(b).isNotDone();
    assertThat(first).isNotDone();
  }

  // --- failures ---

  @Test
  void aDownstreamFailureFailsEveryRequestInTheBatch() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 6}", held());
    blocker(p);
    CompletableFuture<ConsumeResult> a = p.consume(TestData.traces(0, 1, 1, 3));
    CompletableFuture<ConsumeResult> b = p.consume(TestData.traces(3, 1, 1, 3));
    downstream.get(1).completeExceptionally(new RetryableException("store unavailable", Duration.ofSeconds(1), false));
    assertThatThrownBy(() -> a.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RetryableException.class);
    assertThatThrownBy(() -> b.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(RetryableException.class);
  }

  @Test
  void aDownstreamThatThrowsFailsTheRequestAndTheProcessorCarriesOn() throws Exception {
    List<Traces> seen = new CopyOnWriteArrayList<>();
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 1}", batch -> {
      seen.add(batch);
      if (seen.size() == 1) {
        throw new PermanentException("bad data");
      }
      return CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
    });
    assertThatThrownBy(() -> p.consume(TestData.traces(0, 1, 1, 1)).get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(PermanentException.class);
    assertThat(p.consume(TestData.traces(1, 1, 1, 1))).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void partialRejectionsReachEachRequestBoundedByWhatItSent() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 6}", held());
    blocker(p);
    CompletableFuture<ConsumeResult> a = p.consume(TestData.traces(0, 1, 1, 2));
    CompletableFuture<ConsumeResult> b = p.consume(TestData.traces(2, 1, 1, 4));
    downstream.get(1).complete(ConsumeResult.partial(3, "3 spans too old"));
    assertThat(a.get(1, TimeUnit.SECONDS)).isEqualTo(new ConsumeResult(2, "3 spans too old"));
    assertThat(b.get(1, TimeUnit.SECONDS)).isEqualTo(new ConsumeResult(3, "3 spans too old"));
  }

  // --- shutdown ---

  @Test
  void closeFlushesWhatIsPendingAndWaitsForIt() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 1000}", held());
    blocker(p);
    List<CompletableFuture<ConsumeResult>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(p.consume(TestData.traces(i * 2, 1, 1, 2)));
    }
    assertThat(sent).hasSize(1);
    Thread closer = Thread.ofPlatform().start(() -> {
      try {
        p.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await(() -> sent.size() == 2);
    assertThat(TestData.spanNames(sentTraces().subList(1, 2))).containsExactlyElementsOf(names(0, 10));
    assertThat(counters.pending().get()).isZero();
    closer.join(50);
    assertThat(closer.isAlive()).as("close waits for the sends in flight").isTrue();
    downstream.forEach(d -> d.complete(ConsumeResult.ACCEPTED));
    closer.join(5000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(all).allMatch(f -> f.getNow(null) == ConsumeResult.ACCEPTED);
  }

  @Test
  void closeGivesUpWaitingAfterItsBound() {
    BatchProcessor<Traces> p = new BatchProcessor<>(config("batch: {timeout: 10s, send_batch_size: 1000}"), held(),
        counters, Duration.ofMillis(50));
    p.start();
    CompletableFuture<ConsumeResult> f = p.consume(TestData.traces(0, 1, 1, 1));
    long before = System.nanoTime();
    p.close();
    assertThat(System.nanoTime() - before).isBetween(TimeUnit.MILLISECONDS.toNanos(40), TimeUnit.SECONDS.toNanos(2));
    assertThat(f).as("the downstream never answered").isNotDone();
  }

  @Test
  void afterCloseBatchesPassStraightThrough() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 10s, send_batch_size: 1000}", held());
    blocker(p);
    downstream.get(0).complete(ConsumeResult.ACCEPTED);
    p.close();
    Traces late = TestData.traces(0, 1, 1, 1);
    CompletableFuture<ConsumeResult> f = p.consume(late);
    assertThat(sent).last().isSameAs(late);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(f).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void concurrentProducersLoseAndDuplicateNothing() throws Exception {
    Processor<Traces> p = start("batch: {timeout: 5ms, send_batch_size: 64, send_batch_max_size: 100}", immediate());
    List<Thread> threads = new ArrayList<>();
    List<CompletableFuture<ConsumeResult>> results = new CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 30_000; // a multiple of 3, so that n % 3 == 0 marks a request's first span
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 500; i++) {
          results.add(p.consume(TestData.traces(base + i * 3, 1, 1, 3)));
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    List<String> spans = TestData.spanNames(sentTraces());
    assertThat(spans).hasSize(4 * 500 * 3).doesNotHaveDuplicates();
    assertThat(sent).allMatch(b -> b.itemCount() <= 100);
    // Requests in flight together may reach downstream in either order (as from the Collector's parallel
    // exporters); each request's spans stay together and in order.
    for (Telemetry b : sent) {
      List<Integer> numbers = TestData.spanNames(List.of((Traces) b)).stream()
          .map(s -> Integer.parseInt(s.substring("span-".length()))).toList();
      for (int i = 0; i + 1 < numbers.size(); i++) {
        if (numbers.get(i) % 3 != 2) {
          assertThat(numbers.get(i + 1)).isEqualTo(numbers.get(i) + 1);
        }
      }
    }
    assertThat(counters.pending().get()).isZero();
  }

  @Test
  void concurrentProducersWithASlowAsyncDownstreamAllGetAnswered() throws Exception {
    var executor = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      Processor<Traces> p = start("batch: {timeout: 2ms, send_batch_size: 50, send_batch_max_size: 70}", batch -> {
        sent.add(batch);
        return CompletableFuture.supplyAsync(() -> ConsumeResult.ACCEPTED,
            CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS, executor));
      });
      List<CompletableFuture<ConsumeResult>> results = new CopyOnWriteArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int base = t * 10_000;
        threads.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < 200; i++) {
            results.add(p.consume(TestData.traces(base + i * 7, 1, 1, 7)));
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(TestData.spanNames(sentTraces())).hasSize(4 * 200 * 7).doesNotHaveDuplicates();
      assertThat(sent).allMatch(b -> b.itemCount() <= 70);
      assertThat(sent.size()).as("batches were gathered").isLessThan(800);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aClientThatAwaitsEachAnswerSeesItsBatchesArriveInOrder() throws Exception {
    var executor = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      Processor<Traces> p = start("batch: {timeout: 1ms, send_batch_size: 4, send_batch_max_size: 5}", batch -> {
        sent.add(batch);
        return CompletableFuture.supplyAsync(() -> ConsumeResult.ACCEPTED, executor);
      });
      for (int i = 0; i < 100; i++) {
        assertThat(p.consume(TestData.traces(i * 3, 1, 1, 3)).get(1, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
      }
      assertThat(TestData.spanNames(sentTraces())).containsExactlyElementsOf(names(0, 300));
    } finally {
      executor.shutdownNow();
    }
  }

  // --- config ---

  @Test
  void defaultsAreTheCollectors() {
    assertThat(config("batch:")).isEqualTo(new BatchConfig(Duration.ofMillis(200), 8192, 0));
    assertThat(config("batch: {timeout: 1s, send_batch_size: 100, send_batch_max_size: 100}"))
        .isEqualTo(new BatchConfig(Duration.ofSeconds(1), 100, 100));
    assertThat(config("batch: {timeout: 0}").timeout()).isZero();
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> config("batch: {send_batch_size: 100, send_batch_max_size: 50}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml:1:52: batch.send_batch_max_size: must be 0 (no maximum) or at least");
    assertThatThrownBy(() -> config("batch: {send_batch_max_size: 100}"))
        .hasMessageContaining("batch.send_batch_max_size: must be 0 (no maximum) or at least send_batch_size (8192)");
    assertThatThrownBy(() -> config("batch: {timeout: soon}")).hasMessageContaining("batch.timeout: invalid value \"soon\"");
    assertThatThrownBy(() -> config("batch: {send_batch_size: lots}"))
        .hasMessageContaining("batch.send_batch_size: invalid value \"lots\"");
    assertThatThrownBy(() -> config("batch: {send_batch_size: -1}"))
        .hasMessageContaining("batch.send_batch_size: must not be negative");
    assertThatThrownBy(() -> config("batch: {send_batch_sise: 10}"))
        .hasMessageContaining("batch.send_batch_sise: unknown key \"send_batch_sise\"");
    assertThatThrownBy(() -> config("batch: {metadata_keys: [tenant]}"))
        .hasMessageContaining("batch.metadata_keys: not supported yet");
    assertThatThrownBy(() -> config("batch: {metadata_cardinality_limit: 10}"))
        .hasMessageContaining("batch.metadata_cardinality_limit: not supported yet");
  }

  @Test
  void factoryServesEverySignal() {
    BatchProcessorFactory f = new BatchProcessorFactory();
    assertThat(f.type()).isEqualTo("batch");
    assertThat(f.signals()).isEqualTo(EnumSet.allOf(Signal.class));
  }
}
