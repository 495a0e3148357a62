package io.sightline.collector.generator.servicegraph;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.generator.registry.Buckets;
import java.time.Duration;
import java.util.List;

/**
 * {@code metrics_generator.processor.service_graphs}, Tempo's keys and defaults. Which metrics are made comes from
 * {@code metrics_generator.processors} ({@code service-graphs} for requests and latencies, or
 * {@code service-graphs-request}, {@code -latency}, {@code -connection-info}).
 *
 * @param waitTime ({@code wait}) how long a half edge waits for its other half before it expires
 * @param maxItems the most half edges waiting at once; spans beyond are dropped and counted
 * @param workers Tempo's number of expiry goroutines, accepted for its configs; one task expires edges here
 * @param histogramBuckets latency bucket bounds in seconds
 * @param dimensions span or resource attributes added as labels (two each with the client/server prefix)
 * @param enableClientServerPrefix label dimensions {@code client_<dim>} and {@code server_<dim>}
 * @param enableMessagingSystemLatencyHistogram also time producer end to consumer start
 * @param peerAttributes span attributes that name the other side of an unpaired edge (a virtual node)
 * @param spanMultiplierKey attribute holding a sampling ratio; counts are multiplied by its inverse
 * @param enableVirtualNodeLabel label virtual-node edges {@code virtual_node="client"} or {@code "server"}
 * @param databaseNameAttributes attributes that make a client span a database call, in order
 */
public record ServiceGraphConfig(Duration waitTime, int maxItems, int workers, double[] histogramBuckets,
    List<String> dimensions, boolean enableClientServerPrefix, boolean enableMessagingSystemLatencyHistogram,
    List<String> peerAttributes, String spanMultiplierKey, boolean enableVirtualNodeLabel,
    List<String> databaseNameAttributes, boolean request, boolean latency, boolean connectionInfo) {
  /** Tempo's default: long enough for both halves of a call to arrive from two services' exporters. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  /** Tempo's default: ten thousand calls in flight at once between the halves. */
  public static final int DEFAULT_MAX_ITEMS = 10_000;
  static final int DEFAULT_WORKERS = 10;
  /** Tempo's {@code ExponentialBuckets(0.1, 2, 8)}: 0.1 s to 12.8 s. */
  public static final double[] DEFAULT_BUCKETS = Buckets.exponential(0.1, 2, 8);
  /** Tempo's defaults; {@code db.system} before {@code db.system.name}, its older name. */
  public static final List<String> DEFAULT_PEER_ATTRIBUTES = List.of("peer.service", "db.name", "db.system",
      "db.system.name");
  /** Tempo's defaults: the database's own name before the product's. */
  public static final List<String> DEFAULT_DATABASE_NAME_ATTRIBUTES = List.of("db.namespace", "db.name",
      "db.system", "db.system.name");

  public static final ServiceGraphConfig DEFAULTS = new ServiceGraphConfig(DEFAULT_WAIT, DEFAULT_MAX_ITEMS,
      DEFAULT_WORKERS, DEFAULT_BUCKETS, List.of(), false, false, DEFAULT_PEER_ATTRIBUTES, "", false,
      DEFAULT_DATABASE_NAME_ATTRIBUTES, true, true, false);

  public ServiceGraphConfig {
    histogramBuckets = histogramBuckets.clone();
    dimensions = List.copyOf(dimensions);
    peerAttributes = List.copyOf(peerAttributes);
    databaseNameAttributes = List.copyOf(databaseNameAttributes);
  }

  /** Reads the section; {@code request}, {@code latency} and {@code connectionInfo} come from the processors list. */
  public static ServiceGraphConfig parse(ConfigMap m, boolean request, boolean latency, boolean connectionInfo) {
    Duration wait = m.duration("wait", DEFAULT_WAIT);
    if (wait.isNegative() || wait.isZero()) {
      throw m.error("wait", "must be positive");
    }
    int maxItems = m.intValue("max_items", DEFAULT_MAX_ITEMS);
    if (maxItems <= 0) {
      throw m.error("max_items", "must be positive");
    }
    int workers = m.intValue("workers", DEFAULT_WORKERS);
    if (workers <= 0) {
      throw m.error("workers", "must be positive");
    }
    double[] buckets = Buckets.parse(m, "histogram_buckets", DEFAULT_BUCKETS);
    List<String> dimensions = m.stringList("dimensions");
    boolean prefix = m.bool("enable_client_server_prefix", false);
    boolean messaging = m.bool("enable_messaging_system_latency_histogram", false);
    List<String> peers = m.has("peer_attributes") ? m.stringList("peer_attributes") : DEFAULT_PEER_ATTRIBUTES;
    String multiplierKey = m.string("span_multiplier_key", "");
    boolean virtualNodeLabel = m.bool("enable_virtual_node_label", false);
    List<String> dbNames = m.has("database_name_attributes") ? m.stringList("database_name_attributes")
        : DEFAULT_DATABASE_NAME_ATTRIBUTES;
    m.notSupportedYet("filter_policies", "enable_tracestate_span_multiplier");
    m.finish();
    return new ServiceGraphConfig(wait, maxItems, workers, buckets, dimensions, prefix, messaging, peers,
        multiplierKey, virtualNodeLabel, dbNames, request, latency, connectionInfo);
  }
}
