package io.sightline.collector.processor.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Traces;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter's decisions, driven by a fake heap. */
class MemoryLimiterTest {
  private static final long MIB = 1 << 20;
  private final AtomicLong heap = new AtomicLong(100 * MIB);
  /** What a GC leaves behind: the live part of the heap. */
  private final AtomicLong live = new AtomicLong(100 * MIB);
  private final AtomicInteger gcs = new AtomicInteger();

  private MemoryLimiter limiter(String yaml) {
    MemoryLimiterConfig config = MemoryLimiterConfig.parse(new YamlConfigLoader(k -> null).parse("t.yaml", yaml)
        .map("memory_limiter"));
    return new MemoryLimiter(config, new ObsReport(new PrometheusRegistry()).memoryLimiter(ComponentId.parse("m")),
        1024 * MIB, heap::get, () -> {
          gcs.incrementAndGet();
          heap.set(live.get());
        });
  }

  @Test
  void garbageAboveTheSoftLimitIsNotARefusalButAGcFindsTheTruth() {
    MemoryLimiter l = limiter("memory_limiter: {check_interval: 1s, limit_mib: 500, spike_limit_mib: 100}");
    heap.set(450 * MIB); // above soft (400), below hard: mostly garbage, no reason to refuse yet
    l.check();
    assertThat(l.refusing()).isFalse();
    assertThat(gcs).hasValue(0);

    heap.set(520 * MIB); // above hard: force a GC to learn what is live
    live.set(150 * MIB);
    l.check();
    assertThat(gcs).hasValue(1);
    assertThat(l.refusing()).isFalse();

    heap.set(520 * MIB);
    live.set(450 * MIB); // live data above soft: refuse
    l.check();
    assertThat(l.refusing()).isTrue();
  }

  @Test
  void resumesWhenMemoryIsFreed() {
    MemoryLimiter l = limiter("memory_limiter: {check_interval: 1s, limit_mib: 500, spike_limit_mib: 100,"
        + " min_gc_interval_when_soft_limited: 0s}");
    heap.set(600 * MIB);
    live.set(480 * MIB);
    l.check();
    assertThat(l.refusing()).isTrue();
    live.set(200 * MIB); // the store flushed
    l.check(); // while refusing, a GC is forced to notice
    assertThat(l.refusing()).isFalse();
  }

  @Test
  void percentagesAreOfTheMaximumHeap() {
    MemoryLimiterConfig c = MemoryLimiterConfig.parse(new YamlConfigLoader(k -> null)
        .parse("t.yaml", "m: {check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 20}").map("m"));
    assertThat(c.hardLimit(1000 * MIB)).isEqualTo(800 * MIB);
    assertThat(c.softLimit(1000 * MIB)).isEqualTo(600 * MIB);
    MemoryLimiterConfig d = MemoryLimiterConfig.parse(new YamlConfigLoader(k -> null)
        .parse("t.yaml", "m: {check_interval: 1s, limit_mib: 1000}").map("m"));
    assertThat(d.softLimit(0)).isEqualTo(800 * MIB);
  }

  @Test
  void theProcessorRefusesWithARetryableOverloadWhileRefusing() {
    MemoryLimiter l = limiter("memory_limiter: {check_interval: 1s, limit_mib: 500, spike_limit_mib: 100}");
    List<Traces> passed = new java.util.ArrayList<>();
    Consumer<Traces> next = b -> {
      passed.add(b);
      return CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
    };
    var processor = new MemoryLimiterProcessorFactory.MemoryLimiterProcessor<>(l, next);
    Traces batch = Traces.of(List.of());
    assertThat(processor.consume(batch).join()).isEqualTo(ConsumeResult.ACCEPTED);

    heap.set(600 * MIB);
    live.set(480 * MIB);
    l.check();
    CompletableFuture<ConsumeResult> refused = processor.consume(batch);
    assertThat(refused).isCompletedExceptionally();
    try {
      refused.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(RetryableException.class)
          .hasMessage("data refused due to high memory usage");
      assertThat(((RetryableException) e.getCause()).overload()).isTrue();
      assertThat(((RetryableException) e.getCause()).retryAfter()).isEqualTo(java.time.Duration.ofSeconds(1));
    }
    assertThat(passed).hasSize(1);
  }
}
