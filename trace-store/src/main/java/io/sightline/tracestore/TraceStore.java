package io.sightline.tracestore;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trace store in Tempo's shape: spans go in through an appender (durable on commit), and come out as whole traces,
 * by id or by a search that the store narrows with {@link FetchRequest#conditions()} and the caller re-checks.
 * Open one with {@code io.sightline.tracestore.db.TraceDb.open(dir, config)}. Thread-safe.
 */
public interface TraceStore extends AutoCloseable {

  /** A new appender for one request's spans; appenders are cheap and may be used from any number of threads. */
  SpanAppender appender();

  /**
   * Every stored span of the trace, grouped by resource and scope as OTLP does; empty when none. Bounds (unix nanos;
   * 0 and {@code Long.MAX_VALUE} = unbounded) only limit which blocks are read, like Tempo's start/end: spans still in
   * memory are always returned. The order of resources, scopes and spans is the store's canonical order (FORMAT.md).
   */
  Optional<TracesData> trace(byte[] traceId, long startNanos, long endNanos) throws IOException;

  /**
   * Streams whole traces (all their spans, as TracesData) that have a span in [request.startNanos, request.endNanos]
   * and may match the request's conditions, newest first (by the trace's first span start), until the consumer returns
   * false or request.limit traces were passed. The store uses conditions only to skip (blocks, traces); the caller
   * re-checks every condition.
   */
  void fetch(FetchRequest request, TraceConsumer consumer) throws IOException;

  /** Distinct resource {@code service.name} values, sorted. */
  List<String> services() throws IOException;

  /** Distinct span names and OTLP kinds of a service, sorted by name then kind. */
  List<Operation> operations(String service) throws IOException;

  /** Attribute keys per scope in blocks overlapping [startNanos, endNanos] and the head; at most limit per scope. */
  Map<AttributeScope, List<String>> tagNames(long startNanos, long endNanos, int limit) throws IOException;

  /**
   * Distinct values of an attribute key in blocks overlapping [startNanos, endNanos] and the head, at most limit;
   * scope null means span or resource attributes.
   */
  List<AnyValue> tagValues(AttributeScope scope, String key, long startNanos, long endNanos, int limit)
      throws IOException;

  /** Counts for dashboards and tests. */
  TraceStoreStats stats();

  /** Writes every span still in memory to a block, stops the upkeep and closes the WAL. */
  @Override
  void close() throws IOException;
}
