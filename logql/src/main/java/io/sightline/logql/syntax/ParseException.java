package io.sightline.logql.syntax;

/**
 * A query Loki would refuse to parse, with Loki's message ({@code logqlmodel.ParseError}): {@code parse error at
 * line 1, col 12: syntax error: unexpected ...}, or {@code parse error : ...} for the checks Loki makes without a
 * position. Loki's HTTP API answers these with 400 and this message.
 */
public final class ParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String problem;
  private final int line;
  private final int column;

  public ParseException(String problem, int line, int column) {
    this(line == 0 && column == 0 ? "parse error : " + problem
        : "parse error at line " + line + ", col " + column + ": " + problem, problem, line, column);
  }

  private ParseException(String message, String problem, int line, int column) {
    super(message);
    this.problem = problem;
    this.line = line;
    this.column = column;
  }

  /** Loki's plain errors that are not {@code ParseError}s ({@code only label matchers are supported}). */
  static ParseException plain(String message) {
    return new ParseException(message, message, 0, 0);
  }

  /** The message without the {@code parse error ...:} prefix. */
  public String problem() {
    return problem;
  }

  /** 1-based, or 0 where Loki reports none (its scanner "invalidates" the line after a look-ahead). */
  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** Loki's {@code NewStageError}: a stage that cannot be built from its parsed form. */
  public static ParseException stage(String stage, String problem) {
    return new ParseException("stage '" + stage + "' : " + problem, 0, 0);
  }
}
