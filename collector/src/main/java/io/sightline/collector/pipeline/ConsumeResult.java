package io.sightline.collector.pipeline;

/**
 * What became of a batch that was taken: all of it, or all but {@code rejected} items that the client must not send
 * again (OTLP's {@code partial_success}).
 */
public record ConsumeResult(long rejected, String message) {
  public static final ConsumeResult ACCEPTED = new ConsumeResult(0, "");

  public ConsumeResult {
    if (rejected < 0) {
      throw new IllegalArgumentException("rejected must be >= 0");
    }
    message = message == null ? "" : message;
  }

  public static ConsumeResult partial(long rejected, String message) {
    return rejected == 0 && message.isEmpty() ? ACCEPTED : new ConsumeResult(rejected, message);
  }

  public boolean isPartial() {
    return rejected > 0 || !message.isEmpty();
  }

  /**
   * Two exporters' views of the same batch. The larger rejection wins rather than the sum: both saw the same items,
   * and the client must learn how many were lost somewhere.
   */
  public ConsumeResult merge(ConsumeResult other) {
    if (!other.isPartial()) {
      return this;
    }
    if (!isPartial()) {
      return other;
    }
    String joined = message.isEmpty() ? other.message : other.message.isEmpty() ? message : message + "; " + other.message;
    return new ConsumeResult(Math.max(rejected, other.rejected), joined);
  }
}
