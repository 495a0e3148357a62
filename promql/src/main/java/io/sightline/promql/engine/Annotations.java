package io.sightline.promql.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The warnings and infos a query collects while it runs, each once, in the order first seen, with Prometheus' wording
 * ({@code util/annotations}): "PromQL warning: …" and "PromQL info: …". Safe to use from the threads that evaluate
 * one query's series in parallel.
 */
public final class Annotations {
  private final Set<String> warnings = new LinkedHashSet<>();
  private final Set<String> infos = new LinkedHashSet<>();

  /** {@code message} without the "PromQL warning: " prefix, which is added here. */
  public synchronized void warn(String message) {
    warnings.add("PromQL warning: " + message);
  }

  /** {@code message} without the "PromQL info: " prefix, which is added here. */
  public synchronized void info(String message) {
    infos.add("PromQL info: " + message);
  }

  public synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  public synchronized List<String> infos() {
    return List.copyOf(infos);
  }
}
