package io.sightline.collector.receiver.prometheus;

import com.linecorp.armeria.common.HttpStatus;
import io.sightline.collector.receiver.prometheus.relabel.Relabeler;
import io.sightline.collector.receiver.prometheus.textparse.ExpositionFormat;
import io.sightline.collector.receiver.prometheus.textparse.ExpositionHandler;
import io.sightline.collector.receiver.prometheus.textparse.ExpositionParseException;
import io.sightline.collector.receiver.prometheus.textparse.ExpositionParser;
import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target, as Prometheus' scrape loop does: fetch, parse, attach the target's labels, apply
 * {@code metric_relabel_configs} and the limits, append with the scrape's timestamp, write staleness markers for the
 * series that disappeared, and report {@code up}, {@code scrape_duration_seconds}, {@code scrape_samples_scraped},
 * {@code scrape_samples_post_metric_relabeling} and {@code scrape_series_added}. A failed scrape (unreachable,
 * non-200, timeout, unparsable, over a limit) stores nothing of the body, reports {@code up} 0, and marks every series
 * of the previous scrape stale.
 */
final class ScrapeLoop {
  private static final Logger log = LoggerFactory.getLogger(ScrapeLoop.class);
  /** Prometheus 3's preference: OpenMetrics first (it carries exemplars), then the classic text format. */
  static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
      + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1";
  /** Prometheus snaps a scrape's timestamp to its schedule when within this much, so that chunks compress best. */
  static final long TIMESTAMP_TOLERANCE_MS = 2;

  private final Target target;
  private final SampleSink sink;
  private final HttpClient http;
  private final String userAgent;
  private Set<Labels> previous = Set.of();
  private volatile TargetStatus status;

  ScrapeLoop(Target target, SampleSink sink, HttpClient http, String userAgent) {
    this.target = target;
    this.sink = sink;
    this.http = http;
    this.userAgent = userAgent;
    this.status = new TargetStatus(target, "unknown", "", 0, 0, Map.of());
  }

  Target target() {
    return target;
  }

  TargetStatus status() {
    return status;
  }

  /** One scrape scheduled for {@code scheduledMs}. Not called concurrently for one loop. */
  void scrape(long scheduledMs) {
    long startNanos = System.nanoTime();
    long now = System.currentTimeMillis();
    long t = Math.abs(now - scheduledMs) <= TIMESTAMP_TOLERANCE_MS ? scheduledMs : now;
    String error = null;
    Collected collected = null;
    try {
      Fetched body = fetch();
      collected = new Collected(t);
      ExpositionParser.parse(body.bytes(), ExpositionFormat.forContentType(body.contentType()), collected);
    } catch (ScrapeFailure | LimitExceeded e) {
      error = e.getMessage();
    } catch (ExpositionParseException e) {
      error = e.getMessage();
    } catch (HttpTimeoutException e) {
      error = "Get \"" + target.url() + "\": context deadline exceeded";
    } catch (IOException e) {
      error = "Get \"" + target.url() + "\": " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (collected != null) {
        collected.batch.rollback();
      }
      return;
    } catch (RuntimeException e) {
      // A fault of ours or of the store: the scrape fails like any other, and its batch is dropped below.
      log.atWarn().setCause(e).addKeyValue("target", target.url()).log("scrape failed unexpectedly");
      error = "scrape failed: " + e;
    }
    double duration = (System.nanoTime() - startNanos) / 1e9;
    if (error != null && collected != null) {
      collected.batch.rollback();
    }
    SampleSink.Batch batch = error == null ? collected.batch : sink.begin();
    Set<Labels> seen = error == null ? collected.seen : Set.of();
    int staleCount = 0;
    for (Labels gone : previous) {
      if (!seen.contains(gone)) {
        batch.append(gone, t, StaleMarker.VALUE);
        staleCount++;
      }
    }
    int added = 0;
    for (Labels s : seen) {
      if (!previous.contains(s)) {
        added++;
      }
    }
    report(batch, "up", t, error == null ? 1 : 0);
    report(batch, "scrape_duration_seconds", t, duration);
    report(batch, "scrape_samples_scraped", t, error == null ? collected.scraped : 0);
    report(batch, "scrape_samples_post_metric_relabeling", t, error == null ? collected.kept : 0);
    report(batch, "scrape_series_added", t, error == null ? added : 0);
    if (error == null) {
      collected.metadata.forEach((family, m) -> batch.metadata(family, m[0], m[1], m[2]));
    }
    try {
      batch.commit();
      previous = seen;
    } catch (IOException e) {
      error = "storing the scrape failed: " + e.getMessage();
      log.atError().setCause(e).addKeyValue("target", target.url()).log("scrape could not be stored");
    }
    if (error != null) {
      log.atDebug().addKeyValue("target", target.url()).addKeyValue("error", error)
          .addKeyValue("stale_series", staleCount).log("scrape failed");
    }
    Map<String, TargetStatus.Family> families = status.metadata();
    if (error == null) {
      families = new LinkedHashMap<>();
      for (var e : collected.metadata.entrySet()) {
        families.put(e.getKey(), new TargetStatus.Family(e.getValue()[0], e.getValue()[1], e.getValue()[2]));
      }
    }
    status = new TargetStatus(target, error == null ? "up" : "down", error == null ? "" : error, t, duration,
        families);
  }

  /**
   * The target is gone (its discovery no longer lists it): every series of its last scrape, the report series
   * included, is marked stale at {@code t}, as Prometheus does at the end of a scrape loop. Call after the last
   * {@link #scrape}.
   */
  void markStale(long t) {
    SampleSink.Batch batch = sink.begin();
    double stale = StaleMarker.VALUE;
    for (Labels gone : previous) {
      batch.append(gone, t, stale);
    }
    if (status.lastScrapeMs() != 0) {
      for (String name : REPORT_SERIES) {
        report(batch, name, t, stale);
      }
    }
    try {
      batch.commit();
    } catch (IOException e) {
      log.atError().setCause(e).addKeyValue("target", target.url()).log("staleness markers could not be stored");
    }
    previous = Set.of();
  }

  private static final String[] REPORT_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
      "scrape_samples_post_metric_relabeling", "scrape_series_added"};

  private void report(SampleSink.Batch batch, String name, long t, double value) {
    batch.append(target.labels().toBuilder().set(Labels.METRIC_NAME, name).build(), t, value);
  }

  private record Fetched(byte[] bytes, String contentType) {}

  private Fetched fetch() throws IOException, InterruptedException {
    ScrapeConfig c = target.config();
    HttpRequest.Builder request = HttpRequest.newBuilder(target.url()).timeout(target.timeout())
        .header("Accept", ACCEPT).header("Accept-Encoding", c.enableCompression() ? "gzip" : "identity")
        .header("User-Agent", userAgent)
        .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(target.timeout().toMillis() / 1000.0)).GET();
    if (c.authorization() != null) {
      request.header("Authorization", c.authorization());
    }
    long deadline = System.nanoTime() + target.timeout().toNanos();
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream raw = response.body()) {
      if (response.statusCode() != 200) {
        throw new ScrapeFailure("server returned HTTP status " + HttpStatus.valueOf(response.statusCode()));
      }
      boolean gzip = response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip");
      InputStream in = gzip ? new GZIPInputStream(raw) : raw;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      long limit = c.bodySizeLimit() > 0 ? c.bodySizeLimit() : Long.MAX_VALUE;
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + (long) n > limit) {
          throw new ScrapeFailure("body size limit exceeded (limit: " + limit + " bytes)");
        }
        if (System.nanoTime() > deadline) {
          throw new HttpTimeoutException("scrape timeout");
        }
        out.write(buffer, 0, n);
      }
      return new Fetched(out.toByteArray(), response.headers().firstValue("Content-Type").orElse(null));
    }
  }

  /** A scrape that failed for a reason of Prometheus' own wording. */
  private static final class ScrapeFailure extends IOException {
    ScrapeFailure(String message) {
      super(message);
    }
  }

  /** What a scrape's body turned into, appended to one batch as it is parsed. */
  private final class Collected implements ExpositionHandler {
    final SampleSink.Batch batch = sink.begin();
    final Set<Labels> seen = new HashSet<>();
    final Map<String, String[]> metadata = new LinkedHashMap<>();
    final long t;
    int scraped;
    int kept;
    private Labels last;

    Collected(long t) {
      this.t = t;
    }

    @Override
    public void help(String family, String help) {
      metadata.computeIfAbsent(family, f -> new String[] {"unknown", "", ""})[1] = help;
    }

    @Override
    public void type(String family, String type) {
      metadata.computeIfAbsent(family, f -> new String[] {"unknown", "", ""})[0] =
          type.equals("untyped") ? "unknown" : type;
    }

    @Override
    public void unit(String family, String unit) {
      metadata.computeIfAbsent(family, f -> new String[] {"unknown", "", ""})[2] = unit;
    }

    @Override
    public void sample(Labels labels, double value, long timestampMs) {
      scraped++;
      last = null;
      Labels l = Relabeler.process(withTargetLabels(labels), target.config().metricRelabelConfigs());
      if (l == null || l.get(Labels.METRIC_NAME).isEmpty()) {
        return;
      }
      checkLabelLimits(l);
      kept++;
      long sampleLimit = target.config().sampleLimit();
      if (sampleLimit > 0 && kept > sampleLimit) {
        throw new LimitExceeded("sample limit exceeded");
      }
      boolean explicit = timestampMs != Long.MIN_VALUE && target.config().honorTimestamps();
      batch.append(l, explicit ? timestampMs : t, value);
      if (!explicit) {
        seen.add(l); // series with their own timestamps get no staleness markers, as in Prometheus
      }
      last = l;
    }

    @Override
    public void exemplar(Labels exemplarLabels, double value, long timestampMs) {
      if (last != null) {
        batch.exemplar(last, exemplarLabels, timestampMs == Long.MIN_VALUE ? t : timestampMs, value);
      }
    }

    /**
     * Prometheus' {@code mutateSampleLabels}: with {@code honor_labels}, scraped labels win; without, target labels
     * win and a scraped label they displace is kept as {@code exported_<name>}.
     */
    private Labels withTargetLabels(Labels scraped) {
      Labels targetLabels = target.labels();
      Labels.Builder b = scraped.toBuilder();
      if (target.config().honorLabels()) {
        targetLabels.forEach((name, value) -> {
          if (scraped.get(name).isEmpty()) {
            b.set(name, value);
          }
        });
        return b.build();
      }
      List<String[]> conflicts = new ArrayList<>();
      targetLabels.forEach((name, value) -> {
        String existing = scraped.get(name);
        if (!existing.isEmpty()) {
          conflicts.add(new String[] {name, existing});
        }
        b.set(name, value);
      });
      if (!conflicts.isEmpty()) {
        Labels current = b.build();
        for (String[] c : conflicts) {
          String name = "exported_" + c[0];
          while (!current.get(name).isEmpty()) {
            name = "exported_" + name;
          }
          b.set(name, c[1]);
          current = b.build();
        }
      }
      return b.build();
    }

    private void checkLabelLimits(Labels l) {
      ScrapeConfig c = target.config();
      if (c.labelLimit() > 0 && l.size() > c.labelLimit()) {
        throw new LimitExceeded("label_limit exceeded (metric: " + l.metricName() + ", number of labels: " + l.size()
            + ", limit: " + c.labelLimit() + ")");
      }
      for (int i = 0; i < l.size(); i++) {
        if (c.labelNameLengthLimit() > 0 && l.name(i).length() > c.labelNameLengthLimit()) {
          throw new LimitExceeded("label_name_length_limit exceeded (metric: " + l.metricName() + ", label name: "
              + l.name(i) + ", length: " + l.name(i).length() + ", limit: " + c.labelNameLengthLimit() + ")");
        }
        if (c.labelValueLengthLimit() > 0 && l.value(i).length() > c.labelValueLengthLimit()) {
          throw new LimitExceeded("label_value_length_limit exceeded (metric: " + l.metricName() + ", label name: "
              + l.name(i) + ", value: \"" + l.value(i) + "\", length: " + l.value(i).length() + ", limit: "
              + c.labelValueLengthLimit() + ")");
        }
      }
    }
  }

  /** A limit hit while parsing; the whole scrape fails. */
  private static final class LimitExceeded extends RuntimeException {
    LimitExceeded(String message) {
      super(message, null, false, false);
    }
  }

  /** Runs a scrape, turning a limit hit inside the parser into a failed scrape. */
  void scrapeSafely(long scheduledMs) {
    try {
      scrape(scheduledMs);
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).addKeyValue("target", target.url()).log("scrape loop error");
    }
  }
}
