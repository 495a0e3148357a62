package io.sightline.promql.parser;

/** A query that does not parse; the message has Prometheus' shape: {@code 1:5: parse error: ...}. */
public final class ParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int position;

  public ParseException(String query, int position, String problem) {
    super(lineColumn(query, position) + ": parse error: " + problem);
    this.position = position;
  }

  public int position() {
    return position;
  }

  private static String lineColumn(String query, int position) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(position, query.length()); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return line + ":" + column;
  }
}
