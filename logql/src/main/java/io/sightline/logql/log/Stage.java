package io.sightline.logql.log;

/** One pipeline stage: may rewrite the line and the labels; false drops the line. */
interface Stage {
  boolean process(long timestampNanos, Line line, LabelsBuilder labels);

  /** Resets the builder for a new line with its metadata, then runs the stages; false when one drops the line. */
  static boolean runAll(Stage[] stages, long ts, Line line, LabelsBuilder builder, io.sightline.core.model.Labels
      structuredMetadata) {
    builder.reset();
    builder.addStructuredMetadata(structuredMetadata);
    for (Stage s : stages) {
      if (!s.process(ts, line, builder)) {
        return false;
      }
    }
    return true;
  }
}
