package io.sightline.collector.pipeline;

/**
 * Where a receiver sends each signal: the fan-out to every pipeline of that signal that lists the receiver, or
 * {@code null} for a signal no such pipeline carries.
 */
public record NextConsumers(Consumer<Traces> traces, Consumer<Metrics> metrics, Consumer<Logs> logs) {

  public boolean has(Signal signal) {
    return switch (signal) {
      case TRACES -> traces != null;
      case METRICS -> metrics != null;
      case LOGS -> logs != null;
    };
  }
}
