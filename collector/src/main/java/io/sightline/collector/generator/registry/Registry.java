package io.sightline.collector.generator.registry;

import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generated series, as Tempo's {@code ManagedRegistry} keeps them: processors update families by key as spans
 * arrive, and {@link #collect} writes every live series' current value (and the exemplars gathered since the last
 * collection) through a {@link SampleSink}, one batch per collection. It knows no store.
 *
 * <p>Series not updated for {@code stale_duration} are dropped at the next collection. Tempo simply stops writing
 * them; Sightline writes a Prometheus stale marker for each, as a scrape would when a series disappears, so that
 * queries stop showing the series at once instead of five minutes (the lookback) later.
 */
public final class Registry {
  private static final Logger log = LoggerFactory.getLogger(Registry.class);
  /** Tempo's default exemplar label, which Grafana's "Query with Tempo" link reads. */
  public static final String DEFAULT_TRACE_ID_LABEL = "traceID";

  private final RegistryConfig config;
  private final String traceIdLabel;
  private final LongSupplier clockMs;
  private final List<Family<?>> families = new CopyOnWriteArrayList<>();
  private final AtomicLong active = new AtomicLong();
  private final LongAdder limited = new LongAdder();
  private final LongAdder collectionsFailed = new LongAdder();

  public Registry(RegistryConfig config, String traceIdLabel, LongSupplier clockMs) {
    this.config = config;
    this.traceIdLabel = traceIdLabel;
    this.clockMs = clockMs;
  }

  public Counter counter(String name, String help) {
    return register(new Counter(this, name, help));
  }

  /** A classic histogram over {@code buckets} (strictly increasing, without +Inf, which is added). */
  public Histogram histogram(String name, String help, double[] buckets) {
    return register(new Histogram(this, name, help, buckets));
  }

  public Gauge gauge(String name, String help) {
    return register(new Gauge(this, name, help));
  }

  private <F extends Family<?>> F register(F family) {
    for (Family<?> f : families) {
      if (f.name.equals(family.name)) {
        throw new IllegalArgumentException("metric " + family.name + " is registered already");
      }
    }
    families.add(family);
    return family;
  }

  /** The registry's clock, in Unix milliseconds: the time processors stamp their updates with. */
  public long nowMs() {
    return clockMs.getAsLong();
  }

  /** Series held now, as the limit counts them (a histogram is {@code 2 + buckets}). */
  public long activeSeries() {
    return active.get();
  }

  /** Series not created because {@code max_active_series} was reached, counted at every refused update. */
  public long limitedSeries() {
    return limited.sum();
  }

  /** Collections whose batch the sink could not take. */
  public long failedCollections() {
    return collectionsFailed.sum();
  }

  String traceIdLabel() {
    return traceIdLabel;
  }

  /** Takes room for {@code n} new series, or counts them as limited and says no. */
  boolean admit(int n) {
    long max = config.maxActiveSeries();
    if (max == 0) {
      active.addAndGet(n);
      return true;
    }
    while (true) {
      long now = active.get();
      if (now + n > max) {
        limited.add(n);
        return false;
      }
      if (active.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  void release(int n) {
    active.addAndGet(-n);
  }

  /** The key's labels (names and values cut to the configured lengths, empty values left out) and the external ones. */
  Labels baseLabels(SeriesKey key) {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < key.size(); i++) {
      b.set(cut(key.name(i), config.maxLabelNameLength()), cut(key.value(i), config.maxLabelValueLength()));
    }
    for (Map.Entry<String, String> e : config.externalLabels().entrySet()) {
      b.set(e.getKey(), e.getValue());
    }
    return b.build();
  }

  private static String cut(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }

  /**
   * Writes every live series at the registry's current time and drops stale ones, in one batch. A batch the sink
   * refuses (or a sink that cannot begin one) is rolled back, counted and logged, never thrown: the values are
   * cumulative, so the next collection writes them again; that batch's exemplars are lost.
   */
  public void collect(SampleSink sink) {
    long now = clockMs.getAsLong();
    long staleBefore = now - config.staleDuration().toMillis();
    Snapshot snapshot = new Snapshot();
    for (Family<?> f : families) {
      f.collect(now, staleBefore, snapshot);
    }
    if (snapshot.isEmpty()) {
      return;
    }
    SampleSink.Batch batch = null;
    try {
      batch = sink.begin();
      for (Family<?> f : families) {
        if (f.entries() > 0) {
          batch.metadata(f.name, f.type, f.help, "");
        }
      }
      for (int i = 0; i < snapshot.labels.size(); i++) {
        batch.append(snapshot.labels.get(i), snapshot.timestamps[i], snapshot.values[i]);
      }
      for (int i = 0; i < snapshot.exemplarSeries.size(); i++) {
        batch.exemplar(snapshot.exemplarSeries.get(i), snapshot.exemplarLabels.get(i), now,
            snapshot.exemplarValues[i]);
      }
      batch.commit();
    } catch (IOException | RuntimeException e) {
      if (batch != null) {
        batch.rollback();
      }
      collectionsFailed.increment();
      log.atError().setCause(e).addKeyValue("samples", snapshot.labels.size())
          .log("the metrics generator could not write its series");
    }
  }
}
