package io.sightline.traceql.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * TraceQL's parser: precedence climbing where Tempo has a goyacc grammar. One climber reads whole queries, where an
 * operator means different things by what it joins ({@code >} is "child" between spansets and "greater" between
 * aggregates); a second reads field expressions inside {@code { }}. The precedences are Tempo's, including
 * {@code &&} and {@code ||} binding equally (left to right) and {@code !} binding tighter than {@code +} but looser
 * than {@code *}.
 */
public final class Parser {
  /** Query-level binary operators by precedence; higher binds tighter. */
  private static final List<List<String>> QUERY_LEVELS = List.of(
      List.of("|"),
      List.of("&&", "||"),
      List.of("=", "!=", "<", "<=", ">", ">=", "=~", "!~", ">>", "<<", "~", "!>", "!<", "!>>", "!<<", "&>", "&<",
          "&>>", "&<<", "&~"),
      List.of("+", "-"),
      List.of("*", "/", "%"),
      List.of("^"));

  /** Field-level binary operators: the same ladder without the pipe and the structural operators. */
  private static final List<List<String>> FIELD_LEVELS = List.of(
      List.of("&&", "||"),
      List.of("=", "!=", "<", "<=", ">", ">=", "=~", "!~"),
      List.of("+", "-"),
      List.of(),
      List.of("*", "/", "%"),
      List.of("^"));
  private static final int FIELD_NOT_LEVEL = 3;
  private static final int FIELD_NEG_LEVEL = 2;

  private static final List<String> COMPARISONS = List.of("=", "!=", "<", "<=", ">", ">=");

  private final Lexer lexer;
  private final List<Token> lookahead = new ArrayList<>();

  private Parser(String query) {
    this.lexer = new Lexer(query);
  }

  /** Parses a query; validation is separate ({@link Validator#validate}), as in Tempo. */
  public static Query parse(String query) throws ParseException {
    try {
      return new Parser(query).query();
    } catch (ParseFailure f) {
      throw f.exception;
    }
  }

  // ---- tokens ----

  private Token peek() {
    if (lookahead.isEmpty()) {
      lookahead.add(lexer.next());
    }
    return lookahead.getFirst();
  }

  private Token next() {
    Token t = peek();
    lookahead.removeFirst();
    return t;
  }

  private static ParseFailure unexpected(Token t) {
    return unexpected(t, null);
  }

  private static ParseFailure unexpected(Token t, String expecting) {
    String msg = "syntax error: unexpected " + t.display() + (expecting == null ? "" : ", expecting " + expecting);
    return new ParseFailure(new ParseException(t.line(), t.column(), msg));
  }

  private Token expect(String symbol) {
    Token t = next();
    if (!t.is(symbol)) {
      throw unexpected(t, symbol);
    }
    return t;
  }

  // ---- query level ----

  /** A node of the query-level climb, and whether it was written in parentheses. */
  private record Item(Object node, boolean wrapped, Token start) {}

  /** A metrics function straight after a pipe, with the filters written after it; attached to the pipeline later. */
  private record BareMetrics(FirstStage first, List<SecondStage> second) {}

  /** {@code topk(n)} / {@code bottomk(n)} after a pipe, and the filters after it. */
  private record BareSecond(List<SecondStage> stages) {}

  /** The {@code nil} of {@code x = nil}: only an operand of {@code =} and {@code !=}. */
  private record NilMark(Token token) {}

  private Query query() {
    Item item = climb(0, false);
    List<Hint> hints = new ArrayList<>();
    while (peek().is("with")) {
      next();
      expect("(");
      do {
        Token name = next();
        if (name.kind() != Token.Kind.WORD) {
          throw unexpected(name, "IDENTIFIER");
        }
        expect("=");
        Object value = fieldPrimary();
        if (!(value instanceof Static s)) {
          throw unexpected(peek());
        }
        hints.add(new Hint(name.text(), s));
      } while (peek().is(",") && next() != null);
      expect(")");
    }
    Token end = peek();
    if (end.kind() != Token.Kind.EOF) {
      throw failAt(end, item);
    }
    return new Query(toRoot(item, end), hints);
  }

  private static boolean isCompleteRoot(Item item) {
    return item.node() instanceof Element || item.node() instanceof Root;
  }

  private static Root toRoot(Item item, Token end) {
    return switch (item.node()) {
      case Element e -> new SpansetQuery(e);
      case Root r -> r;
      default -> throw unexpected(end);
    };
  }

  private static int levelOf(List<List<String>> levels, Token t) {
    if (t.kind() != Token.Kind.SYMBOL) {
      return -1;
    }
    for (int i = 0; i < levels.size(); i++) {
      if (levels.get(i).contains(t.text())) {
        return i;
      }
    }
    return -1;
  }

  private Item climb(int minLevel, boolean afterPipe) {
    Item lhs = primary(afterPipe);
    while (true) {
      Token op = peek();
      int level = levelOf(QUERY_LEVELS, op);
      if (level < 0 || level < minLevel) {
        return lhs;
      }
      next();
      boolean pipe = op.is("|");
      Item rhs = climb(op.is("^") ? level : level + 1, pipe);
      lhs = new Item(combine(op, lhs, rhs), false, lhs.start());
    }
  }

  private static boolean isSpansetOperand(Item item) {
    return item.node() instanceof SpansetFilter || item.node() instanceof SpansetOperation
        || item.wrapped() && item.node() instanceof Element;
  }

  private static boolean isScalar(Object node) {
    return node instanceof ScalarExpr;
  }

  private static boolean isMetrics(Item item) {
    return item.node() instanceof MetricsQuery || item.node() instanceof MetricsMath;
  }

  private Object combine(Token op, Item lhs, Item rhs) {
    String s = op.text();
    Object l = lhs.node();
    Object r = rhs.node();
    if (s.equals("|")) {
      return pipe(op, lhs, rhs);
    }
    SpansetOperator spansetOp = SpansetOperator.fromSymbol(s);
    if (spansetOp != null && isSpansetOperand(lhs) && isSpansetOperand(rhs)) {
      return new SpansetOperation(spansetOp, (Element) l, (Element) r);
    }
    if (COMPARISONS.contains(s)) {
      Op cmp = symbolOp(s);
      if (isScalar(l) && isScalar(r) && !(l instanceof Static && r instanceof Static)) {
        return new ScalarFilter(cmp, (ScalarExpr) l, (ScalarExpr) r);
      }
      if (r instanceof Static value && value.type().isNumeric()) {
        MetricsFilter filter = new MetricsFilter(cmp, value);
        switch (l) {
          case BareMetrics m -> {
            return new BareMetrics(m.first(), append(m.second(), filter));
          }
          case BareSecond b -> {
            return new BareSecond(append(b.stages(), filter));
          }
          case MetricsQuery m -> {
            return new MetricsQuery(m.spans(), m.first(), append(m.second(), filter));
          }
          case MetricsMath m -> {
            return new MetricsMath(m.op(), m.lhs(), m.rhs(), append(m.second(), filter));
          }
          default -> { }
        }
      }
      throw failAt(op, lhs);
    }
    if (List.of("+", "-", "*", "/", "%", "^").contains(s)) {
      Op arith = symbolOp(s);
      if (isScalar(l) && isScalar(r)) {
        if (l instanceof Static a && r instanceof Static b) {
          return fold(arith, a, b, op);
        }
        return new ScalarOperation(arith, (ScalarExpr) l, (ScalarExpr) r);
      }
      boolean metricsOp = !s.equals("%") && !s.equals("^");
      if (metricsOp && (isMetrics(lhs) || isMetrics(rhs))) {
        Root a = metricsOperand(lhs);
        Root b = metricsOperand(rhs);
        if (a != null && b != null) {
          return new MetricsMath(arith, a, b, List.of());
        }
      }
      throw failAt(op, lhs);
    }
    throw failAt(op, lhs);
  }

  /**
   * An operator that cannot join what precedes it. goyacc lists what it expected when that is short: after a
   * complete query other than a bare spanset expression, only {@code with} may follow.
   */
  private static ParseFailure failAt(Token op, Item lhs) {
    boolean openSpanset = !lhs.wrapped()
        && (lhs.node() instanceof SpansetFilter || lhs.node() instanceof SpansetOperation);
    return unexpected(op, isCompleteRoot(lhs) && !openSpanset ? "with" : null);
  }

  private static Root metricsOperand(Item item) {
    return switch (item.node()) {
      case MetricsQuery m -> m;
      case MetricsMath m -> m;
      case Static s when s.type() == StaticType.INT || s.type() == StaticType.FLOAT ->
          new MetricsConstant(s.asDouble());
      default -> null;
    };
  }

  private static <T> List<T> append(List<? extends T> list, T item) {
    List<T> out = new ArrayList<>(list);
    out.add(item);
    return out;
  }

  private Object pipe(Token op, Item lhs, Item rhs) {
    Object l = lhs.node();
    Object r = rhs.node();
    if (l instanceof MetricsQuery m && r instanceof BareSecond b) {
      return new MetricsQuery(m.spans(), m.first(), concat(m.second(), b.stages()));
    }
    if (l instanceof MetricsMath m && r instanceof BareSecond b) {
      return new MetricsMath(m.op(), m.lhs(), m.rhs(), concat(m.second(), b.stages()));
    }
    if (!(l instanceof Element left)) {
      throw failAt(op, lhs);
    }
    List<Element> stages = new ArrayList<>();
    if (left instanceof Pipeline p && !lhs.wrapped()) {
      stages.addAll(p.stages());
    } else {
      stages.add(left);
    }
    switch (r) {
      case Element e -> {
        stages.add(e);
        return new Pipeline(stages);
      }
      case Aggregate a -> {
        return new ScalarPipeline(new Pipeline(stages), a);
      }
      case BareMetrics m -> {
        return new MetricsQuery(single(stages), m.first(), m.second());
      }
      default -> throw unexpected(rhs.start());
    }
  }

  private static Element single(List<Element> stages) {
    return stages.size() == 1 ? stages.getFirst() : new Pipeline(stages);
  }

  private static List<SecondStage> concat(List<SecondStage> a, List<SecondStage> b) {
    List<SecondStage> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static Op symbolOp(String s) {
    return switch (s) {
      case "+" -> Op.ADD;
      case "-" -> Op.SUB;
      case "*" -> Op.MUL;
      case "/" -> Op.DIV;
      case "%" -> Op.MOD;
      case "^" -> Op.POW;
      case "=" -> Op.EQ;
      case "!=" -> Op.NEQ;
      case "<" -> Op.LT;
      case "<=" -> Op.LTE;
      case ">" -> Op.GT;
      case ">=" -> Op.GTE;
      case "=~" -> Op.RE;
      case "!~" -> Op.NRE;
      case "&&" -> Op.AND;
      case "||" -> Op.OR;
      default -> throw new IllegalArgumentException(s);
    };
  }

  /** Constant arithmetic, folded as Tempo folds it: ints stay ints ({@code 1/2} is 0), anything else is a float. */
  private static Static fold(Op op, Static a, Static b, Token at) {
    if (a.type() == StaticType.DURATION || b.type() == StaticType.DURATION) {
      // Tempo's constant folding refuses durations: only ints and floats reach a metrics query.
      throw unexpected(at);
    }
    if (a.type() == StaticType.INT && b.type() == StaticType.INT) {
      long x = a.asLong();
      long y = b.asLong();
      if ((op == Op.DIV || op == Op.MOD) && y == 0) {
        throw new ParseFailure(new ParseException(at.line(), at.column(), "division by zero"));
      }
      return Static.ofInt(switch (op) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case MOD -> x % y;
        default -> (long) Math.pow(x, y);
      });
    }
    double x = a.asDouble();
    double y = b.asDouble();
    double v = switch (op) {
      case ADD -> x + y;
      case SUB -> x - y;
      case MUL -> x * y;
      case DIV -> x / y;
      case MOD -> x % y;
      default -> Math.pow(x, y);
    };
    return Static.ofFloat(v);
  }

  private Item primary(boolean afterPipe) {
    Token t = peek();
    switch (t.kind()) {
      case INTEGER, FLOAT, DURATION -> {
        next();
        return new Item(literal(t), false, t);
      }
      case SYMBOL -> {
        if (t.is("{")) {
          return new Item(spansetFilter(), false, t);
        }
        if (t.is("(")) {
          next();
          Item inner = climb(0, false);
          if (!peek().is(")")) {
            throw unexpected(peek(), inner.node() instanceof Element ? ") or |" : ")");
          }
          next();
          return new Item(inner.node(), true, t);
        }
        if (t.is("-")) {
          next();
          Item operand = primary(false);
          if (operand.node() instanceof Static s && s.type().isNumeric()) {
            return new Item(negate(s), false, t);
          }
          throw unexpected(operand.start());
        }
        throw unexpected(t);
      }
      case WORD -> {
        return new Item(keywordPrimary(t, afterPipe), false, t);
      }
      default -> throw unexpected(t);
    }
  }

  private static Static negate(Static s) {
    return switch (s.type()) {
      case INT -> Static.ofInt(-s.asLong());
      case DURATION -> Static.ofDuration(-s.asLong());
      default -> Static.ofFloat(-s.asDouble());
    };
  }

  private static Static literal(Token t) {
    return switch (t.kind()) {
      case INTEGER -> Static.ofInt((Long) t.value());
      case FLOAT -> Static.ofFloat((Double) t.value());
      case DURATION -> Static.ofDuration((Long) t.value());
      default -> throw unexpected(t);
    };
  }

  private Object keywordPrimary(Token t, boolean afterPipe) {
    String w = t.text();
    AggregateOp agg = AggregateOp.fromKeyword(w);
    if (agg != null) {
      next();
      expect("(");
      FieldExpr arg = null;
      if (agg == AggregateOp.COUNT) {
        expect(")");
      } else {
        arg = fieldExpr(0);
        expect(")");
      }
      return new Aggregate(agg, arg);
    }
    MetricsFunction fn = MetricsFunction.fromKeyword(w);
    if (fn != null && afterPipe) {
      next();
      return new BareMetrics(metricsFunction(fn), List.of());
    }
    switch (w) {
      case "by" -> {
        next();
        expect("(");
        FieldExpr e = fieldExpr(0);
        expect(")");
        return new GroupBy(e);
      }
      case "select" -> {
        next();
        expect("(");
        List<Attribute> attrs = attributeList();
        expect(")");
        return new Select(attrs);
      }
      case "coalesce" -> {
        if (!afterPipe) {
          throw unexpected(t);
        }
        next();
        expect("(");
        expect(")");
        return new Coalesce();
      }
      case "compare" -> {
        if (!afterPipe) {
          throw unexpected(t);
        }
        next();
        expect("(");
        if (!peek().is("{")) {
          throw unexpected(peek(), "{");
        }
        SpansetFilter selection = spansetFilter();
        long topN = 10;
        long start = 0;
        long end = 0;
        if (peek().is(",")) {
          next();
          topN = integer();
          if (peek().is(",")) {
            next();
            start = integer();
            expect(",");
            end = integer();
          }
        }
        expect(")");
        return new BareMetrics(new MetricsCompare(selection, topN, start, end), List.of());
      }
      case "topk", "bottomk" -> {
        if (!afterPipe) {
          throw unexpected(t);
        }
        next();
        expect("(");
        long k = integer();
        expect(")");
        return new BareSecond(List.of(new TopK(w.equals("bottomk"), k)));
      }
      default -> throw unexpected(t);
    }
  }

  private long integer() {
    Token t = next();
    if (t.kind() != Token.Kind.INTEGER) {
      throw unexpected(t, "INTEGER");
    }
    return (Long) t.value();
  }

  private MetricsAggregate metricsFunction(MetricsFunction fn) {
    expect("(");
    Attribute attr = null;
    List<Double> quantiles = new ArrayList<>();
    if (fn.takesAttribute()) {
      attr = attribute();
      if (fn.takesQuantiles()) {
        expect(",");
        do {
          Token q = next();
          if (q.kind() == Token.Kind.INTEGER) {
            quantiles.add(((Long) q.value()).doubleValue());
          } else if (q.kind() == Token.Kind.FLOAT) {
            quantiles.add((Double) q.value());
          } else {
            throw unexpected(q, "FLOAT or INTEGER");
          }
        } while (peek().is(",") && next() != null);
      }
    }
    expect(")");
    List<Attribute> by = List.of();
    if (peek().is("by")) {
      next();
      expect("(");
      by = attributeList();
      expect(")");
    }
    return new MetricsAggregate(fn, attr, quantiles, by);
  }

  private List<Attribute> attributeList() {
    List<Attribute> attrs = new ArrayList<>();
    attrs.add(attribute());
    while (peek().is(",")) {
      next();
      attrs.add(attribute());
    }
    return attrs;
  }

  private Attribute attribute() {
    Token t = peek();
    Object field = fieldPrimaryOrNull(t);
    if (field instanceof Attribute a) {
      return a;
    }
    throw unexpected(t);
  }

  // ---- field expressions ----

  private SpansetFilter spansetFilter() {
    expect("{");
    if (peek().is("}")) {
      next();
      return new SpansetFilter(Static.TRUE);
    }
    FieldExpr e = fieldExpr(0);
    Token close = next();
    if (!close.is("}")) {
      throw unexpected(close);
    }
    return new SpansetFilter(e);
  }

  private FieldExpr fieldExpr(int minLevel) {
    Object e = fieldClimb(minLevel);
    if (e instanceof NilMark nil) {
      throw unexpected(nil.token());
    }
    return (FieldExpr) e;
  }

  private Object fieldClimb(int minLevel) {
    Object lhs = fieldUnary();
    while (true) {
      Token op = peek();
      int level = levelOf(FIELD_LEVELS, op);
      if (level < 0 || level < minLevel) {
        return lhs;
      }
      next();
      Object rhs = fieldClimb(op.is("^") ? level : level + 1);
      lhs = fieldCombine(op, lhs, rhs);
    }
  }

  private static Object fieldCombine(Token op, Object lhs, Object rhs) {
    boolean lNil = lhs instanceof NilMark;
    boolean rNil = rhs instanceof NilMark;
    if (lNil || rNil) {
      if (!op.is("=") && !op.is("!=")) {
        throw unexpected(rNil ? ((NilMark) rhs).token() : op);
      }
      if (lNil && rNil) {
        return Static.FALSE;
      }
      FieldExpr other = (FieldExpr) (lNil ? rhs : lhs);
      return new UnaryOperation(op.is("=") ? Op.NOT_EXISTS : Op.EXISTS, other);
    }
    return new BinaryOperation(symbolOp(op.text()), (FieldExpr) lhs, (FieldExpr) rhs);
  }

  private Object fieldUnary() {
    Token t = peek();
    if (t.is("!")) {
      next();
      return new UnaryOperation(Op.NOT, fieldExpr(FIELD_NOT_LEVEL + 1));
    }
    if (t.is("-")) {
      next();
      return new UnaryOperation(Op.SUB, fieldExpr(FIELD_NEG_LEVEL + 1));
    }
    if (t.is("(")) {
      next();
      FieldExpr inner = fieldExpr(0);
      expect(")");
      return inner;
    }
    return fieldPrimary();
  }

  private Object fieldPrimary() {
    Token t = peek();
    Object e = fieldPrimaryOrNull(t);
    if (e == null) {
      throw unexpected(t);
    }
    return e;
  }

  /** A literal, attribute or intrinsic, consuming it; null (consuming nothing) for anything else. */
  private Object fieldPrimaryOrNull(Token t) {
    switch (t.kind()) {
      case STRING -> {
        next();
        return Static.ofString((String) t.value());
      }
      case INTEGER, FLOAT, DURATION -> {
        next();
        return literal(t);
      }
      case ATTRIBUTE -> {
        next();
        return t.value();
      }
      case SCOPE_COLON -> {
        next();
        Token word = next();
        Intrinsic i = word.kind() == Token.Kind.WORD ? Intrinsic.fromScoped((String) t.value(), word.text()) : null;
        if (i == null) {
          throw unexpected(word);
        }
        return Attribute.intrinsic(i);
      }
      case WORD -> {
        Object keyword = keywordLiteral(t.text());
        if (keyword != null) {
          next();
          return keyword.equals("nil") ? new NilMark(t) : keyword;
        }
        Intrinsic legacy = Intrinsic.fromLegacy(t.text());
        if (legacy != null) {
          next();
          return Attribute.intrinsic(legacy);
        }
        if (Lexer.KEYWORDS.contains(t.text())) {
          return null;
        }
        next();
        if (t.text().equals("minInt")) {
          return Static.ofInt(Long.MIN_VALUE);
        }
        if (t.text().equals("maxInt")) {
          return Static.ofInt(Long.MAX_VALUE);
        }
        if (!Character.isLetter(t.text().charAt(0)) && t.text().charAt(0) != '_') {
          throw unexpected(t);
        }
        // goyacc reduces the identifier only once it has read the next token, so Tempo reports that position.
        Token after = peek();
        throw new ParseFailure(new ParseException(after.line(), after.column(), "unknown identifier: " + t.text()));
      }
      default -> {
        return null;
      }
    }
  }

  private static Object keywordLiteral(String w) {
    return switch (w) {
      case "true" -> Static.TRUE;
      case "false" -> Static.FALSE;
      case "nil" -> "nil";
      case "ok" -> Static.ofStatus(Status.OK);
      case "error" -> Static.ofStatus(Status.ERROR);
      case "unset" -> Static.ofStatus(Status.UNSET);
      case "unspecified" -> Static.ofKind(Kind.UNSPECIFIED);
      case "internal" -> Static.ofKind(Kind.INTERNAL);
      case "server" -> Static.ofKind(Kind.SERVER);
      case "client" -> Static.ofKind(Kind.CLIENT);
      case "producer" -> Static.ofKind(Kind.PRODUCER);
      case "consumer" -> Static.ofKind(Kind.CONSUMER);
      default -> null;
    };
  }
}
