package io.sightline.collector.receiver.zipkin;

import java.util.List;
import java.util.Map;

/**
 * One decoded Zipkin v2 span, as zipkin-go's {@code SpanModel} holds it before the Collector translates it: ids as
 * unsigned longs (a 64-bit trace id has {@code traceIdHigh == 0}), times in microseconds (0 = absent), tags in the
 * order they were sent.
 *
 * @param parentId 0 when the span is a root
 * @param kind as sent ({@code CLIENT}, {@code SERVER}, {@code PRODUCER}, {@code CONSUMER}), or null
 * @param localEndpoint null when absent or empty
 * @param remoteEndpoint null when absent or empty
 */
record ZipkinSpan(long traceIdHigh, long traceIdLow, long id, long parentId, String kind, String name,
    long timestampMicros, long durationMicros, Endpoint localEndpoint, Endpoint remoteEndpoint,
    List<Annotation> annotations, Map<String, String> tags, boolean debug, boolean shared) {

  /**
   * @param serviceName "" when absent
   * @param ipv4 dotted quad, or null
   * @param ipv6 as Go prints it (RFC 5952; an IPv4-mapped address as a dotted quad), or null
   * @param port 0 when absent
   */
  record Endpoint(String serviceName, String ipv4, String ipv6, int port) {
    boolean isEmpty() {
      return serviceName.isEmpty() && ipv4 == null && ipv6 == null && port == 0;
    }
  }

  record Annotation(long timestampMicros, String value) {}
}
