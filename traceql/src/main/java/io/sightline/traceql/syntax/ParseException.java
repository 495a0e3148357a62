package io.sightline.traceql.syntax;

/**
 * A query that does not parse, worded as Tempo's {@code ParseError}:
 * {@code parse error at line 1, col 12: syntax error: unexpected IDENTIFIER}.
 */
public final class ParseException extends TraceQLException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String problem;

  ParseException(int line, int column, String problem) {
    super(line == 0 && column == 0 ? "parse error : " + problem
        : "parse error at line " + line + ", col " + column + ": " + problem);
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the position. */
  public String problem() {
    return problem;
  }
}
