package io.sightline.tracestore.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Arrays;

/**
 * A span with the resource and scope it belongs to. Equal when both are: the unit of de-duplication.
 *
 * <p>Spans read from a block are kept parsed. Spans in the head are kept as their OTLP encoding (a few hundred bytes
 * where the parsed message with its attribute objects takes several KiB of heap), with start and end beside it for
 * the upkeep, and parsed only when read or written to a block.
 */
public final class SpanRef {
  private static final int SPAN_ID_FIELD = 2;
  private final SpanGroup group;
  private final Span parsed;
  private final byte[] encoded;
  private final long startNanos;
  private final long endNanos;

  private SpanRef(SpanGroup group, Span parsed, byte[] encoded, long startNanos, long endNanos) {
    this.group = group;
    this.parsed = parsed;
    this.encoded = encoded;
    this.startNanos = startNanos;
    this.endNanos = endNanos;
  }

  public SpanRef(SpanGroup group, Span span) {
    this(group, span, null, span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
  }

  /** A span kept as its encoding, which must be what {@code Span.toByteArray()} gave. */
  public static SpanRef encoded(SpanGroup group, byte[] encoded, long startNanos, long endNanos) {
    return new SpanRef(group, null, encoded, startNanos, endNanos);
  }

  public SpanGroup group() {
    return group;
  }

  /** The span; a head span is parsed anew on every call: take {@link #parse()} to keep it. */
  public Span span() {
    if (parsed != null) {
      return parsed;
    }
    try {
      return Span.parseFrom(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a span encoded by this process does not parse", e);
    }
  }

  /** This span in parsed form (itself when it already is). */
  public SpanRef parse() {
    return parsed != null ? this : new SpanRef(group, span());
  }

  /** The span's OTLP encoding for a head span (not to be changed), null for a parsed one. */
  public byte[] encoding() {
    return encoded;
  }

  /** The span id, read from the encoding without parsing the rest of a head span. */
  public ByteString spanId() {
    if (parsed != null) {
      return parsed.getSpanId();
    }
    ByteString id = WireFields.bytesField(encoded, SPAN_ID_FIELD);
    return id != null ? id : ByteString.EMPTY;
  }

  /** The OTLP-encoded size of the span. */
  public int encodedSize() {
    return encoded != null ? encoded.length : parsed.getSerializedSize();
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SpanRef other) || startNanos != other.startNanos || endNanos != other.endNanos
        || !group.equals(other.group)) {
      return false;
    }
    if (encoded != null && other.encoded != null) {
      return Arrays.equals(encoded, other.encoded); // protobuf-java encodes equal spans alike
    }
    return span().equals(other.span());
  }

  /** From the group and the times only, so that both forms of one span hash alike without parsing either. */
  @Override
  public int hashCode() {
    return 31 * (31 * group.hashCode() + Long.hashCode(startNanos)) + Long.hashCode(endNanos);
  }

  @Override
  public String toString() {
    return "SpanRef[" + group + ", " + span() + "]";
  }
}
