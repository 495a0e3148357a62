package io.sightline.collector.generator.servicegraph;

import io.sightline.collector.generator.registry.Counter;
import io.sightline.collector.generator.registry.Gauge;
import io.sightline.collector.generator.registry.Histogram;
import io.sightline.collector.generator.registry.Registry;
import io.sightline.collector.generator.registry.SeriesKey;
import io.sightline.collector.generator.spans.SpanAttributes;
import io.sightline.collector.generator.spans.WireAttributes;
import io.sightline.collector.generator.spans.WireResource;
import io.sightline.collector.generator.spans.WireSpan;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Tempo's service graphs. Every CLIENT or PRODUCER span is the client half of an edge keyed by (trace id, span id);
 * every SERVER or CONSUMER span the server half keyed by (trace id, parent span id). When both halves are in, the
 * edge completes: {@code traces_service_graph_request_total} +1, {@code _request_failed_total} +1 if either half
 * failed, the client's and the server's durations in {@code _request_client_seconds} and
 * {@code _request_server_seconds}. A client span with a database attribute completes at once as a
 * {@code database} edge.
 *
 * <pre>
 *   waiting (insertion order = expiry order, each expires {@code wait} after it came)
 *     (t1, s7) ─▶ Edge{client=order-service, server=?}
 *     (t2, s3) ─▶ Edge{client=?, server=payment-service}
 * </pre>
 *
 * A half left alone for {@code wait} expires: a root server span becomes a call from the virtual client
 * {@code user} (or its peer attribute), a client span with a peer attribute a call to that virtual server; both with
 * {@code connection_type="virtual_node"}. Any other lone half counts in
 * {@code traces_service_graph_unpaired_spans_total}; a half that finds the store full (more than {@code max_items}
 * waiting, after expiring what is due) in {@code traces_service_graph_dropped_spans_total}.
 */
public final class ServiceGraphProcessor {
  public static final String REQUEST_TOTAL = "traces_service_graph_request_total";
  public static final String REQUEST_FAILED_TOTAL = "traces_service_graph_request_failed_total";
  public static final String REQUEST_SERVER_SECONDS = "traces_service_graph_request_server_seconds";
  public static final String REQUEST_CLIENT_SECONDS = "traces_service_graph_request_client_seconds";
  public static final String REQUEST_MESSAGING_SYSTEM_SECONDS =
      "traces_service_graph_request_messaging_system_seconds";
  public static final String CONNECTION_INFO = "traces_service_graph_connection_info";
  public static final String UNPAIRED_SPANS_TOTAL = "traces_service_graph_unpaired_spans_total";
  public static final String DROPPED_SPANS_TOTAL = "traces_service_graph_dropped_spans_total";
  private static final String VIRTUAL_NODE_LABEL = "virtual_node";
  private static final String USER = "user";
  private static final byte[] SERVICE_NAME = WireAttributes.key(SpanAttributes.SERVICE_NAME);
  private static final byte[] PEER_SERVICE = WireAttributes.key("peer.service");
  private static final byte[] SERVER_ADDRESS = WireAttributes.key("server.address");
  private static final byte[] NETWORK_PEER_ADDRESS = WireAttributes.key("network.peer.address");
  private static final byte[] NETWORK_PEER_PORT = WireAttributes.key("network.peer.port");

  private final ServiceGraphConfig config;
  private final Counter requests;
  private final Counter failed;
  private final Histogram serverSeconds;
  private final Histogram clientSeconds;
  private final Histogram messagingSeconds;
  private final Gauge connectionInfo;
  private final Counter unpaired;
  private final Counter dropped;
  private final LinkedHashMap<EdgeKey, Edge> waiting = new LinkedHashMap<>();

  /** Attributes looked up as dimensions: the configured ones, then {@code virtual_node} if labelled. */
  private final String[] dimensionAttributes;
  private final byte[][] dimensionKeys;
  private final byte[][] peerKeys;
  private final byte[][] databaseNameKeys;
  private final byte[] multiplierKey;
  /** Index of the {@code virtual_node} dimension, or -1. */
  private final int virtualNodeDimension;
  private final SeriesKey edgeKey;
  private final SeriesKey sideKey = new SeriesKey("client", "server", "connection_type");

  public ServiceGraphProcessor(ServiceGraphConfig config, Registry registry) {
    this.config = config;
    this.requests = config.request() ? registry.counter(REQUEST_TOTAL,
        "Total count of requests between two nodes") : null;
    this.failed = config.request() ? registry.counter(REQUEST_FAILED_TOTAL,
        "Total count of failed requests between two nodes") : null;
    this.serverSeconds = config.latency() ? registry.histogram(REQUEST_SERVER_SECONDS,
        "Time for a request between two nodes as seen from the server", config.histogramBuckets()) : null;
    this.clientSeconds = config.latency() ? registry.histogram(REQUEST_CLIENT_SECONDS,
        "Time for a request between two nodes as seen from the client", config.histogramBuckets()) : null;
    this.messagingSeconds = config.latency() && config.enableMessagingSystemLatencyHistogram()
        ? registry.histogram(REQUEST_MESSAGING_SYSTEM_SECONDS,
            "Time between publisher and consumer for services communicating through a messaging system",
            config.histogramBuckets()) : null;
    this.connectionInfo = config.connectionInfo() ? registry.gauge(CONNECTION_INFO,
        "Presence of an edge between two nodes, 1 while calls are seen") : null;
    this.unpaired = registry.counter(UNPAIRED_SPANS_TOTAL, "Total count of unpaired spans");
    this.dropped = registry.counter(DROPPED_SPANS_TOTAL, "Total count of dropped spans");

    List<String> dims = new ArrayList<>(config.dimensions());
    if (config.enableVirtualNodeLabel()) {
      dims.add(VIRTUAL_NODE_LABEL);
    }
    this.dimensionAttributes = dims.toArray(String[]::new);
    this.dimensionKeys = WireAttributes.keys(dims);
    this.peerKeys = WireAttributes.keys(config.peerAttributes());
    this.databaseNameKeys = WireAttributes.keys(config.databaseNameAttributes());
    this.multiplierKey = config.spanMultiplierKey() == null || config.spanMultiplierKey().isEmpty() ? null
        : WireAttributes.key(config.spanMultiplierKey());
    this.virtualNodeDimension = config.enableVirtualNodeLabel() ? dims.size() - 1 : -1;
    List<String> names = new ArrayList<>(List.of("client", "server", "connection_type"));
    for (int i = 0; i < dimensionAttributes.length; i++) {
      String d = dimensionAttributes[i];
      if (!config.enableClientServerPrefix()) {
        names.add(SpanAttributes.sanitizeLabelName(d));
      } else if (i == virtualNodeDimension) {
        names.add(VIRTUAL_NODE_LABEL);
      } else {
        names.add(SpanAttributes.sanitizeLabelName("client_" + d));
        names.add(SpanAttributes.sanitizeLabelName("server_" + d));
      }
    }
    this.edgeKey = new SeriesKey(names.toArray(String[]::new));
  }

  private int dimensionSlots() {
    return config.enableClientServerPrefix() ? 2 * dimensionAttributes.length : dimensionAttributes.length;
  }

  /** Adds the edge halves of {@code batch}, completing edges whose other half is waiting. */
  public synchronized void push(List<WireResource> batch, long nowMs) {
    for (WireResource rs : batch) {
      WireAttributes resource = rs.resource();
      String svc = resource.find(SERVICE_NAME);
      if (svc == null || rs.spanCount() == 0) {
        continue;
      }
      WireSpan span = rs.span(0);
      for (int i = 0, n = rs.spanCount(); i < n; i++) {
        span.at(i);
        switch (span.kind()) {
          case WireSpan.KIND_CLIENT, WireSpan.KIND_PRODUCER -> client(span, svc, resource, nowMs);
          case WireSpan.KIND_SERVER, WireSpan.KIND_CONSUMER -> server(span, svc, resource, nowMs);
          default -> { }
        }
      }
    }
  }

  private void client(WireSpan span, String svc, WireAttributes resource, long nowMs) {
    EdgeKey key = EdgeKey.of(span.traceId(), span.spanId());
    Edge e = waiting.get(key);
    boolean isNew = e == null;
    if (isNew) {
      e = new Edge(key, nowMs + config.waitTime().toMillis(), dimensionSlots());
    }
    WireAttributes attributes = span.attributes();
    e.traceId = span.traceId();
    e.spanKind = span.kind();
    e.connectionType = span.kind() == WireSpan.KIND_PRODUCER ? Edge.MESSAGING_SYSTEM : Edge.UNKNOWN;
    e.clientService = svc;
    e.clientLatencySeconds = SpanAttributes.secondsBetween(span.startNanos(), span.endNanos());
    e.clientEndNanos = span.endNanos();
    e.failed |= span.statusCode() == WireSpan.STATUS_ERROR;
    dimensions(e, 0, resource, attributes);
    e.multiplier = SpanAttributes.multiplier(multiplierKey, attributes, resource);
    peerNode(e, attributes);
    database(e, resource, attributes, span);
    settle(e, isNew, svc, "", nowMs);
  }

  private void server(WireSpan span, String svc, WireAttributes resource, long nowMs) {
    EdgeKey key = EdgeKey.of(span.traceId(), span.parentSpanId());
    Edge e = waiting.get(key);
    boolean isNew = e == null;
    if (isNew) {
      e = new Edge(key, nowMs + config.waitTime().toMillis(), dimensionSlots());
    }
    WireAttributes attributes = span.attributes();
    e.traceId = span.traceId();
    e.spanKind = span.kind();
    e.connectionType = span.kind() == WireSpan.KIND_CONSUMER ? Edge.MESSAGING_SYSTEM : Edge.UNKNOWN;
    e.serverService = svc;
    e.serverLatencySeconds = SpanAttributes.secondsBetween(span.startNanos(), span.endNanos());
    e.serverStartNanos = span.startNanos();
    e.failed |= span.statusCode() == WireSpan.STATUS_ERROR;
    dimensions(e, config.enableClientServerPrefix() ? dimensionAttributes.length : 0, resource, attributes);
    e.multiplier = SpanAttributes.multiplier(multiplierKey, attributes, resource);
    peerNode(e, attributes);
    settle(e, isNew, "", svc, nowMs);
  }

  /** Completes the edge if both halves are in, else keeps it waiting, or drops the span if the store is full. */
  private void settle(Edge e, boolean isNew, String client, String server, long nowMs) {
    if (e.complete()) {
      if (!isNew) {
        waiting.remove(e.key);
      }
      complete(e, nowMs);
      return;
    }
    if (!isNew) {
      return;
    }
    if (waiting.size() >= config.maxItems()) {
      // Tempo refuses at once; expiring what is due first keeps a burst after a quiet spell from losing edges.
      expire(nowMs);
    }
    if (waiting.size() >= config.maxItems()) {
      dropped.inc(sideKey.set(0, client).set(1, server).set(2, e.connectionType).rehash(), 1, nowMs);
      return;
    }
    waiting.put(e.key, e);
  }

  private void dimensions(Edge e, int offset, WireAttributes resource, WireAttributes attributes) {
    for (int i = 0; i < dimensionKeys.length; i++) {
      String v = WireAttributes.find(dimensionKeys[i], resource, attributes);
      if (v != null) {
        e.dimensions[offset + i] = v;
      }
    }
  }

  private void peerNode(Edge e, WireAttributes attributes) {
    String v = WireAttributes.first(peerKeys, attributes, WireAttributes.NONE);
    if (v != null) {
      e.peerNode = v;
    }
  }

  /**
   * Tempo's database edges: a client span with one of {@code database_name_attributes} is a call to a database,
   * named by {@code peer.service}, {@code server.address}, {@code network.peer.address[:network.peer.port]} or that
   * attribute, and timed from the client's side for both histograms.
   */
  private void database(Edge e, WireAttributes resource, WireAttributes attributes, WireSpan span) {
    String dbName = WireAttributes.first(databaseNameKeys, resource, attributes);
    if (dbName == null) {
      return;
    }
    e.connectionType = Edge.DATABASE;
    e.serverLatencySeconds = SpanAttributes.secondsBetween(span.startNanos(), span.endNanos());
    String name = WireAttributes.find(PEER_SERVICE, resource, attributes);
    if (name == null) {
      name = WireAttributes.find(SERVER_ADDRESS, resource, attributes);
    }
    if (name == null) {
      String host = WireAttributes.find(NETWORK_PEER_ADDRESS, resource, attributes);
      if (host != null) {
        String port = WireAttributes.find(NETWORK_PEER_PORT, resource, attributes);
        name = port != null ? host + ":" + port : host;
      }
    }
    if (name != null) {
      e.serverService = name;
    } else if (!dbName.isEmpty()) {
      e.serverService = dbName;
    }
  }

  private void complete(Edge e, long nowMs) {
    SeriesKey k = edgeKey;
    k.set(0, e.clientService).set(1, e.serverService).set(2, e.connectionType);
    int slot = 3;
    int n = dimensionAttributes.length;
    for (int i = 0; i < n; i++) {
      if (!config.enableClientServerPrefix()) {
        k.set(slot++, e.dimensions[i]);
      } else if (i == virtualNodeDimension) {
        k.set(slot++, e.virtualNode);
      } else {
        k.set(slot++, e.dimensions[i]);
        k.set(slot++, e.dimensions[n + i]);
      }
    }
    k.rehash();
    if (requests != null) {
      requests.inc(k, e.multiplier, nowMs);
      if (e.failed) {
        failed.inc(k, e.multiplier, nowMs);
      }
    }
    if (serverSeconds != null) {
      serverSeconds.observe(k, e.serverLatencySeconds, e.traceId, e.multiplier, nowMs);
      clientSeconds.observe(k, e.clientLatencySeconds, e.traceId, e.multiplier, nowMs);
      if (messagingSeconds != null && e.connectionType.equals(Edge.MESSAGING_SYSTEM)) {
        double seconds = SpanAttributes.secondsBetween(e.clientEndNanos, e.serverStartNanos);
        // Zero means the consumer started before the producer ended: clocks apart, nothing to measure.
        if (seconds > 0) {
          messagingSeconds.observe(k, seconds, e.traceId, e.multiplier, nowMs);
        }
      }
    }
    if (connectionInfo != null) {
      connectionInfo.set(k, 1, nowMs);
    }
  }

  /** Expires the edges that waited {@code wait}: virtual nodes where the lone half allows, unpaired otherwise. */
  public synchronized void expire(long nowMs) {
    for (Iterator<Edge> it = waiting.values().iterator(); it.hasNext(); ) {
      Edge e = it.next();
      if (e.expiresAtMs > nowMs) {
        return; // insertion order is expiry order
      }
      it.remove();
      expired(e, nowMs);
    }
  }

  private void expired(Edge e, long nowMs) {
    String original = e.connectionType;
    e.connectionType = Edge.VIRTUAL_NODE;
    if (e.clientService.isEmpty()) {
      // A root server span: the call came from outside, a browser or a person with curl.
      if (e.key.root()) {
        e.clientService = e.peerNode.isEmpty() ? USER : e.peerNode;
        virtualNode(e, "client");
        complete(e, nowMs);
        return;
      }
    } else if (e.serverService.isEmpty() && !e.peerNode.isEmpty()) {
      // A call to something that sends no spans of its own: an external API, a database without a name attribute.
      e.serverService = e.peerNode;
      virtualNode(e, "server");
      complete(e, nowMs);
      return;
    }
    unpaired.inc(sideKey.set(0, e.clientService).set(1, e.serverService).set(2, original).rehash(), 1, nowMs);
  }

  private void virtualNode(Edge e, String side) {
    if (virtualNodeDimension < 0) {
      return;
    }
    if (config.enableClientServerPrefix()) {
      e.virtualNode = side;
    } else {
      e.dimensions[virtualNodeDimension] = side;
    }
  }

  /** Half edges waiting for their other half. */
  public synchronized int waiting() {
    return waiting.size();
  }
}
