package io.sightline.bench.remotewrite;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.xerial.snappy.Snappy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sends {@code --series} series × {@code --samples} samples by remote write 1.0, round by round: round r carries
 * sample r of every series, so each series stays in timestamp order as Prometheus requires. The series are counters,
 * random-walk gauges and classic histograms with realistic labels. Label bytes are encoded once per series; each
 * request then only appends samples and compresses, so the generator's own CPU stays small.
 */
@Command(name = "remote-write-load", mixinStandardHelpOptions = true,
    description = "Prometheus remote-write load generator: samples/s accepted by a receiver.")
public final class RemoteWriteLoad implements Callable<Integer> {

  @Option(names = "--url", defaultValue = "http://127.0.0.1:3000/api/v1/write")
  String url;

  @Option(names = "--series", defaultValue = "100000")
  int seriesCount;

  @Option(names = "--samples", defaultValue = "120", description = "Samples per series.")
  int samplesPerSeries;

  @Option(names = "--interval", defaultValue = "15000", description = "Milliseconds between a series' samples.")
  long intervalMs;

  @Option(names = "--series-per-request", defaultValue = "2000")
  int seriesPerRequest;

  @Option(names = "--concurrency", defaultValue = "8")
  int concurrency;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--json-out")
  Path jsonOut;

  @Option(names = "--end", defaultValue = "0",
      description = "Timestamp (ms) of the last sample; 0 means now. Set it to give two peers the same data.")
  long endMs;

  /** What a run measured. */
  public record Result(long samples, long requests, double seconds, Map<String, Long> failures) {
    double samplesPerSecond() {
      return samples / seconds;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%,d samples in %.1f s = %,.0f samples/s, %d requests, failures %s", samples,
          seconds, samplesPerSecond(), requests, failures);
    }
  }

  @Override
  public Integer call() throws Exception {
    Result r = run();
    System.out.println(r);
    if (jsonOut != null) {
      Files.writeString(jsonOut, String.format(Locale.ROOT,
          "{\"samples\":%d,\"requests\":%d,\"seconds\":%.3f,\"samples_per_second\":%.1f,\"failures\":%d}%n",
          r.samples(), r.requests(), r.seconds(), r.samplesPerSecond(),
          r.failures().values().stream().mapToLong(Long::longValue).sum()));
    }
    return r.failures().isEmpty() ? 0 : 1;
  }

  public Result run() throws Exception {
    Random random = new Random(seed);
    List<SeriesShape> series = shapes(random);
    long start = (endMs > 0 ? endMs + intervalMs : System.currentTimeMillis()) - samplesPerSeries * intervalMs;
    double[] state = new double[series.size()];

    URIParts target = URIParts.of(url);
    try (ClientFactory factory = ClientFactory.builder().build()) {
      WebClient client = WebClient.builder(target.base()).factory(factory).responseTimeout(Duration.ofSeconds(60))
          .build();
      RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, target.path())
          .contentType(MediaType.parse("application/x-protobuf")).add("content-encoding", "snappy")
          .add("x-prometheus-remote-write-version", "0.1.0").add("user-agent", "sightline-bench/remote-write-load")
          .build();
      // Like Prometheus' shards: a series range always goes through the same shard, one request at a time, so that
      // no series can overtake itself; the shards run in parallel.
      Semaphore[] shards = new Semaphore[concurrency];
      for (int i = 0; i < concurrency; i++) {
        shards[i] = new Semaphore(1);
      }
      LongAdder samples = new LongAdder();
      LongAdder requests = new LongAdder();
      Map<String, LongAdder> failures = new ConcurrentHashMap<>();
      long t0 = System.nanoTime();
      ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
      for (int round = 0; round < samplesPerSeries; round++) {
        long ts = start + round * intervalMs;
        for (int from = 0; from < series.size(); from += seriesPerRequest) {
          int to = Math.min(series.size(), from + seriesPerRequest);
          body.reset();
          for (int i = from; i < to; i++) {
            state[i] = series.get(i).next(state[i], random, round);
            writeSeries(body, series.get(i).labelBytes, state[i], ts);
          }
          byte[] compressed = Snappy.compress(body.toByteArray());
          int n = to - from;
          Semaphore shard = shards[(from / seriesPerRequest) % concurrency];
          shard.acquire();
          client.execute(headers, HttpData.wrap(compressed)).aggregate().handle((response, error) -> {
            try {
              count(response, error, n, samples, requests, failures);
            } finally {
              shard.release(); // after counting: the final wait for the shards must see every count
            }
            return null;
          });
        }
      }
      for (Semaphore shard : shards) {
        shard.acquire();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Long> failed = new TreeMap<>();
      failures.forEach((k, v) -> failed.put(k, v.sum()));
      return new Result(samples.sum(), requests.sum(), seconds, failed);
    }
  }

  private static void count(com.linecorp.armeria.common.AggregatedHttpResponse response, Throwable error, int n,
      LongAdder samples, LongAdder requests, Map<String, LongAdder> failures) {
    if (error == null && response.status().code() / 100 == 2) {
      samples.add(n);
      requests.increment();
    } else {
      String why = error != null ? error.getClass().getSimpleName() : "http " + response.status().code()
          + " " + response.contentUtf8().lines().findFirst().orElse("");
      failures.computeIfAbsent(why, k -> new LongAdder()).increment();
    }
  }

  /** {@code TimeSeries} field 1 (labels, precomputed) and field 2 (one sample), inside a {@code WriteRequest} field 1. */
  private static void writeSeries(ByteArrayOutputStream out, byte[] labelBytes, double value, long ts) {
    int sampleSize = 1 + 8 + 1 + varintSize(ts);
    int seriesSize = labelBytes.length + 1 + varintSize(sampleSize) + sampleSize;
    out.write(0x0a);
    writeVarint(out, seriesSize);
    out.writeBytes(labelBytes);
    out.write(0x12);
    writeVarint(out, sampleSize);
    out.write(0x09);
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) {
      out.write((int) (bits >>> (8 * i)));
    }
    out.write(0x10);
    writeVarint(out, ts);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  /** One series: its encoded labels and how its value evolves. */
  private record SeriesShape(byte[] labelBytes, Kind kind) {
    enum Kind { COUNTER, GAUGE, BUCKET, SUM, COUNT }

    double next(double previous, Random random, int round) {
      return switch (kind) {
        case COUNTER, BUCKET, COUNT -> previous + random.nextInt(20);
        case SUM -> previous + random.nextDouble() * 5;
        case GAUGE -> Math.max(0, previous + random.nextGaussian() * 10);
      };
    }
  }

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] CODES = {"200", "201", "400", "404", "500"};
  private static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"};

  /**
   * Series of a fleet: per instance, request counters by method and code, a few gauges and a latency histogram, until
   * {@code --series} is reached.
   */
  private List<SeriesShape> shapes(Random random) {
    List<SeriesShape> out = new ArrayList<>(seriesCount);
    int instance = 0;
    while (out.size() < seriesCount) {
      String job = "service-" + (instance % 20);
      String inst = "10.0." + (instance / 250) + "." + (instance % 250) + ":9100";
      for (String method : METHODS) {
        for (String code : CODES) {
          add(out, SeriesShape.Kind.COUNTER, "http_requests_total", job, inst, "method", method, "code", code);
        }
      }
      for (String gauge : new String[] {"process_resident_memory_bytes", "go_goroutines", "node_load1",
          "process_open_fds", "node_memory_MemAvailable_bytes"}) {
        add(out, SeriesShape.Kind.GAUGE, gauge, job, inst);
      }
      for (String route : new String[] {"/api/orders", "/api/cart", "/api/pay"}) {
        for (String le : LE) {
          add(out, SeriesShape.Kind.BUCKET, "http_request_duration_seconds_bucket", job, inst, "route", route, "le", le);
        }
        add(out, SeriesShape.Kind.SUM, "http_request_duration_seconds_sum", job, inst, "route", route);
        add(out, SeriesShape.Kind.COUNT, "http_request_duration_seconds_count", job, inst, "route", route);
      }
      instance++;
    }
    return out.subList(0, seriesCount);
  }

  private static void add(List<SeriesShape> out, SeriesShape.Kind kind, String name, String job, String instance,
      String... extra) {
    TreeMap<String, String> labels = new TreeMap<>();
    labels.put("__name__", name);
    labels.put("job", job);
    labels.put("instance", instance);
    labels.put("env", "production");
    for (int i = 0; i < extra.length; i += 2) {
      labels.put(extra[i], extra[i + 1]);
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    labels.forEach((k, v) -> {
      byte[] kb = k.getBytes(StandardCharsets.UTF_8);
      byte[] vb = v.getBytes(StandardCharsets.UTF_8);
      int size = 1 + varintSize(kb.length) + kb.length + 1 + varintSize(vb.length) + vb.length;
      b.write(0x0a);
      writeVarint(b, size);
      b.write(0x0a);
      writeVarint(b, kb.length);
      b.writeBytes(kb);
      b.write(0x12);
      writeVarint(b, vb.length);
      b.writeBytes(vb);
    });
    out.add(new SeriesShape(b.toByteArray(), kind));
  }

  /** The target split for the client: base URL and path. */
  private record URIParts(String base, String path) {
    static URIParts of(String url) {
      java.net.URI u = java.net.URI.create(url);
      return new URIParts(u.getScheme().replace("http", "h1c") + "://" + u.getAuthority(), u.getRawPath());
    }
  }
}
