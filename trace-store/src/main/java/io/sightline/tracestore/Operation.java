package io.sightline.tracestore;

/**
 * A span name with its OTLP kind number ({@code Span.SpanKind}: 0 unspecified, 1 internal, 2 server, 3 client,
 * 4 producer, 5 consumer), as Jaeger's operations list has them.
 */
public record Operation(String name, int spanKind) implements Comparable<Operation> {
  @Override
  public int compareTo(Operation o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Integer.compare(spanKind, o.spanKind);
  }
}
