package io.sightline.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.remotewrite.FakeReceiver.Answer;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue against a small HTTP receiver on 127.0.0.1: batching, headers, retries with backoff on 5xx and 429,
 * drops on other 4xx and when the queue is full, write relabeling, sample age, metadata and shutdown. Waits between
 * retries are recorded instead of slept, so the backoff is checked exactly and no test sleeps.
 */
class QueueManagerTest {
  private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private FakeReceiver receiver(Answer... script) throws IOException {
    FakeReceiver r = new FakeReceiver(script);
    open.add(r);
    return r;
  }

  private static RemoteWriteConfig config(String yaml) {
    return RemoteWriteConfig.parse(new YamlConfigLoader(k -> null).parse("rw.yaml", yaml), false);
  }

  /** A started queue whose waits between retries are recorded, not slept. */
  private QueueManager queue(RemoteWriteConfig c) {
    return queue(c, System::currentTimeMillis, d -> {
      pauses.add(d);
      return true;
    });
  }

  private QueueManager queue(RemoteWriteConfig c, LongSupplier clock, QueueManager.Pause pause) {
    QueueManager q = new QueueManager(c, new RemoteWriteClient(c, "test-agent/1.0"),
        new RemoteWriteMetrics(new PrometheusRegistry()), clock, pause);
    open.add(() -> q.close(Duration.ofSeconds(5)));
    return q;
  }

  private static Labels series(String name, int i) {
    return Labels.of("__name__", name, "i", Integer.toString(i));
  }

  private static WriteBatch samples(int from, int to) {
    WriteBatch b = new WriteBatch();
    for (int i = from; i < to; i++) {
      b.sample(series("calls_total", i), 1_000L * i, i);
    }
    return b;
  }

  @Test
  void batchesOfMaxSamplesPerSendWithRemoteWriteHeadersInOrder() throws Exception {
    FakeReceiver r = receiver();
    QueueManager q = queue(config("""
        url: %s
        name: primary
        headers: {X-Scope-OrgID: tenant-a}
        basic_auth: {username: user, password: secret}
        send_exemplars: true
        queue_config: {max_samples_per_send: 2, batch_send_deadline: 1h}
        """.formatted(r.url())));
    WriteBatch b = samples(0, 5);
    b.exemplar(series("calls_total", 4), Labels.of("traceID", "00112233445566778899aabbccddeeff"), 4_000, 4);
    q.enqueue(b);
    q.start();

    // Six entries in threes of two: full requests go at once, without waiting for the (hour-long) deadline.
    List<Decoded> got = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      FakeReceiver.Request request = r.next();
      assertThat(request.headers().getFirst("Content-Encoding")).isEqualTo("snappy");
      assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
      assertThat(request.headers().getFirst("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
      assertThat(request.headers().getFirst("User-Agent")).isEqualTo("test-agent/1.0");
      assertThat(request.headers().getFirst("X-Scope-OrgID")).isEqualTo("tenant-a");
      assertThat(request.headers().getFirst("Authorization")).isEqualTo("Basic "
          + Base64.getEncoder().encodeToString("user:secret".getBytes()));
      assertThat(request.headers().getFirst("Retry-Attempt")).isNull();
      got.add(request.decoded());
    }
    assertThat(got).allSatisfy(d -> assertThat(d.summary().samples() + d.summary().exemplars()).isEqualTo(2));
    assertThat(got.stream().flatMap(d -> d.samples().stream()).map(Decoded.Sample::value).toList())
        .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
    assertThat(got.get(2).series().getLast().exemplars()).hasSize(1);
    assertThat(q.close(Duration.ofSeconds(10))).isTrue();
    RemoteWriteMetrics.Queue m = q.metrics();
    assertThat(m.samples().get()).isEqualTo(5);
    assertThat(m.exemplars().get()).isEqualTo(1);
    assertThat(m.samplesFailed().get() + m.samplesRetried().get() + m.samplesDropped().get()).isZero();
    assertThat(m.bytes().get()).isPositive();
    assertThat(m.samplesPending().get()).isZero();
    assertThat(m.highestSentTimestamp().get()).isEqualTo(4);
  }

  @Test
  void serverErrorsAreRetriedWithTheSameRequestAndADoublingBackoff() throws Exception {
    FakeReceiver r = receiver(Answer.of(500), Answer.of(503), Answer.of(502), Answer.of(500));
    QueueManager q = queue(config("""
        url: %s
        queue_config: {max_samples_per_send: 10, min_backoff: 30ms, max_backoff: 100ms}
        """.formatted(r.url())));
    q.enqueue(samples(0, 3));
    q.start();
    assertThat(q.close(Duration.ofSeconds(30))).isTrue();

    List<FakeReceiver.Request> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      requests.add(r.next());
    }
    assertThat(requests).extracting(x -> x.headers().getFirst("Retry-Attempt"))
        .containsExactly(null, "1", "2", "3", "4");
    assertThat(requests).allSatisfy(x -> assertThat(x.body()).isEqualTo(requests.getFirst().body()));
    assertThat(pauses).containsExactly(Duration.ofMillis(30), Duration.ofMillis(60), Duration.ofMillis(100),
        Duration.ofMillis(100));
    RemoteWriteMetrics.Queue m = q.metrics();
    assertThat(m.samplesRetried().get()).isEqualTo(12);
    assertThat(m.samples().get()).isEqualTo(15); // every attempt counts, as in Prometheus
    assertThat(m.samplesFailed().get()).isZero();
  }

  @Test
  void retryAfterIsHonouredAnd429IsRetriedOnlyWhenAsked() throws Exception {
    FakeReceiver r = receiver(new Answer(429, Map.of("Retry-After", "7"), "slow down"),
        new Answer(503, Map.of("Retry-After", "2"), ""));
    QueueManager q = queue(config("""
        url: %s
        queue_config: {retry_on_http_429: true}
        """.formatted(r.url())));
    q.enqueue(samples(0, 1));
    q.start();
    assertThat(q.close(Duration.ofSeconds(30))).isTrue();
    assertThat(pauses).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
    assertThat(q.metrics().samplesRetried().get()).isEqualTo(2);

    pauses.clear();
    FakeReceiver dropping = receiver(new Answer(429, Map.of("Retry-After", "7"), "slow down"));
    QueueManager defaults = queue(config("url: " + dropping.url()));
    defaults.enqueue(samples(0, 3));
    defaults.start();
    assertThat(defaults.close(Duration.ofSeconds(30))).isTrue();
    assertThat(pauses).isEmpty();
    assertThat(defaults.metrics().samplesFailed().get()).isEqualTo(3);
    assertThat(defaults.metrics().samplesRetried().get()).isZero();
  }

  @Test
  void otherClientErrorsDropTheRequestAndTheQueueGoesOn() throws Exception {
    FakeReceiver r = receiver(new Answer(400, Map.of(), "out of order sample"));
    QueueManager q = queue(config("""
        url: %s
        queue_config: {max_samples_per_send: 2}
        """.formatted(r.url())));
    q.start();
    q.enqueue(samples(0, 2));
    assertThat(r.next().decoded().samples()).hasSize(2);
    q.enqueue(samples(2, 4));
    assertThat(r.next().decoded().samples()).extracting(Decoded.Sample::value).containsExactly(2.0, 3.0);
    assertThat(q.close(Duration.ofSeconds(10))).isTrue();
    assertThat(pauses).isEmpty();
    assertThat(q.metrics().samplesFailed().get()).isEqualTo(2);
    assertThat(q.metrics().samples().get()).isEqualTo(4);
  }

  @Test
  void aFullQueueDropsItsOldestEntries() throws Exception {
    FakeReceiver r = receiver();
    QueueManager q = queue(config("""
        url: %s
        queue_config: {capacity: 2, max_shards: 2, max_samples_per_send: 10}
        """.formatted(r.url())));
    q.enqueue(samples(0, 10)); // before the sender starts: the queue holds 2 × 2
    assertThat(q.metrics().samplesDropped().get()).isEqualTo(6);
    assertThat(q.metrics().samplesPending().get()).isEqualTo(4);
    q.start();
    assertThat(q.close(Duration.ofSeconds(10))).isTrue();
    assertThat(r.next().decoded().samples()).extracting(Decoded.Sample::value).containsExactly(6.0, 7.0, 8.0, 9.0);
  }

  @Test
  void writeRelabelingAppliesAndExemplarsStayHomeUnlessAsked() throws Exception {
    FakeReceiver r = receiver();
    QueueManager q = queue(config("""
        url: %s
        write_relabel_configs:
          - {source_labels: [__name__], regex: drop_me, action: drop}
          - {target_label: env, replacement: test}
        """.formatted(r.url())));
    WriteBatch b = new WriteBatch().sample(Labels.of("__name__", "keep_me"), 1, 1)
        .sample(Labels.of("__name__", "drop_me"), 1, 2)
        .exemplar(Labels.of("__name__", "keep_me"), Labels.of("traceID", "ab"), 1, 1);
    q.enqueue(b);
    q.start();
    assertThat(q.close(Duration.ofSeconds(10))).isTrue();
    Decoded d = r.next().decoded();
    assertThat(d.series()).extracting(Decoded.Series::labels)
        .containsExactly(Labels.of("__name__", "keep_me", "env", "test"));
    assertThat(d.summary().exemplars()).isZero();
    assertThat(q.metrics().samplesDropped().get()).isEqualTo(1);
    assertThat(q.metrics().exemplarsDropped().get()).isZero();
  }

  @Test
  void samplesOlderThanTheAgeLimitAreDroppedBeforeSending() throws Exception {
    FakeReceiver r = receiver();
    long now = 10_000_000;
    QueueManager q = queue(config("""
        url: %s
        queue_config: {sample_age_limit: 1m}
        """.formatted(r.url())), () -> now, d -> true);
    q.enqueue(new WriteBatch().sample(series("x", 0), now - 120_000, 1).sample(series("x", 1), now - 1_000, 2));
    q.start();
    assertThat(q.close(Duration.ofSeconds(10))).isTrue();
    assertThat(r.next().decoded().samples()).containsExactly(new Decoded.Sample(now - 1_000, 2));
    assertThat(q.metrics().samplesDropped().get()).isEqualTo(1);
  }

  @Test
  void metadataGoesOutInRequestsOfItsOwnEverySendInterval() throws Exception {
    FakeReceiver r = receiver();
    QueueManager q = queue(config("""
        url: %s
        metadata_config: {send_interval: 10ms, max_samples_per_send: 1}
        """.formatted(r.url())));
    q.start();
    q.enqueue(new WriteBatch().metadata("calls", "counter", "Calls.", "")
        .metadata("latency", "histogram", "Latency.", "seconds"));
    Decoded first = r.next().decoded();
    Decoded second = r.next().decoded();
    assertThat(first.series()).isEmpty();
    assertThat(List.of(first.metadata().getFirst(), second.metadata().getFirst())).containsExactly(
        new WriteBatch.Metadata("calls", "counter", "Calls.", ""),
        new WriteBatch.Metadata("latency", "histogram", "Latency.", "seconds"));
    assertThat(q.close(Duration.ofSeconds(10))).isTrue();
    assertThat(q.metrics().metadata().get()).isGreaterThanOrEqualTo(2);
    assertThat(q.metrics().metadataBytes().get()).isPositive();
  }

  @Test
  void anUnreachableEndpointIsRetriedAndWhatIsHeldAtShutdownIsCountedAsDropped() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    AtomicInteger waits = new AtomicInteger();
    QueueManager q = queue(config("url: http://127.0.0.1:" + closedPort + "/api/v1/write"),
        System::currentTimeMillis, d -> waits.incrementAndGet() <= 2);
    q.enqueue(samples(0, 1));
    q.start();
    assertThat(q.close(Duration.ofSeconds(10))).isFalse();
    assertThat(waits.get()).isEqualTo(3);
    assertThat(q.metrics().samplesRetried().get()).isEqualTo(2);
    assertThat(q.metrics().samplesDropped().get()).isEqualTo(1);
  }

  @Test
  void shutdownGivesUpAtItsDeadlineOnAnEndpointThatKeepsFailing() throws Exception {
    Answer[] failures = new Answer[10_000];
    java.util.Arrays.fill(failures, Answer.of(500));
    FakeReceiver r = receiver(failures);
    QueueManager q = queue(config("""
        url: %s
        queue_config: {min_backoff: 10ms, max_backoff: 20ms, batch_send_deadline: 10ms}
        """.formatted(r.url())), System::currentTimeMillis, null);
    q.start();
    q.enqueue(samples(0, 3));
    r.next(); // it is being retried
    assertThat(q.close(Duration.ofMillis(200))).isFalse();
    assertThat(q.metrics().samplesDropped().get()).isEqualTo(3);
    assertThat(q.metrics().samplesPending().get()).isZero();
    // Closed: nothing more is taken.
    q.enqueue(samples(3, 4));
    assertThat(q.metrics().samplesDropped().get()).isEqualTo(4);
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    assertThat(RemoteWriteClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(RemoteWriteClient.retryAfter("0")).isNull();
    assertThat(RemoteWriteClient.retryAfter("")).isNull();
    assertThat(RemoteWriteClient.retryAfter("soon")).isNull();
    assertThat(RemoteWriteClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
    String future = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusHours(1));
    assertThat(RemoteWriteClient.retryAfter(future)).isBetween(Duration.ofMinutes(50), Duration.ofMinutes(61));
  }
}
