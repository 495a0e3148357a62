package io.sightline.traceql.syntax;

/**
 * A token. {@code text} is the symbol, word or literal source; {@code value} is the literal's value, or the
 * {@link Attribute} of an attribute token. Line and column are 1-based, as Tempo reports them.
 */
record Token(Kind kind, String text, Object value, int line, int column) {
  enum Kind { EOF, WORD, STRING, INTEGER, FLOAT, DURATION, ATTRIBUTE, SCOPE_COLON, SYMBOL }

  boolean is(String symbolOrWord) {
    return (kind == Kind.SYMBOL || kind == Kind.WORD) && text.equals(symbolOrWord);
  }

  /** The token as goyacc names it in "unexpected ..." once Tempo has replaced names with their spelling. */
  String display() {
    return switch (kind) {
      case EOF -> "$end";
      case WORD -> Lexer.KEYWORDS.contains(text) ? text : "IDENTIFIER";
      case STRING -> "STRING";
      case INTEGER -> "INTEGER";
      case FLOAT -> "FLOAT";
      case DURATION -> "DURATION";
      case ATTRIBUTE, SCOPE_COLON, SYMBOL -> text;
    };
  }
}
