package io.sightline.collector.receiver.prometheus;

import io.sightline.collector.config.ConfigMap;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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

  private List<ScrapeConfig> configs;
  /** Each job's file discovery refreshes, cancelled when a reload stops the job. */
  private final Map<String, List<ScheduledFuture<?>>> discoveryTasks = new java.util.HashMap<>();
  /** By target identity, in discovery order. */
  private final Map<String, Running> loops = new LinkedHashMap<>();
  private SampleSink sink;
  private String userAgent;
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

  public synchronized List<ScrapeConfig> configs() {
    return configs;
  }

  /** Starts a loop for every target; scraped samples go to {@code sink}. File discovery re-runs on its interval. */
  public synchronized void start(SampleSink sink, String userAgent) {
    this.sink = sink;
    this.userAgent = userAgent;
    if (configs.isEmpty()) {
      return; // nothing to run until a reload brings jobs
    }
    startJobs(configs);
    log.atInfo().addKeyValue("jobs", configs.size()).addKeyValue("targets", loops.size()).log("scraping started");
  }

  private void ensureRunning() {
    if (ticker != null) {
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
  }

  private void startJobs(List<ScrapeConfig> jobs) {
    ensureRunning();
    for (ScrapeConfig config : jobs) {
      List<FileDiscovery> discoveries = new ArrayList<>();
      List<ScheduledFuture<?>> tasks = new ArrayList<>();
      for (ScrapeConfig.FileSdConfig f : config.fileSdConfigs()) {
        FileDiscovery d = new FileDiscovery(f.files());
        discoveries.add(d);
        long every = f.refreshInterval().toMillis();
        tasks.add(ticker.scheduleWithFixedDelay(() -> refresh(config, discoveries), every, every,
            TimeUnit.MILLISECONDS));
      }
      discoveryTasks.put(config.jobName(), tasks);
      refresh(config, discoveries);
    }
  }

  /**
   * Replaces the scrape configs, as Prometheus' reload does: a job whose config is unchanged keeps its loops (no gap,
   * no staleness); a job removed or changed stops, marking its series stale; changed and new jobs start. Not
   * started yet: the configs are only replaced.
   */
  public synchronized void apply(ScrapeManager next) {
    Map<String, ScrapeConfig> wanted = new LinkedHashMap<>();
    next.configs.forEach(c -> wanted.put(c.jobName(), c));
    List<ScrapeConfig> starting = new ArrayList<>();
    int kept = 0;
    for (ScrapeConfig old : configs) {
      if (old.equals(wanted.get(old.jobName()))) {
        kept++;
      } else if (sink != null) {
        stopJob(old);
      }
    }
    for (ScrapeConfig c : next.configs) {
      if (!configs.contains(c)) {
        starting.add(c);
      }
    }
    // The kept jobs keep the config objects their loops and discoveries hold.
    List<ScrapeConfig> merged = new ArrayList<>();
    for (ScrapeConfig c : next.configs) {
      ScrapeConfig old = configs.stream().filter(c::equals).findFirst().orElse(null);
      merged.add(old != null ? old : c);
    }
    configs = List.copyOf(merged);
    if (sink != null && !starting.isEmpty()) {
      startJobs(starting);
    }
    log.atInfo().addKeyValue("jobs", configs.size()).addKeyValue("unchanged", kept)
        .addKeyValue("started", starting.size()).log("scrape configuration applied");
  }

  /** Stops a job's discovery and loops; its series go stale. */
  private void stopJob(ScrapeConfig config) {
    for (ScheduledFuture<?> task : discoveryTasks.getOrDefault(config.jobName(), List.of())) {
      task.cancel(false);
    }
    discoveryTasks.remove(config.jobName());
    long now = System.currentTimeMillis();
    for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
      Running gone = it.next().getValue();
      if (gone.loop.target().config() == config) {
        it.remove();
        stop(gone, now);
      }
    }
  }

  private void stop(Running gone, long now) {
    gone.tick.cancel(false);
    scrapes.execute(() -> {
      gone.running.lock(); // after a scrape still in flight
      try {
        gone.loop.markStale(now);
      } finally {
        gone.running.unlock();
      }
    });
  }

  /** Brings a job's loops in line with its targets now: new ones start, vanished ones stop and go stale. */
  private synchronized void refresh(ScrapeConfig config, List<FileDiscovery> discoveries) {
    if (ticker == null || configs.stream().noneMatch(c -> c == config)) {
      return; // stopped, or a refresh that was already running when a reload removed its job
    }
    List<ScrapeConfig.StaticConfig> groups = new ArrayList<>(config.staticConfigs());
    for (FileDiscovery d : discoveries) {
      groups.addAll(d.groups());
    }
    Map<String, Target> wanted = new LinkedHashMap<>();
    for (Target t : Target.of(config, groups)) {
      wanted.putIfAbsent(key(t), t); // the same target twice is scraped once, as in Prometheus
    }
    long now = System.currentTimeMillis();
    for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().loop.target().config() == config && !wanted.containsKey(e.getKey())) {
        Running gone = e.getValue();
        it.remove();
        stop(gone, now);
      }
    }
    for (var e : wanted.entrySet()) {
      if (!loops.containsKey(e.getKey())) {
        loops.put(e.getKey(), schedule(new ScrapeLoop(e.getValue(), sink, http, userAgent), now));
      }
    }
  }

  private static String key(Target t) {
    return t.config().jobName() + "|" + t.url() + "|" + t.labels();
  }

  /**
   * A loop and its schedule; {@code running} is held while a scrape runs (a lock, not a monitor: a virtual thread
   * blocked in a monitor would pin its carrier on Java 21).
   */
  private record Running(ScrapeLoop loop, ScheduledFuture<?> tick, java.util.concurrent.locks.ReentrantLock running) {}

  private Running schedule(ScrapeLoop loop, long now) {
    Target target = loop.target();
    long interval = target.interval().toMillis();
    long offset = Math.floorMod((target.url().toString() + target.labels()).hashCode() * 2654435761L, interval);
    long first = Math.floorDiv(now - offset, interval) * interval + offset + interval;
    AtomicBoolean busy = new AtomicBoolean();
    java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();
    long[] next = {first};
    ScheduledFuture<?> tick = ticker.scheduleAtFixedRate(() -> {
      long scheduled = next[0];
      next[0] += interval;
      if (!busy.compareAndSet(false, true)) {
        return; // the previous scrape is still running: Prometheus skips too
      }
      scrapes.execute(() -> {
        running.lock();
        try {
          loop.scrapeSafely(scheduled);
        } finally {
          running.unlock();
          busy.set(false);
        }
      });
    }, first - now, interval, TimeUnit.MILLISECONDS);
    return new Running(loop, tick, running);
  }

  /** Every target's latest status, in config order. */
  public synchronized List<TargetStatus> targets() {
    List<TargetStatus> out = new ArrayList<>(loops.size());
    for (Running r : loops.values()) {
      out.add(r.loop.status());
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
