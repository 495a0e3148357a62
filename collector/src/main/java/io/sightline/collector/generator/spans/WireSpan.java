package io.sightline.collector.generator.spans;

import static io.sightline.collector.generator.spans.WireResource.SPAN_INTS;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/** A movable view of one span of a {@link WireResource}: the fields the generator reads, decoded on demand. */
public final class WireSpan {
  public static final int KIND_SERVER = 2;
  public static final int KIND_CLIENT = 3;
  public static final int KIND_PRODUCER = 4;
  public static final int KIND_CONSUMER = 5;
  public static final int STATUS_ERROR = 2;

  private final WireResource r;
  private int index;
  private int s;

  WireSpan(WireResource r) {
    this.r = r;
  }

  /** Moves this view to span {@code i} of its resource. */
  public WireSpan at(int i) {
    if (i < 0 || i >= r.spanCount) {
      throw new IndexOutOfBoundsException(i);
    }
    index = i;
    s = i * SPAN_INTS;
    return this;
  }

  public String name() {
    return string(WireResource.NAME);
  }

  /** The span kind's number (0 unspecified … 5 consumer, or any other the sender set). */
  public int kind() {
    return r.spans[s + WireResource.KIND];
  }

  public int statusCode() {
    return r.spans[s + WireResource.STATUS_CODE];
  }

  public String statusMessage() {
    return string(WireResource.STATUS_MESSAGE);
  }

  public long startNanos() {
    return r.times[2 * index];
  }

  public long endNanos() {
    return r.times[2 * index + 1];
  }

  /** The span's encoded size in bytes. */
  public int encodedSize() {
    return r.spans[s + WireResource.TO] - r.spans[s + WireResource.FROM];
  }

  public ByteString traceId() {
    return bytes(WireResource.TRACE_ID);
  }

  public ByteString spanId() {
    return bytes(WireResource.SPAN_ID);
  }

  public ByteString parentSpanId() {
    return bytes(WireResource.PARENT);
  }

  public WireAttributes attributes() {
    return new WireAttributes(r.b, r.attributes, r.spans[s + WireResource.ATTRS_FIRST],
        r.spans[s + WireResource.ATTRS_COUNT]);
  }

  private String string(int field) {
    int from = r.spans[s + field];
    return from < 0 ? "" : new String(r.b, from, r.spans[s + field + 1] - from, StandardCharsets.UTF_8);
  }

  private ByteString bytes(int field) {
    int from = r.spans[s + field];
    return from < 0 ? ByteString.EMPTY : ByteString.copyFrom(r.b, from, r.spans[s + field + 1] - from);
  }
}
