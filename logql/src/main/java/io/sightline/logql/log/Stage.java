package io.sightline.logql.log;

/** One pipeline stage: may rewrite the line and the labels; false drops the line. */
interface Stage {
  boolean process(long timestampNanos, Line line, LabelsBuilder labels);
}
