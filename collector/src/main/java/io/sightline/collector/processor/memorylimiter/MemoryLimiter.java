package io.sightline.collector.processor.memorylimiter;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.sightline.collector.obsreport.ObsReport.MemoryLimiterGauges;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the heap and decides whether data is refused. One instance per component id, shared by every pipeline
 * that lists it, as in the Collector.
 *
 * <p>Why not compare the heap's current use with the soft limit, as the Collector does with Go's heap? A JVM's heap
 * is mostly garbage between collections: the young generation fills up to its size before anything is freed, so
 * the current figure crosses any limit below the heap's size many times a second under normal load. What decides
 * whether the server is in trouble is what remains after a collection. So the limiter refuses while the heap used
 * <em>after the last GC</em> is above the soft limit, and forces a GC (at most every
 * {@code min_gc_interval_when_hard_limited}) when the current use passes the hard limit, to learn the truth sooner.
 */
final class MemoryLimiter {
  private static final Logger log = LoggerFactory.getLogger(MemoryLimiter.class);

  private final MemoryLimiterConfig config;
  private final MemoryLimiterGauges gauges;
  private final LongSupplier currentUsed;
  private final Runnable forceGc;
  private final long hardLimit;
  private final long softLimit;
  private final List<Runnable> unsubscribe = new ArrayList<>();
  private ScheduledExecutorService timer;
  private int users;
  private volatile boolean refusing;
  private volatile long usedAfterGc;
  private long lastForcedGcNanos = Long.MIN_VALUE / 2;

  MemoryLimiter(MemoryLimiterConfig config, MemoryLimiterGauges gauges, long maxHeap, LongSupplier currentUsed,
      Runnable forceGc) {
    this.config = config;
    this.gauges = gauges;
    this.currentUsed = currentUsed;
    this.forceGc = forceGc;
    this.hardLimit = config.hardLimit(maxHeap);
    this.softLimit = config.softLimit(maxHeap);
  }

  static MemoryLimiter forThisJvm(MemoryLimiterConfig config, MemoryLimiterGauges gauges) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    return new MemoryLimiter(config, gauges, Runtime.getRuntime().maxMemory(),
        () -> memory.getHeapMemoryUsage().getUsed(), System::gc);
  }

  boolean refusing() {
    return refusing;
  }

  Duration retryAfter() {
    return config.checkInterval().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : config.checkInterval();
  }

  synchronized void acquire() {
    if (users++ > 0) {
      return;
    }
    usedAfterGc = currentUsed.getAsLong();
    subscribeToGcs();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "memory-limiter");
      t.setDaemon(true);
      return t;
    });
    long every = config.checkInterval().toNanos();
    timer.scheduleAtFixedRate(this::check, every, every, TimeUnit.NANOSECONDS);
    log.atInfo().addKeyValue("soft_limit_mib", softLimit >> 20).addKeyValue("hard_limit_mib", hardLimit >> 20)
        .log("memory limiter started");
  }

  synchronized void release() {
    if (--users > 0) {
      return;
    }
    timer.shutdownNow();
    unsubscribe.forEach(Runnable::run);
    unsubscribe.clear();
  }

  /** One measurement; package-private so tests can drive it without a timer. */
  void check() {
    long now = System.nanoTime();
    long used = currentUsed.getAsLong();
    if (used > hardLimit && now - lastForcedGcNanos >= config.minGcIntervalWhenHardLimited().toNanos()) {
      lastForcedGcNanos = now;
      forceGc.run();
      used = currentUsed.getAsLong();
      usedAfterGc = used;
    } else if (refusing && now - lastForcedGcNanos >= config.minGcIntervalWhenSoftLimited().toNanos()) {
      // While refusing, collect now and then so that the limiter notices promptly when memory has been freed.
      lastForcedGcNanos = now;
      forceGc.run();
      usedAfterGc = currentUsed.getAsLong();
    }
    boolean refuse = usedAfterGc > softLimit;
    if (refuse != refusing) {
      refusing = refuse;
      log.atWarn().addKeyValue("used_after_gc_mib", usedAfterGc >> 20).addKeyValue("soft_limit_mib", softLimit >> 20)
          .log(refuse ? "memory usage is above the soft limit: refusing data" : "memory usage back below the soft limit: accepting data");
    }
    gauges.refusing().set(refusing ? 1 : 0);
    gauges.usedBytes().set(used);
  }

  /** Records the heap used after every collection the JVM makes on its own. */
  private void subscribeToGcs() {
    // The map lists non-heap pools (metaspace, code cache) too; only the heap is compared with the limits.
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    NotificationListener listener = (notification, handback) -> {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        return;
      }
      var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      long total = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          total += e.getValue().getUsed();
        }
      }
      usedAfterGc = total;
    };
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        unsubscribe.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (Exception ignored) {
            // already gone
          }
        });
      }
    }
  }
}
