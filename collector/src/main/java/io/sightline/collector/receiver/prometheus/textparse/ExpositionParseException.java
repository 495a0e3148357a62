package io.sightline.collector.receiver.prometheus.textparse;

/** A body that does not parse; the message names the line, as Prometheus' parse errors do. */
public final class ExpositionParseException extends Exception {
  public ExpositionParseException(int line, String problem) {
    super("line " + line + ": " + problem, null, false, false);
  }
}
