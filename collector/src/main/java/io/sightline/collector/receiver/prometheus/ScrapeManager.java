package io.sightline.collector.receiver.prometheus;

import io.sightline.collector.config.ConfigMap;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a scrape loop per target of the {@code scrape} config section. Each loop ticks at its interval from an offset
 * that spreads targets over the interval (stable per target, as Prometheus does); a scrape runs on a virtual thread,
 * and a tick that finds the previous scrape still running is skipped.
 *
 * <pre>
 * scrape:
 *   global: {scrape_interval: 1m, scrape_timeout: 10s}
 *   scrape_configs:
 *     - job_name: node
 *       static_configs: [{targets: ["localhost:9100"]}]
 * </pre>
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScrapeManager.class);

  private final List<ScrapeConfig> configs;
  private final List<ScrapeLoop> loops = new ArrayList<>();
  private ScheduledExecutorService ticker;
  private ExecutorService scrapes;
  private HttpClient http;

  private ScrapeManager(List<ScrapeConfig> configs) {
    this.configs = List.copyOf(configs);
  }

  /** Parses the {@code scrape} section: {@code global} and {@code scrape_configs}, as in prometheus.yml. */
  public static ScrapeManager parse(ConfigMap section) {
    ScrapeConfig.Global global = ScrapeConfig.Global.parse(section.map("global"));
    List<ScrapeConfig> configs = new ArrayList<>();
    Set<String> jobs = new HashSet<>();
    for (ConfigMap m : section.mapList("scrape_configs")) {
      ScrapeConfig c = ScrapeConfig.parse(m, global);
      if (!jobs.add(c.jobName())) {
        throw m.error("job_name", "found multiple scrape configs with job name \"" + c.jobName() + "\"");
      }
      configs.add(c);
    }
    section.finish();
    return new ScrapeManager(configs);
  }

  public List<ScrapeConfig> configs() {
    return configs;
  }

  /** Starts a loop for every target; scraped samples go to {@code sink}. */
  public synchronized void start(SampleSink sink, String userAgent) {
    if (configs.isEmpty()) {
      return;
    }
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scrape-ticker");
      t.setDaemon(true);
      return t;
    });
    scrapes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("scrape-", 0).factory());
    long now = System.currentTimeMillis();
    for (ScrapeConfig config : configs) {
      for (Target target : Target.of(config)) {
        ScrapeLoop loop = new ScrapeLoop(target, sink, http, userAgent);
        loops.add(loop);
        long interval = target.interval().toMillis();
        long offset = Math.floorMod((target.url().toString() + target.labels()).hashCode() * 2654435761L, interval);
        long first = Math.floorDiv(now - offset, interval) * interval + offset + interval;
        AtomicBoolean running = new AtomicBoolean();
        long[] next = {first};
        ticker.scheduleAtFixedRate(() -> {
          long scheduled = next[0];
          next[0] += interval;
          if (!running.compareAndSet(false, true)) {
            return; // the previous scrape is still running: Prometheus skips too
          }
          scrapes.execute(() -> {
            try {
              loop.scrapeSafely(scheduled);
            } finally {
              running.set(false);
            }
          });
        }, first - now, interval, TimeUnit.MILLISECONDS);
      }
    }
    log.atInfo().addKeyValue("jobs", configs.size()).addKeyValue("targets", loops.size()).log("scraping started");
  }

  /** Every target's latest status, in config order. */
  public synchronized List<TargetStatus> targets() {
    List<TargetStatus> out = new ArrayList<>(loops.size());
    for (ScrapeLoop loop : loops) {
      out.add(loop.status());
    }
    return out;
  }

  /** Stops ticking and waits briefly for scrapes in progress, which store what they got. */
  @Override
  public synchronized void close() {
    if (ticker == null) {
      return;
    }
    ticker.shutdownNow();
    scrapes.shutdown();
    try {
      if (!scrapes.awaitTermination(10, TimeUnit.SECONDS)) {
        scrapes.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
    ticker = null;
  }
}
