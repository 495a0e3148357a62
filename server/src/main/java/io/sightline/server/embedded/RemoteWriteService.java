package io.sightline.server.embedded;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import static io.sightline.collector.receiver.EarlyAnswers.afterBody;

import io.sightline.collector.receiver.prometheusremotewrite.LabelsCache;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWrite2Decoder;
import io.sightline.collector.receiver.prometheusremotewrite.DecodedSeries;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteException;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteLimits;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.SeriesLimitException;
import io.sightline.metricstore.SeriesRef;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 and 2.0 (by the {@code proto} of the Content-Type) into the
 * metric store, as Prometheus' own receiver answers it: 204 when every sample was stored; 400 with a plain-text
 * reason (not retried by senders) for a body that does not decode (nothing of it is stored), or for series that
 * cannot be stored as sent (invalid labels or native histograms) and samples the store refuses. In those the valid
 * rest of the request is kept, as Prometheus' remote-write 2.0 handler keeps it; Prometheus 2.x's 1.0 handler drops
 * series with invalid labels silently (204) and loses the whole request to an invalid histogram. Native histograms
 * are samples here as in Prometheus: counted, refused and reported alike.
 *
 * <p>The request is answered after the store's commit, which writes the WAL: an acknowledged sample survives a
 * killed process.
 */
final class RemoteWriteService implements HttpService {
  private static final Logger log = LoggerFactory.getLogger(RemoteWriteService.class);
  private static final String RW1_PROTO = "prometheus.WriteRequest";
  private static final String RW2_PROTO = "io.prometheus.write.v2.Request";
  static final String WRITTEN_SAMPLES = "X-Prometheus-Remote-Write-Samples-Written";
  static final String WRITTEN_HISTOGRAMS = "X-Prometheus-Remote-Write-Histograms-Written";
  static final String WRITTEN_EXEMPLARS = "X-Prometheus-Remote-Write-Exemplars-Written";

  private final Supplier<MetricStore> store;
  private final RemoteWriteLimits limits;
  /**
   * Sized for a few hundred thousand active series: at ~100 bytes of label bytes per series, a few tens of MB at most,
   * and only series that are actually written occupy it.
   */
  private final LabelsCache labelsCache = new LabelsCache(1 << 19);
  private final Map<Appender.Outcome, CounterDataPoint> outcomes = new EnumMap<>(Appender.Outcome.class);
  private final CounterDataPoint invalidRequests;

  private final io.sightline.collector.processor.memorylimiter.HeapGuard guard;

  /** @param store the metric store, which opens after the routes are built */
  RemoteWriteService(Supplier<MetricStore> store, RemoteWriteLimits limits, PrometheusRegistry registry,
      io.sightline.collector.processor.memorylimiter.HeapGuard guard) {
    this.store = store;
    this.limits = limits;
    this.guard = guard;
    Counter samples = Counter.builder().name("sightline_remote_write_samples")
        .help("Samples received by remote write, by what became of them.").labelNames("result").register(registry);
    for (Appender.Outcome o : Appender.Outcome.values()) {
      outcomes.put(o, samples.labelValues(o.name().toLowerCase(java.util.Locale.ROOT)));
    }
    invalidRequests = Counter.builder().name("sightline_remote_write_invalid_requests")
        .help("Remote-write requests refused, or partly refused, because they did not decode or validate.")
        .register(registry)
        .labelValues();
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return afterBody(req, HttpResponse.builder().status(HttpStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, "POST").content(MediaType.PLAIN_TEXT_UTF_8, "Method Not Allowed\n").build());
    }
    MediaType type = req.contentType();
    String proto = type == null ? "" : type.parameters().getOrDefault("proto", java.util.List.of("")).get(0);
    boolean v2 = RW2_PROTO.equals(proto);
    if (!v2 && !proto.isEmpty() && !proto.equals(RW1_PROTO)) {
      return afterBody(req, HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
          "unknown remote write proto \"" + proto + "\" (supported: " + RW1_PROTO + ", " + RW2_PROTO + ")\n"));
    }
    if (guard.refusing()) {
      // 503, not 429: every remote-write sender retries a 5xx; Prometheus before 2.45 drops a 429 unless told not to.
      return afterBody(req, HttpResponse.builder().status(HttpStatus.SERVICE_UNAVAILABLE)
          .header(HttpHeaderNames.RETRY_AFTER, Long.toString(guard.retryAfter().toSeconds()))
          .content(MediaType.PLAIN_TEXT_UTF_8, "memory usage is above the limit (storage.metrics.write_memory_limiter):"
              + " retry later\n").build());
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "snappy");
    if (!encoding.equalsIgnoreCase("snappy")) {
      return afterBody(req, HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
          "unsupported Content-Encoding \"" + encoding + "\": remote write bodies are snappy-compressed\n"));
    }
    // Decoding is quick, but the commit writes (and may sync) the WAL: keep it off the event loop.
    return HttpResponse.of(req.aggregate().thenApplyAsync(body -> write(body.content().array(), v2),
        ctx.blockingTaskExecutor()));
  }

  private static boolean refused(Appender.Outcome o) {
    return o == Appender.Outcome.OUT_OF_ORDER || o == Appender.Outcome.TOO_OLD || o == Appender.Outcome.DUPLICATE
        || o == Appender.Outcome.TOO_FAR_IN_FUTURE;
  }

  /** Prometheus' words for a refused sample or histogram (it uses the same ones for both). */
  private static String refusal(Appender.Outcome o, Labels labels, long timestampMs) {
    return switch (o) {
      case OUT_OF_ORDER -> "out of order sample";
      case TOO_OLD -> "too old sample (older than storage.metrics.out_of_order_time_window)";
      case TOO_FAR_IN_FUTURE -> "out of bounds: timestamp is too far in the future (storage.metrics.max_time_ahead)";
      default -> "duplicate sample for timestamp";
    } + " for series " + labels + " at timestamp " + timestampMs;
  }

  /** Single-sample series of known labels, stored once the request is decoded. */
  private static final class Deferred {
    DecodedSeries[] series = new DecodedSeries[256];
    long[] timestamps = new long[256];
    double[] values = new double[256];
    int count;
    /** Keeps the touching loads from being optimized away. */
    private int touched;

    void add(DecodedSeries s, long t, double v) {
      if (count == series.length) {
        series = java.util.Arrays.copyOf(series, count * 2);
        timestamps = java.util.Arrays.copyOf(timestamps, count * 2);
        values = java.util.Arrays.copyOf(values, count * 2);
      }
      series[count] = s;
      timestamps[count] = t;
      values[count] = v;
      count++;
    }

    void touch() {
      int sum = 0;
      for (int i = 0; i < count; i++) {
        sum += series[i].attachment() instanceof SeriesRef r && r.valid() ? 1 : 0;
      }
      touched = sum;
    }
  }

  /** What became of one request's samples and histograms, and the first reason one was refused. */
  private static final class Tally {
    /** Float samples and histograms together (what the counter and the message count), and histograms alone. */
    final long[] counts = new long[Appender.Outcome.values().length];
    final long[] histogramCounts = new long[Appender.Outcome.values().length];
    long exemplarsWritten;
    /** Refused before reaching the store: over the series limit, or in a series that could not be stored as sent. */
    long refusedBefore;
    String firstRefusal;

    void refuse(String reason, long samples) {
      refusedBefore += samples;
      firstRefusal = firstRefusal == null ? reason : firstRefusal;
    }

    void count(Appender.Outcome o, boolean histogram, Labels labels, long timestampMs) {
      counts[o.ordinal()]++;
      if (histogram) {
        histogramCounts[o.ordinal()]++;
      }
      if (firstRefusal == null && refused(o)) {
        firstRefusal = refusal(o, labels, timestampMs);
      }
    }

    long refusedTotal() {
      long n = refusedBefore;
      for (Appender.Outcome o : Appender.Outcome.values()) {
        n += refused(o) ? counts[o.ordinal()] : 0;
      }
      return n;
    }
  }

  /**
   * The store's handle of a decoded series: the one kept with its cached labels, so that a known series costs no
   * lookup at all, else looked up and kept. Null when the series limit refuses the series and its {@code samples}.
   */
  private static SeriesRef ref(Appender appender, DecodedSeries series, Tally tally, long samples) {
    if (series.attachment() instanceof SeriesRef r && r.valid()) {
      return r;
    }
    try {
      SeriesRef ref = appender.ref(series.labels());
      series.attach(ref);
      return ref;
    } catch (SeriesLimitException e) {
      tally.refuse(e.getMessage(), samples);
      return null;
    }
  }

  /** Appends a float sample; false when the series has left the head and the full head refuses it back. */
  private static boolean append(Appender appender, SeriesRef ref, Labels labels, long t, double v, Tally tally) {
    try {
      tally.count(appender.append(ref, t, v), false, labels, t);
      return true;
    } catch (SeriesLimitException e) {
      tally.refuse(e.getMessage(), 1);
      return false;
    }
  }

  private HttpResponse write(byte[] body, boolean v2) {
    Appender appender = store.get().appender();
    Tally tally = new Tally();
    try {
      Deferred deferred = new Deferred();
      RemoteWriteDecoder.SeriesConsumer consumer = (series, ts, vs, n, histograms, exemplars) -> {
        if (n == 1 && histograms.isEmpty() && exemplars.isEmpty() && series.attachment() != null) {
          // The usual case, a known series with one sample: stored after the whole request is decoded (below).
          deferred.add(series, ts[0], vs[0]);
          return;
        }
        SeriesRef ref = ref(appender, series, tally, n + histograms.size());
        if (ref == null) {
          return;
        }
        Labels labels = series.labels();
        // Exemplars out of order are dropped, not refused, as Prometheus does: they must not fail the samples.
        for (var e : exemplars) {
          if (appender.appendExemplar(ref, e.labels(), e.timestampMs(), e.value()) == Appender.Outcome.ACCEPTED) {
            tally.exemplarsWritten++;
          }
        }
        for (int i = 0; i < n; i++) {
          if (!append(appender, ref, labels, ts[i], vs[i], tally)) {
            tally.refuse(null, n - i - 1 + histograms.size()); // the rest of the series goes with it
            return;
          }
        }
        for (int i = 0; i < histograms.size(); i++) {
          RemoteWriteDecoder.DecodedHistogram h = histograms.get(i);
          try {
            tally.count(appender.appendHistogram(ref, h.timestampMs(), h.histogram()), true, labels, h.timestampMs());
          } catch (SeriesLimitException e) {
            tally.refuse(e.getMessage(), histograms.size() - i);
            return;
          }
        }
      };
      RemoteWriteDecoder.MetadataConsumer metadata =
          (name, type, help, unit) -> appender.updateMetadata(name, new MetricMetadata(type, help, unit));
      RemoteWriteDecoder.Summary summary = v2 ? new RemoteWrite2Decoder(limits).decodeSnappy(body, consumer, metadata)
          : new RemoteWriteDecoder(limits, labelsCache).decodeSnappy(body, consumer, metadata);
      // Series that could not be stored as sent were skipped; the valid rest of the request is kept.
      if (summary.firstInvalid() != null) {
        tally.refuse(summary.firstInvalid(), summary.invalidSamples());
        invalidRequests.inc();
      }
      // Each deferred series' handle is read once, all of them in a row, before any is appended to: the CPU overlaps
      // those independent loads, where a check right after each decode waited for each series' cache miss in turn.
      deferred.touch();
      for (int i = 0; i < deferred.count; i++) {
        SeriesRef ref = ref(appender, deferred.series[i], tally, 1);
        if (ref != null) {
          append(appender, ref, deferred.series[i].labels(), deferred.timestamps[i], deferred.values[i], tally);
        }
      }
    } catch (RemoteWriteException e) {
      appender.rollback();
      invalidRequests.inc();
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, e.getMessage() + "\n");
    } catch (RuntimeException e) {
      // Ours, not the sender's: nothing of the request is kept, and the 500 lets the sender retry it.
      appender.rollback();
      log.atError().setCause(e).log("remote write: unexpected failure while storing a request");
      return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8,
          "internal error while storing the request: " + e + "\n");
    }
    long[] counts = tally.counts;
    long[] histogramCounts = tally.histogramCounts;
    int accepted = Appender.Outcome.ACCEPTED.ordinal();
    try {
      long late = appender.commit();
      counts[accepted] -= late;
      counts[Appender.Outcome.TOO_OLD.ordinal()] += late;
      // The commit does not say which kind its late samples were; histograms are counted last, as they are appended.
      long floatsAccepted = counts[accepted] - histogramCounts[accepted];
      if (floatsAccepted < 0) {
        histogramCounts[accepted] += floatsAccepted;
        histogramCounts[Appender.Outcome.TOO_OLD.ordinal()] -= floatsAccepted;
      }
      if (late > 0 && tally.firstRefusal == null) {
        tally.firstRefusal = late + " samples too old: their time range was written to a block while the request was"
            + " in flight";
      }
    } catch (IOException e) {
      log.atError().setCause(e).log("remote write: the metric store could not commit");
      return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8,
          "the metric store could not write its WAL: " + e.getMessage() + "\n");
    }
    for (Appender.Outcome o : Appender.Outcome.values()) {
      outcomes.get(o).inc(counts[o.ordinal()]);
    }
    ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.NO_CONTENT);
    if (v2) {
      // Remote write 2.0 tells the sender what was written, so that it can tell a partial write from a lost one.
      int identical = Appender.Outcome.IDENTICAL.ordinal();
      long histogramsWritten = histogramCounts[accepted] + histogramCounts[identical];
      headers.set(WRITTEN_SAMPLES, Long.toString(counts[accepted] + counts[identical] - histogramsWritten))
          .set(WRITTEN_HISTOGRAMS, Long.toString(histogramsWritten))
          .set(WRITTEN_EXEMPLARS, Long.toString(tally.exemplarsWritten));
    }
    if (tally.firstRefusal != null) {
      return HttpResponse.of(headers.status(HttpStatus.BAD_REQUEST).contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
          HttpData.ofUtf8(tally.refusedTotal() + " samples refused, " + counts[accepted] + " stored; first: "
              + tally.firstRefusal + "\n"));
    }
    return HttpResponse.of(headers.build());
  }
}
