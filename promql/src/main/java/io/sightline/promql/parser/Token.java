package io.sightline.promql.parser;

/** One token: its kind, its text as written (strings unquoted in {@code value}), and where it starts. */
record Token(Kind kind, String text, String value, int position) {

  enum Kind {
    IDENTIFIER, METRIC_IDENTIFIER, STRING, NUMBER, DURATION,
    LEFT_BRACE, RIGHT_BRACE, LEFT_PAREN, RIGHT_PAREN, LEFT_BRACKET, RIGHT_BRACKET, COMMA, COLON, AT,
    EQL, NEQ, EQL_REGEX, NEQ_REGEX, ASSIGN,
    ADD, SUB, MUL, DIV, MOD, POW, LSS, LTE, GTR, GTE,
    EOF
  }
}
