package io.sightline.tracestore;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;

/**
 * Collects one request's spans. Nothing is visible or durable before {@link #commit}. Not thread-safe: one appender
 * per request.
 */
public interface SpanAppender {

  /**
   * Adds the spans of one resource. The message is kept as it is (not copied): do not change it afterwards.
   *
   * @throws IllegalArgumentException when a span's trace id is not 16 bytes; nothing of this call is added
   * @throws TraceTooLargeException when a trace would grow past the configured limit; nothing of this call is added,
   *     earlier calls stay in the batch
   * @throws HeadFullException when the traces in memory would pass {@code max_live_bytes}; likewise
   */
  void append(ResourceSpans resourceSpans);

  /**
   * As {@link #append(ResourceSpans)}, with the protobuf encoding the message was parsed from: the store then keeps
   * and logs those bytes instead of encoding the spans again. {@code encoding} null is the same as the other append.
   */
  default void append(ResourceSpans resourceSpans, byte[] encoding) {
    append(resourceSpans);
  }

  /**
   * Adds the spans of one resource given only as its {@code ResourceSpans} protobuf encoding, which must be a valid
   * one (the receiver checked it): the spans are read, kept and logged as these bytes, never parsed into messages.
   *
   * @throws IllegalArgumentException when the framing is malformed or a span's trace id is not 16 bytes
   * @throws TraceTooLargeException as {@link #append(ResourceSpans)}
   * @throws HeadFullException as {@link #append(ResourceSpans)}
   */
  default void appendEncoded(byte[] encoding) {
    try {
      append(ResourceSpans.parseFrom(encoding), encoding);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed resource spans: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the batch to the WAL (fsync per policy), then makes it visible to reads. When this returns, a killed
   * process keeps every span of the batch. The appender is empty afterwards and may be reused.
   */
  void commit() throws IOException;

  /** Drops the batch. */
  void rollback();
}
