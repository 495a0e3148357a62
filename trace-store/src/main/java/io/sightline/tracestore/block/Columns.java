package io.sightline.tracestore.block;

/**
 * The columns of a row group, in the order their pages are listed in the index (FORMAT.md gives each encoding).
 * A row is a span; rows are sorted by trace id, then start time, then span id.
 */
final class Columns {
  static final int TRACE = 0;
  static final int DICT = 1;
  static final int SPAN_ID = 2;
  static final int PARENT = 3;
  static final int START = 4;
  static final int DURATION = 5;
  static final int NAME = 6;
  static final int KIND = 7;
  static final int STATUS = 8;
  static final int FLAGS = 9;
  static final int TRACE_STATE = 10;
  static final int DROPPED = 11;
  static final int GROUP = 12;
  static final int ATTRS = 13;
  static final int EVENTS = 14;
  static final int LINKS = 15;
  static final int COUNT = 16;

  /** PARENT values: 0 no parent, 1 a literal id follows, k ≥ 2 the span id of row k − 2 of the same trace. */
  static final int PARENT_NONE = 0;
  static final int PARENT_LITERAL = 1;
  static final int PARENT_ROW_BASE = 2;

  private Columns() {}
}
