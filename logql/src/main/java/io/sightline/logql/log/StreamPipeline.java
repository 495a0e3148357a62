package io.sightline.logql.log;

import io.sightline.core.model.Labels;
import java.util.List;

/**
 * A {@link Pipeline} for one stream. {@link #process} runs the stages over a line; when it keeps the line,
 * {@link #line()}, {@link #lineLength()} and {@link #labels()} describe the result.
 *
 * <p>Aliasing: the result line may be the caller's own buffer (when no stage rewrote it) or a buffer of this
 * pipeline; both are valid until the next call. Copy what you keep. With only line filters and label filters on
 * stream labels, processing allocates nothing.
 */
public final class StreamPipeline {
  private final Stage[] stages;
  private final LabelsBuilder builder;
  private final Line line = new Line();
  private LabelsResult labels;

  StreamPipeline(List<Stage> stages, LabelsBuilder builder) {
    this.stages = stages.toArray(Stage[]::new);
    this.builder = builder;
  }

  /**
   * @param timestampNanos the line's time (for {@code __timestamp__} in templates)
   * @param buf the line is {@code buf[off, off+len)}, UTF-8
   * @param structuredMetadata the line's structured metadata, or null
   * @return whether the line is kept
   */
  public boolean process(long timestampNanos, byte[] buf, int off, int len, Labels structuredMetadata) {
    line.set(buf, off, len);
    if (!Stage.runAll(stages, timestampNanos, line, builder, structuredMetadata)) {
      return false;
    }
    labels = builder.result();
    return true;
  }

  public boolean process(long timestampNanos, byte[] line, Labels structuredMetadata) {
    return process(timestampNanos, line, 0, line.length, structuredMetadata);
  }

  /** The result line's buffer; the line is {@code line()[lineOffset(), lineOffset()+lineLength())}. */
  public byte[] line() {
    return line.buf;
  }

  public int lineOffset() {
    return line.off;
  }

  public int lineLength() {
    return line.len;
  }

  /** The result line as a string. */
  public String lineString() {
    return line.string();
  }

  /** The labels of the last kept line. */
  public LabelsResult labels() {
    return labels;
  }

  /** The stream's labels alone (Loki's {@code BaseLabels}). */
  public LabelsResult baseLabels() {
    return builder.baseResult();
  }
}
