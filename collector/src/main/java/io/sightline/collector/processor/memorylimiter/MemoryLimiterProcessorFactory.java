package io.sightline.collector.processor.memorylimiter;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.ProcessorFactory;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Type {@code memory_limiter}. Every pipeline listing the same id shares one {@link MemoryLimiter}. */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {
  /** The Collector's message, which senders log; kept word for word so that runbooks still match. */
  static final String REFUSED_MESSAGE = "data refused due to high memory usage";

  private final Map<ComponentId, MemoryLimiter> shared = new HashMap<>();

  @Override
  public String type() {
    return "memory_limiter";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public MemoryLimiterConfig parseConfig(ConfigMap config) {
    return MemoryLimiterConfig.parse(config);
  }

  @Override
  public <T extends Telemetry> Processor<T> create(ComponentSettings settings, MemoryLimiterConfig config,
      Signal signal, Consumer<T> next) {
    MemoryLimiter limiter;
    synchronized (shared) {
      limiter = shared.computeIfAbsent(settings.id(),
          id -> MemoryLimiter.forThisJvm(config, settings.host().obsReport().memoryLimiter(id)));
    }
    return new MemoryLimiterProcessor<>(limiter, next);
  }

  static final class MemoryLimiterProcessor<T extends Telemetry> implements Processor<T> {
    private final MemoryLimiter limiter;
    private final Consumer<T> next;

    MemoryLimiterProcessor(MemoryLimiter limiter, Consumer<T> next) {
      this.limiter = limiter;
      this.next = next;
    }

    @Override
    public CompletableFuture<ConsumeResult> consume(T batch) {
      if (limiter.refusing()) {
        return CompletableFuture.failedFuture(new RetryableException(REFUSED_MESSAGE, limiter.retryAfter(), true));
      }
      return next.consume(batch);
    }

    @Override
    public void start() {
      limiter.acquire();
    }

    @Override
    public void close() {
      limiter.release();
    }
  }
}
