package io.sightline.bench.logs;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.xerial.snappy.Snappy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pushes a log file to Loki's push API as Promtail does: the lines in batches of about {@code --batch-bytes} of
 * line bytes, grouped into streams (one per service, and per level unless {@code --no-level-label}), stamped with
 * the time each line carries, as a snappy-compressed {@code logproto.PushRequest}; {@code --concurrency} requests in
 * flight (as that many Promtails would send). A 429, a 5xx or a broken connection is retried as Promtail retries
 * it (exponential backoff from 500 ms, with jitter; ten retries; the longest wait cut from Promtail's 5 min to 5 s),
 * so that the rate is what the server sustains. Reports lines/s and MB/s of raw lines accepted (a line's bytes and
 * its newline, so that the whole file is the file's size) and the retries.
 */
@Command(name = "log-load", mixinStandardHelpOptions = true,
    description = "Pushes a log file to Loki's push API (snappy protobuf, as Promtail): lines/s and MB/s accepted.")
public final class LogLoad implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:3100/loki/api/v1/push",
      description = "Loki's push endpoint.")
  String url;

  @Option(names = "--file", required = true, description = "The log file (log-gen writes one).")
  Path file;

  @Option(names = "--batch-bytes", defaultValue = "1048576", description = "Promtail's batchsize: line bytes.")
  int batchBytes;

  @Option(names = "--concurrency", defaultValue = "4", description = "Requests in flight.")
  int concurrency;

  @Option(names = "--env", defaultValue = "prod", description = "The env label of every stream.")
  String env;

  @Option(names = "--level-label", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Whether the level is a stream label (streams are service × level), as many Promtail setups do.")
  boolean levelLabel;

  private static final int MAX_RETRIES = 10;
  private static final long MIN_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 5000;
  private static final byte[] SERVICE = LogLines.key("service");
  private static final byte[] LEVEL = LogLines.key("level");

  private final LongAdder retries = new LongAdder();
  private final Map<String, LongAdder> retryReasons = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "retry-timer");
    t.setDaemon(true);
    return t;
  });

  /** What one run did. */
  record Result(long lines, long rawBytes, long wireBytes, long requests, double seconds, long retries,
      Map<String, Long> retryReasons, Map<String, Long> failures) {}

  @Override
  public Integer call() throws Exception {
    Result r = run();
    System.out.printf(Locale.ROOT, "{\"lines\":%d,\"raw_bytes\":%d,\"seconds\":%.2f,\"lines_per_second\":%.0f,"
        + "\"mb_per_second\":%.1f,\"requests\":%d,\"wire_mb\":%.1f,\"retries\":%d,\"retried\":\"%s\","
        + "\"failures\":\"%s\"}%n", r.lines, r.rawBytes, r.seconds, r.lines / r.seconds, r.rawBytes / r.seconds / 1e6,
        r.requests, r.wireBytes / 1e6, r.retries, r.retryReasons, r.failures);
    return r.failures.isEmpty() ? 0 : 1;
  }

  Result run() throws IOException, InterruptedException {
    URI uri = URI.create(url);
    String base = "h1c://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
    RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, uri.getRawPath())
        .contentType(MediaType.parse("application/x-protobuf"))
        .set(HttpHeaderNames.USER_AGENT, "sightline-bench-log-load (promtail-like)").build();
    LongAdder acceptedLines = new LongAdder();
    LongAdder acceptedBytes = new LongAdder();
    LongAdder wireBytes = new LongAdder();
    LongAdder requests = new LongAdder();
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(concurrency);
    Map<String, String> labelStrings = new HashMap<>();
    long start = System.nanoTime();
    try (ClientFactory factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(2).build();
        InputStream in = Files.newInputStream(file)) {
      WebClient client = WebClient.builder(base).factory(factory).responseTimeout(Duration.ofSeconds(120)).build();
      LogLines lines = new LogLines(in);
      Map<String, PushEncoder.StreamEntries> batch = new LinkedHashMap<>();
      long batchLineBytes = 0;
      int batchLines = 0;
      for (byte[] line = lines.next(); ; line = lines.next()) {
        if (line != null) {
          String service = LogLines.field(line, SERVICE, "unknown_service");
          String level = levelLabel ? LogLines.field(line, LEVEL, "unknown") : "";
          String labels = labelStrings.computeIfAbsent(service + "\u0000" + level, k -> "{env=\"" + env + "\""
              + (levelLabel ? ", level=\"" + level + "\"" : "") + ", service_name=\"" + service + "\"}");
          batch.computeIfAbsent(labels, PushEncoder.StreamEntries::new)
              .add(lines.timestampNanos(line, System.currentTimeMillis() * 1_000_000L), line);
          batchLineBytes += line.length + 1;
          batchLines++;
        }
        if (batchLineBytes >= batchBytes || (line == null && batchLines > 0)) {
          byte[] body = Snappy.compress(PushEncoder.encode(batch.values()));
          long sentLines = batchLines;
          long sentBytes = batchLineBytes;
          inFlight.acquire();
          requests.increment();
          send(client, headers, body, 0, () -> {
            acceptedLines.add(sentLines);
            acceptedBytes.add(sentBytes);
            wireBytes.add(body.length);
            inFlight.release();
          }, why -> {
            failures.computeIfAbsent(why, k -> new LongAdder()).increment();
            inFlight.release();
          });
          batch = new LinkedHashMap<>();
          batchLineBytes = 0;
          batchLines = 0;
        }
        if (line == null) {
          break;
        }
      }
      inFlight.acquire(concurrency);
    }
    retryTimer.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(acceptedLines.sum(), acceptedBytes.sum(), wireBytes.sum(), requests.sum(), seconds,
        retries.sum(), sums(retryReasons), sums(failures));
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counts) {
    Map<String, Long> out = new HashMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * Posts {@code body}; on 429, 5xx or a connection error waits and tries again, as Promtail's client does: the wait
   * doubles from 500 ms with jitter, up to ten retries. The request keeps its slot meanwhile, so that a server that
   * pushes back slows the reading down.
   */
  private void send(WebClient client, RequestHeaders headers, byte[] body, int retry, Runnable accepted,
      Consumer<String> failed) {
    client.execute(headers, HttpData.wrap(body)).aggregate().handle((response, error) -> {
      if (error == null && response.status().isSuccess()) {
        accepted.run();
        return null;
      }
      int code = error == null ? response.status().code() : 0;
      boolean retryable = error != null || code == 429 || code >= 500;
      String message = error != null ? error.getClass().getSimpleName()
          : code + " " + response.contentUtf8().lines().findFirst().orElse("");
      message = (message.length() > 120 ? message.substring(0, 120) : message).replace('"', '\'');
      if (retryable && retry < MAX_RETRIES) {
        retries.increment();
        retryReasons.computeIfAbsent(message, k -> new LongAdder()).increment();
        long backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << retry);
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        retryTimer.schedule(() -> send(client, headers, body, retry + 1, accepted, failed), delay,
            TimeUnit.MILLISECONDS);
        return null;
      }
      failed.accept(message);
      return null;
    });
  }
}
