package io.sightline.collector.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** retry_on_failure's arithmetic and outcomes, with a scripted sender. */
class RetryingSenderTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static RetrySettings settings(double randomization, Duration maxElapsed) {
    return new RetrySettings(true, Duration.ofMillis(1), randomization, 1.5, Duration.ofMillis(4), maxElapsed);
  }

  @Test
  void eachWaitIsDrawnAroundTheIntervalByTheRandomizationFactor() {
    RetryingSender<String> low = new RetryingSender<>("t", b -> null, settings(0.5, Duration.ZERO), timer, () -> 0);
    RetryingSender<String> high = new RetryingSender<>("t", b -> null, settings(0.5, Duration.ZERO), timer,
        () -> 0.999999);
    RetryingSender<String> none = new RetryingSender<>("t", b -> null, settings(0, Duration.ZERO), timer, () -> 0.7);
    assertThat(low.randomized(1_000_000)).isEqualTo(500_000);
    assertThat(high.randomized(1_000_000)).isBetween(1_499_000L, 1_500_001L);
    assertThat(none.randomized(1_000_000)).isEqualTo(1_000_000);
  }

  @Test
  void retriesUntilTakenAndStopsAtAPermanentError() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Sender<String> flaky = b -> attempts.incrementAndGet() < 4
        ? CompletableFuture.failedFuture(new RetryableException("busy", null, false))
        : CompletableFuture.completedFuture(null);
    RetryingSender<String> s = new RetryingSender<>("t", flaky, settings(0.5, Duration.ZERO), timer, () -> 0.5);
    s.send("batch").get(30, TimeUnit.SECONDS);
    assertThat(attempts).hasValue(4);

    AtomicInteger refused = new AtomicInteger();
    RetryingSender<String> p = new RetryingSender<>("t", b -> {
      refused.incrementAndGet();
      return CompletableFuture.failedFuture(new PermanentException("bad"));
    }, settings(0.5, Duration.ZERO), timer, () -> 0.5);
    assertThatThrownBy(() -> p.send("batch").join()).cause().isInstanceOf(PermanentException.class);
    assertThat(refused).hasValue(1);
  }

  @Test
  void aThrottleDelayLongerThanWhatIsLeftEndsTheRetries() {
    // The peer asks for an hour; max_elapsed_time allows a minute: the Collector gives up rather than wait past it.
    RetryingSender<String> s = new RetryingSender<>("t",
        b -> CompletableFuture.failedFuture(new RetryableException("slow down", Duration.ofHours(1), true)),
        settings(0.5, Duration.ofMinutes(1)), timer, () -> 0.5);
    assertThatThrownBy(() -> s.send("batch").join()).cause().isInstanceOf(RetryableException.class)
        .hasMessage("no more retries left: slow down");
  }

  @Test
  void closeEndsTheWaitsWithOneLastAttempt() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RetryingSender<String> s = new RetryingSender<>("t", b -> {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new RetryableException("down", Duration.ofHours(1), false));
    }, settings(0.5, Duration.ZERO), timer, () -> 0.5);
    CompletableFuture<Void> f = s.send("batch");
    while (attempts.get() == 0) {
      Thread.sleep(1);
    }
    s.close();
    assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RetryableException.class)
        .hasMessage("interrupted due to shutdown: down");
    assertThat(attempts).hasValue(2);
  }
}
