package io.sightline.collector.receiver.prometheus.textparse;

/**
 * A body that does not parse. The message is {@code line N: } and then the problem in Prometheus' words, e.g.
 * {@code line 3: expected label name, got "1b" while parsing: "a{1b"}; a scrape reports it as the target's error.
 */
public final class ExpositionParseException extends Exception {
  private final int line;

  ExpositionParseException(int line, String problem) {
    // No stack trace: a bad body is the target's fault, and the parser's stack says nothing about it.
    super("line " + line + ": " + problem, null, false, false);
    this.line = line;
  }

  /** The 1-based line the problem is on. */
  public int line() {
    return line;
  }
}
