package io.sightline.traceql.engine;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.traceql.syntax.Element;
import java.util.ArrayList;
import java.util.List;

/**
 * The spanset part of a query (what comes before a metrics function, or a tag-value filter) evaluated over one trace,
 * giving the spans of every resulting spanset. Immutable and safe to share between threads.
 */
public final class Matcher {
  private final Element spans;

  private Matcher(Element spans) {
    this.spans = spans;
  }

  /** A matcher for a parsed and validated spanset expression or pipeline. */
  public static Matcher of(Element spans) {
    return new Matcher(spans);
  }

  /**
   * The spans of each spanset the pipeline returns for the trace, spanset by spanset: a span in two spansets comes
   * twice, as Tempo's metrics observe every span of every spanset.
   */
  public List<MatchedSpan> match(TracesData trace) {
    TraceView view = new TraceView(trace);
    if (view.spans.isEmpty()) {
      return List.of();
    }
    List<Spanset> result = Evaluator.evaluate(spans,
        List.of(new Spanset(new ArrayList<>(view.spans), new ArrayList<>())));
    List<MatchedSpan> out = new ArrayList<>();
    for (Spanset ss : result) {
      for (SpanView s : ss.spans) {
        out.add(new MatchedSpan(s));
      }
    }
    return out;
  }
}
