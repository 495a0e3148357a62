package io.sightline.collector.receiver.prometheus.textparse;

/**
 * Parses a scrape's body, in the classic text format 0.0.4 or OpenMetrics 1.0 text, straight from its bytes into
 * {@link ExpositionHandler} calls, as Prometheus' {@code model/textparse} parsers read them: the same tokens, the same
 * whitespace rules, the same float syntax, and errors worded like theirs with the line number in front.
 *
 * <p>Built for large scrapes: no regular expressions, no line splitting, and names and label values that repeat
 * from line to line become one {@code String} each per parse. Nothing is kept between parses.
 */
public final class ExpositionParser {
  private ExpositionParser() {}

  /**
   * Parses the whole body, calling the handler in order.
   *
   * @throws ExpositionParseException on the first error; samples before it have been reported
   */
  public static void parse(byte[] body, ExpositionFormat format, ExpositionHandler handler)
      throws ExpositionParseException {
    BodyReader reader = switch (format) {
      case PROMETHEUS_TEXT -> new PrometheusTextReader(body, handler);
      case OPENMETRICS -> new OpenMetricsReader(body, handler);
    };
    reader.parse();
  }
}
