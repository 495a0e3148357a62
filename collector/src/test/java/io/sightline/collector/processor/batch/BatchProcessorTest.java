package io.sightline.collector.processor.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.pipeline.Traces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {
  private final List<Traces> sent = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<ConsumeResult>> downstream = new CopyOnWriteArrayList<>();
  private final ObsReport obs = new ObsReport(new PrometheusRegistry());
  private Processor<Traces> processor;

  /** Downstream that holds each batch until the test completes its future. */
  private final Consumer<Traces> held = batch -> {
    sent.add(batch);
    CompletableFuture<ConsumeResult> f = new CompletableFuture<>();
    downstream.add(f);
    return f;
  };

  private final Consumer<Traces> immediate = batch -> {
    sent.add(batch);
    return CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
  };

  private Processor<Traces> start(String yaml, Consumer<Traces> next) throws Exception {
    BatchProcessorFactory f = new BatchProcessorFactory();
    BatchConfig config = f.parseConfig(new YamlConfigLoader(k -> null).parse("t.yaml", yaml).map("batch"));
    processor = f.create(new ComponentSettings(ComponentId.parse("batch"), new Host(Path.of("."), obs)), config,
        Signal.TRACES, next);
    processor.start();
    return processor;
  }

  @AfterEach
  void close() throws Exception {
    downstream.forEach(d -> d.complete(ConsumeResult.ACCEPTED));
    if (processor != null) {
      processor.close();
    }
  }

  /** Occupies downstream, so that what follows is gathered. */
  private CompletableFuture<ConsumeResult> blocker() {
    CompletableFuture<ConsumeResult> f = processor.consume(TestData.traces(1000, 1, 1, 1));
    assertThat(sent).hasSize(1);
    return f;
  }

  @Test
  void anIdleDownstreamGetsABatchAtOnce() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 1000}", immediate);
    assertThat(processor.consume(TestData.traces(0, 1, 1, 3))).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(processor.consume(TestData.traces(3, 1, 1, 3))).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(sent).extracting(Traces::itemCount).containsExactly(3, 3);
  }

  @Test
  void whileDownstreamIsBusyBatchesGatherAndGoWhenItIsDone() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 1000}", held);
    CompletableFuture<ConsumeResult> first = blocker();
    CompletableFuture<ConsumeResult> a = processor.consume(TestData.traces(0, 1, 1, 4));
    CompletableFuture<ConsumeResult> b = processor.consume(TestData.traces(4, 1, 1, 4));
    assertThat(sent).hasSize(1);
    downstream.get(0).complete(ConsumeResult.ACCEPTED);
    assertThat(first).isCompleted();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).itemCount()).isEqualTo(8);
    assertThat(a).isNotDone();
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(b).isCompletedWithValue(ConsumeResult.ACCEPTED);
  }

  @Test
  void sizeTriggerSendsOnceEnoughItemsArePendingAndAnswersOnlyAfterExport() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 10}", held);
    blocker();
    CompletableFuture<ConsumeResult> a = processor.consume(TestData.traces(0, 1, 1, 4));
    CompletableFuture<ConsumeResult> b = processor.consume(TestData.traces(4, 1, 1, 4));
    assertThat(sent).hasSize(1);
    CompletableFuture<ConsumeResult> c = processor.consume(TestData.traces(8, 1, 1, 4));
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).itemCount()).isEqualTo(12);
    assertThat(TestData.spanNames(sent.subList(1, 2)))
        .containsExactlyElementsOf(IntStream.range(0, 12).mapToObj(i -> "span-" + i).toList());
    assertThat(a).isNotDone();
    assertThat(c).isNotDone();
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a.get(1, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
    assertThat(b).isCompleted();
    assertThat(c).isCompleted();
  }

  @Test
  void timeoutTriggerSendsWhatIsPendingEvenWhileDownstreamIsBusy() throws Exception {
    start("batch: {timeout: 50ms, send_batch_size: 1000}", held);
    blocker();
    CompletableFuture<ConsumeResult> a = processor.consume(TestData.traces(0, 1, 1, 3));
    assertThat(sent).hasSize(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (sent.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).itemCount()).isEqualTo(3);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a.get(1, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
  }

  @Test
  void aLargeBatchPassesThroughUntouched() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 10}", immediate);
    Traces big = TestData.traces(0, 1, 1, 50);
    assertThat(processor.consume(big).get(1, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
    assertThat(sent).containsExactly(big);
  }

  @Test
  void maxSizeCutsBatchesAndTheRequestWaitsForEveryPiece() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 10, send_batch_max_size: 15}", held);
    CompletableFuture<ConsumeResult> a = processor.consume(TestData.traces(0, 2, 2, 10)); // 40 items
    assertThat(sent).extracting(Traces::itemCount).containsExactly(15, 15, 10);
    assertThat(TestData.spanNames(sent)).containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> "span-" + i).toList());
    downstream.get(0).complete(ConsumeResult.ACCEPTED);
    downstream.get(1).complete(ConsumeResult.ACCEPTED);
    assertThat(a).isNotDone();
    downstream.get(2).complete(ConsumeResult.ACCEPTED);
    assertThat(a.get(1, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
  }

  @Test
  void aDownstreamFailureFailsEveryRequestInTheBatch() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 6}", held);
    blocker();
    CompletableFuture<ConsumeResult> a = processor.consume(TestData.traces(0, 1, 1, 3));
    CompletableFuture<ConsumeResult> b = processor.consume(TestData.traces(3, 1, 1, 3));
    downstream.get(1).completeExceptionally(new RetryableException("store unavailable", Duration.ofSeconds(1), false));
    assertThatThrownBy(() -> a.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RetryableException.class);
    assertThatThrownBy(() -> b.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(RetryableException.class);
  }

  @Test
  void partialRejectionsReachEachRequestBoundedByWhatItSent() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 6}", held);
    blocker();
    CompletableFuture<ConsumeResult> a = processor.consume(TestData.traces(0, 1, 1, 2));
    CompletableFuture<ConsumeResult> b = processor.consume(TestData.traces(2, 1, 1, 4));
    downstream.get(1).complete(ConsumeResult.partial(3, "3 spans too old"));
    assertThat(a.get(1, TimeUnit.SECONDS)).isEqualTo(new ConsumeResult(2, "3 spans too old"));
    assertThat(b.get(1, TimeUnit.SECONDS)).isEqualTo(new ConsumeResult(3, "3 spans too old"));
  }

  @Test
  void closeFlushesWhatIsPendingAndWaitsForIt() throws Exception {
    start("batch: {timeout: 10s, send_batch_size: 1000}", held);
    blocker();
    List<CompletableFuture<ConsumeResult>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(processor.consume(TestData.traces(i * 2, 1, 1, 2)));
    }
    assertThat(sent).hasSize(1);
    Processor<Traces> closing = processor;
    processor = null;
    Thread closer = Thread.ofPlatform().start(() -> {
      try {
        closing.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (sent.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).itemCount()).isEqualTo(10);
    assertThat(closer.isAlive()).as("close waits for the sends in flight").isTrue();
    downstream.forEach(d -> d.complete(ConsumeResult.ACCEPTED));
    closer.join(5000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(all).allMatch(CompletableFuture::isDone);
  }

  @Test
  void concurrentProducersLoseAndDuplicateNothing() throws Exception {
    start("batch: {timeout: 5ms, send_batch_size: 64, send_batch_max_size: 100}", immediate);
    List<Thread> threads = new ArrayList<>();
    List<CompletableFuture<ConsumeResult>> results = new CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 10_000;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 500; i++) {
          results.add(processor.consume(TestData.traces(base + i * 3, 1, 1, 3)));
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    List<String> names = TestData.spanNames(sent);
    assertThat(names).hasSize(4 * 500 * 3).doesNotHaveDuplicates();
    assertThat(sent).allMatch(b -> b.itemCount() <= 100);
  }

  @Test
  void configIsValidated() {
    BatchProcessorFactory f = new BatchProcessorFactory();
    var loader = new YamlConfigLoader(k -> null);
    assertThatThrownBy(() -> f.parseConfig(loader.parse("t.yaml", "batch: {send_batch_size: 100, send_batch_max_size: 50}")
        .map("batch"))).hasMessageContaining("t.yaml:1:52: batch.send_batch_max_size: must be 0 (no maximum) or at least");
    assertThatThrownBy(() -> f.parseConfig(loader.parse("t.yaml", "batch: {timeout: soon}").map("batch")))
        .hasMessageContaining("batch.timeout: invalid value \"soon\"");
    assertThatThrownBy(() -> f.parseConfig(loader.parse("t.yaml", "batch: {metadata_keys: [tenant]}").map("batch")))
        .hasMessageContaining("batch.metadata_keys: not supported yet");
    assertThat(f.parseConfig(loader.parse("t.yaml", "batch:").map("batch")))
        .isEqualTo(new BatchConfig(Duration.ofMillis(200), 8192, 0));
  }
}
