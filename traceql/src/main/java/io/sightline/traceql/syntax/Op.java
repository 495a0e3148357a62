package io.sightline.traceql.syntax;

/** The operators of field and scalar expressions, with the symbol Tempo prints and the types each accepts. */
public enum Op {
  ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("^"),
  EQ("="), NEQ("!="), LT("<"), LTE("<="), GT(">"), GTE(">="), RE("=~"), NRE("!~"),
  AND("&&"), OR("||"),
  NOT("!"), EXISTS("!= nil"), NOT_EXISTS("= nil");

  private final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** Whether the result is a boolean. */
  public boolean isBoolean() {
    return switch (this) {
      case EQ, NEQ, LT, LTE, GT, GTE, RE, NRE, AND, OR, NOT, EXISTS, NOT_EXISTS -> true;
      default -> false;
    };
  }

  public boolean isArithmetic() {
    return switch (this) {
      case ADD, SUB, MUL, DIV, MOD, POW -> true;
      default -> false;
    };
  }

  /** Tempo's {@code binaryTypesValid}: both operand types must accept the operator. */
  public boolean binaryTypesValid(StaticType lhs, StaticType rhs) {
    return acceptsType(lhs) && acceptsType(rhs);
  }

  private boolean acceptsType(StaticType t) {
    return switch (t) {
      case ATTRIBUTE -> true;
      case BOOLEAN, BOOLEAN_ARRAY -> this == AND || this == OR || this == EQ || this == NEQ;
      case FLOAT, FLOAT_ARRAY, INT, INT_ARRAY, DURATION -> isArithmetic() || this == EQ || this == NEQ || this == GT
          || this == GTE || this == LT || this == LTE;
      case STRING, STRING_ARRAY -> this == EQ || this == NEQ || this == RE || this == NRE || this == GT || this == GTE
          || this == LT || this == LTE;
      case NIL, STATUS, KIND -> this == EQ || this == NEQ;
      default -> false;
    };
  }

  /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
  public Op flipped() {
    return switch (this) {
      case LT -> GT;
      case LTE -> GTE;
      case GT -> LT;
      case GTE -> LTE;
      default -> this;
    };
  }
}
