package io.sightline.logql.log;

import io.sightline.core.model.Labels;
import io.sightline.logql.syntax.LogSelectorExpr;
import io.sightline.logql.syntax.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A log query's pipeline, compiled once per query: line filters, parsers, label filters, formatters and label
 * stages, as Loki's {@code log.Pipeline}. {@link #forStream} gives the per-stream runner (its labels builder and
 * scratch buffers), cached by stream labels.
 *
 * <p>Not thread-safe, like Loki's: a pipeline and its stream pipelines serve one thread; compile one per thread
 * (compiling is cheap).
 */
public final class Pipeline {
  private final List<Stage> stages;
  private final Map<Labels, StreamPipeline> streams = new HashMap<>();

  private Pipeline(List<Stage> stages) {
    this.stages = stages;
  }

  /**
   * The pipeline of a log query ({@code {app="api"} |= "x" | json}); a bare selector gives a pipeline that keeps
   * every line.
   *
   * @throws ParseException Loki's stage error for a stage that cannot be built (an invalid regex, template, ...)
   */
  public static Pipeline compile(LogSelectorExpr query) throws ParseException {
    return new Pipeline(Stages.compile(query.stages()));
  }

  /** Whether every line passes unchanged (no stage left after compiling). */
  public boolean isNoop() {
    return stages.isEmpty();
  }

  public StreamPipeline forStream(Labels streamLabels) {
    return streams.computeIfAbsent(streamLabels, l -> new StreamPipeline(stages, new LabelsBuilder(l,
        LabelsBuilder.Grouping.NONE)));
  }

  /** Forgets the per-stream state (Loki's {@code Reset}). */
  public void reset() {
    streams.clear();
  }
}
