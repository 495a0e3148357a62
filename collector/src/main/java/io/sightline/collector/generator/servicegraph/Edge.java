package io.sightline.collector.generator.servicegraph;

import com.google.protobuf.ByteString;

/** One call between two services, filled in by its client half, its server half, or both (Tempo's {@code Edge}). */
final class Edge {
  static final String UNKNOWN = "";
  static final String MESSAGING_SYSTEM = "messaging_system";
  static final String DATABASE = "database";
  static final String VIRTUAL_NODE = "virtual_node";

  final EdgeKey key;
  final long expiresAtMs;
  ByteString traceId = ByteString.EMPTY;
  String connectionType = UNKNOWN;
  String clientService = "";
  String serverService = "";
  double clientLatencySeconds;
  double serverLatencySeconds;
  long serverStartNanos;
  long clientEndNanos;
  /** The kind of the span that last updated the edge. */
  int spanKind;
  boolean failed;
  /** Dimension values: client side first, then (with the client/server prefix) the server side. */
  final String[] dimensions;
  /** With the client/server prefix, the {@code virtual_node} label, which is not an attribute then. */
  String virtualNode = "";
  String peerNode = "";
  double multiplier = 1;

  Edge(EdgeKey key, long expiresAtMs, int dimensions) {
    this.key = key;
    this.expiresAtMs = expiresAtMs;
    this.dimensions = new String[dimensions];
    java.util.Arrays.fill(this.dimensions, "");
  }

  boolean complete() {
    return !clientService.isEmpty() && !serverService.isEmpty();
  }
}
