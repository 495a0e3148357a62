package io.sightline.promql.parser;

import io.sightline.core.model.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent with precedence climbing over the token list, with Prometheus' grammar
 * ({@code promql/parser/generated_parser.y}) and its type checks and error messages ({@code parse.go checkAST}).
 * Duration expressions ({@code [5m * 2]}, {@code offset (1h + 5m)}) are folded to milliseconds while parsing.
 */
public final class Parser {
  private final String input;
  private final List<Token> tokens;
  private int at;

  private Parser(String input, List<Token> tokens) {
    this.input = input;
    this.tokens = tokens;
  }

  /** A whole query. */
  public static Expr parse(String input) throws ParseException {
    Parser p = new Parser(input, Lexer.tokenize(input));
    if (p.peek().kind() == Token.Kind.EOF) {
      throw new ParseException(input, 0, "no expression found in input");
    }
    Expr expr = p.expression(0);
    if (p.peek().kind() != Token.Kind.EOF) {
      throw p.unexpected("end of input");
    }
    return expr;
  }

  /** A whole {@code match[]} value: one selector and nothing else. */
  public static VectorSelector parseSeriesSelector(String input) throws ParseException {
    Parser p = new Parser(input, Lexer.tokenize(input));
    if (p.peek().kind() == Token.Kind.EOF) {
      throw new ParseException(input, 0, "unexpected end of input");
    }
    VectorSelector selector = p.selector();
    if (p.peek().kind() != Token.Kind.EOF) {
      throw p.unexpected("end of input");
    }
    return selector;
  }

  // ---- expressions ----

  private Expr expression(int minPrecedence) throws ParseException {
    Expr lhs = unary();
    while (true) {
      Token opToken = peek();
      BinaryOp op = binaryOp(opToken);
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      at++;
      boolean returnBool = false;
      if (isKeyword(peek(), "bool")) {
        at++;
        returnBool = true;
      }
      VectorMatching matching = VectorMatching.DEFAULT;
      boolean matchingWritten = false;
      if (isKeyword(peek(), "on") || isKeyword(peek(), "ignoring")) {
        boolean on = isKeyword(peek(), "on");
        at++;
        matching = new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, labelList(), on, List.of());
        matchingWritten = true;
        if (isKeyword(peek(), "group_left") || isKeyword(peek(), "group_right")) {
          boolean left = isKeyword(peek(), "group_left");
          at++;
          List<String> include = peek().kind() == Token.Kind.LEFT_PAREN ? labelList() : List.of();
          matching = new VectorMatching(left ? VectorMatching.Cardinality.MANY_TO_ONE
              : VectorMatching.Cardinality.ONE_TO_MANY, matching.labels(), on, include);
        }
      } else if (isKeyword(peek(), "group_left") || isKeyword(peek(), "group_right")) {
        throw unexpected("\"on\" or \"ignoring\" before grouping");
      }
      int next = op.isRightAssociative() ? op.precedence() : op.precedence() + 1;
      Expr rhs = expression(next);
      lhs = checkBinary(opToken, op, lhs, rhs, matching, matchingWritten, returnBool);
    }
  }

  private Expr checkBinary(Token opToken, BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching,
      boolean matchingWritten, boolean returnBool) throws ParseException {
    int pos = opToken.position();
    if (returnBool && !op.isComparison()) {
      throw new ParseException(input, pos, "bool modifier can only be used on comparison operators");
    }
    ValueType lt = lhs.type();
    ValueType rt = rhs.type();
    if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw new ParseException(input, pos, "comparisons between scalars must use BOOL modifier");
    }
    if (matching.on()) {
      for (String l : matching.include()) {
        if (matching.labels().contains(l)) {
          throw new ParseException(input, pos, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR || rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw new ParseException(input, pos, "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (matchingWritten && !matching.labels().isEmpty()) {
        throw new ParseException(input, pos, "vector matching only allowed between instant vectors");
      }
      if (op.isSetOperator()) {
        throw new ParseException(input, pos, "set operator \"" + op.symbol()
            + "\" not allowed in binary scalar expression");
      }
      return new BinaryExpr(op, lhs, rhs, null, returnBool);
    }
    if (op.isSetOperator()) {
      if (matching.cardinality() != VectorMatching.Cardinality.ONE_TO_ONE) {
        throw new ParseException(input, pos, "no grouping allowed for \"" + op.symbol() + "\" operation");
      }
      matching = new VectorMatching(VectorMatching.Cardinality.MANY_TO_MANY, matching.labels(), matching.on(),
          matching.include());
    }
    return new BinaryExpr(op, lhs, rhs, matching, returnBool);
  }

  private Expr unary() throws ParseException {
    Token t = peek();
    if (t.kind() == Token.Kind.SUB || t.kind() == Token.Kind.ADD) {
      at++;
      // Unary minus binds tighter than * but looser than ^: -2 ^ 2 is -(2 ^ 2), as in Prometheus.
      Expr operand = expression(BinaryOp.POW.precedence());
      if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
        throw new ParseException(input, t.position(), "unary expression only allowed on expressions of type scalar "
            + "or instant vector, got \"" + operand.type().description() + "\"");
      }
      if (t.kind() == Token.Kind.ADD) {
        return operand;
      }
      return operand instanceof NumberLiteral n ? new NumberLiteral(-n.value()) : new UnaryExpr(operand);
    }
    return postfix(primary());
  }

  private Expr primary() throws ParseException {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        at++;
        return new NumberLiteral(number(t));
      }
      case DURATION -> {
        at++;
        return new NumberLiteral(durationMillis(t) / 1000.0);
      }
      case STRING -> {
        at++;
        return new StringLiteral(t.value(), t.text());
      }
      case LEFT_PAREN -> {
        at++;
        Expr inner = expression(0);
        expect(Token.Kind.RIGHT_PAREN, "\")\"");
        return new ParenExpr(inner);
      }
      case LEFT_BRACE -> {
        return selector();
      }
      case IDENTIFIER, METRIC_IDENTIFIER -> {
        String word = t.text();
        if (t.kind() == Token.Kind.IDENTIFIER && (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan"))) {
          at++;
          return new NumberLiteral(word.equalsIgnoreCase("inf") ? Double.POSITIVE_INFINITY : Double.NaN);
        }
        AggregateOp aggregate = t.kind() == Token.Kind.IDENTIFIER ? AggregateOp.byKeyword(word) : null;
        Token after = tokens.get(at + 1);
        if (aggregate != null && (after.kind() == Token.Kind.LEFT_PAREN || isKeyword(after, "by")
            || isKeyword(after, "without"))) {
          return aggregation(aggregate);
        }
        if (after.kind() == Token.Kind.LEFT_PAREN) {
          return call();
        }
        return selector();
      }
      case EOF -> throw new ParseException(input, t.position(), "unexpected end of input");
      default -> throw unexpected("an expression");
    }
  }

  /** Ranges, subqueries, {@code offset} and {@code @} after an expression. */
  private Expr postfix(Expr expr) throws ParseException {
    while (true) {
      Token t = peek();
      if (t.kind() == Token.Kind.LEFT_BRACKET) {
        expr = rangeOrSubquery(expr);
      } else if (isKeyword(t, "offset")) {
        at++;
        long offset = offsetDuration();
        expr = switch (expr) {
          case VectorSelector s -> {
            if (s.offsetMs() != 0) {
              throw new ParseException(input, t.position(), "offset may not be set multiple times");
            }
            yield s.withOffset(offset);
          }
          case MatrixSelector m -> {
            if (m.selector().offsetMs() != 0) {
              throw new ParseException(input, t.position(), "offset may not be set multiple times");
            }
            yield new MatrixSelector(m.selector().withOffset(offset), m.rangeMs());
          }
          case Subquery s -> {
            if (s.offsetMs() != 0) {
              throw new ParseException(input, t.position(), "offset may not be set multiple times");
            }
            yield s.withOffset(offset);
          }
          default -> throw new ParseException(input, t.position(), "offset modifier must be preceded by an instant "
              + "vector selector or range vector selector or a subquery");
        };
      } else if (t.kind() == Token.Kind.AT) {
        at++;
        At modifier = atModifier();
        expr = switch (expr) {
          case VectorSelector s -> {
            if (s.at() != null) {
              throw new ParseException(input, t.position(), "@ <timestamp> may not be set multiple times");
            }
            yield s.withAt(modifier);
          }
          case MatrixSelector m -> {
            if (m.selector().at() != null) {
              throw new ParseException(input, t.position(), "@ <timestamp> may not be set multiple times");
            }
            yield new MatrixSelector(m.selector().withAt(modifier), m.rangeMs());
          }
          case Subquery s -> {
            if (s.at() != null) {
              throw new ParseException(input, t.position(), "@ <timestamp> may not be set multiple times");
            }
            yield s.withAt(modifier);
          }
          default -> throw new ParseException(input, t.position(), "@ modifier must be preceded by an instant "
              + "vector selector or range vector selector or a subquery");
        };
      } else {
        return expr;
      }
    }
  }

  private Expr rangeOrSubquery(Expr expr) throws ParseException {
    Token open = peek();
    at++;
    long range = durationExpression();
    if (peek().kind() == Token.Kind.COLON) {
      at++;
      long step = peek().kind() == Token.Kind.RIGHT_BRACKET ? 0 : durationExpression();
      expect(Token.Kind.RIGHT_BRACKET, "\"]\"");
      if (expr.type() != ValueType.VECTOR) {
        throw new ParseException(input, open.position(), "subquery is only allowed on instant vector, got "
            + expr.type().description() + " instead");
      }
      if (step < 0) {
        throw new ParseException(input, open.position(), "step must be greater than 0");
      }
      return new Subquery(expr, range, step, 0, null);
    }
    expect(Token.Kind.RIGHT_BRACKET, "\"]\"");
    if (!(expr instanceof VectorSelector selector)) {
      throw new ParseException(input, open.position(), "ranges only allowed for vector selectors");
    }
    if (selector.offsetMs() != 0 || selector.at() != null) {
      throw new ParseException(input, open.position(), "no offset or @ modifiers allowed before range");
    }
    if (range <= 0) {
      throw new ParseException(input, open.position(), "range must be greater than 0");
    }
    return new MatrixSelector(selector, range);
  }

  private long offsetDuration() throws ParseException {
    Token t = peek();
    boolean negative = false;
    if (t.kind() == Token.Kind.SUB || t.kind() == Token.Kind.ADD) {
      negative = t.kind() == Token.Kind.SUB;
      at++;
      t = peek();
    }
    long ms;
    if (t.kind() == Token.Kind.LEFT_PAREN) {
      ms = durationExpression();
    } else if (t.kind() == Token.Kind.DURATION) {
      at++;
      ms = durationMillis(t);
    } else if (t.kind() == Token.Kind.NUMBER) {
      at++;
      ms = secondsToMillis(number(t), t);
    } else {
      throw unexpected("duration");
    }
    return negative ? -ms : ms;
  }

  private At atModifier() throws ParseException {
    Token t = peek();
    if (t.kind() == Token.Kind.IDENTIFIER && (t.text().equals("start") || t.text().equals("end"))) {
      at++;
      expect(Token.Kind.LEFT_PAREN, "\"(\"");
      expect(Token.Kind.RIGHT_PAREN, "\")\"");
      return t.text().equals("start") ? At.start() : At.end();
    }
    boolean negative = false;
    if (t.kind() == Token.Kind.SUB || t.kind() == Token.Kind.ADD) {
      negative = t.kind() == Token.Kind.SUB;
      at++;
      t = peek();
    }
    double seconds;
    if (t.kind() == Token.Kind.NUMBER) {
      seconds = number(t);
    } else if (t.kind() == Token.Kind.DURATION) {
      seconds = durationMillis(t) / 1000.0;
    } else {
      throw unexpected("timestamp");
    }
    at++;
    seconds = negative ? -seconds : seconds;
    if (!Double.isFinite(seconds) || Math.abs(seconds * 1000) > Long.MAX_VALUE / 2.0) {
      throw new ParseException(input, t.position(), "timestamp out of bounds for @ modifier: "
          + Double.toString(seconds));
    }
    return At.timestamp(Math.round(seconds * 1000));
  }

  // ---- duration expressions: folded to milliseconds ----

  private long durationExpression() throws ParseException {
    Token start = peek();
    double seconds = durationSum();
    if (!Double.isFinite(seconds)) {
      throw new ParseException(input, start.position(), "duration out of range");
    }
    return Math.round(seconds * 1000);
  }

  private double durationSum() throws ParseException {
    double v = durationProduct();
    while (peek().kind() == Token.Kind.ADD || peek().kind() == Token.Kind.SUB) {
      boolean add = peek().kind() == Token.Kind.ADD;
      at++;
      double r = durationProduct();
      v = add ? v + r : v - r;
    }
    return v;
  }

  private double durationProduct() throws ParseException {
    double v = durationUnary();
    while (peek().kind() == Token.Kind.MUL || peek().kind() == Token.Kind.DIV || peek().kind() == Token.Kind.MOD) {
      Token op = peek();
      at++;
      double r = durationUnary();
      if (op.kind() != Token.Kind.MUL && r == 0) {
        throw new ParseException(input, op.position(), op.kind() == Token.Kind.DIV ? "division by zero"
            : "modulo by zero");
      }
      v = switch (op.kind()) {
        case MUL -> v * r;
        case DIV -> v / r;
        default -> v % r;
      };
    }
    return v;
  }

  private double durationUnary() throws ParseException {
    if (peek().kind() == Token.Kind.SUB) {
      at++;
      return -durationUnary();
    }
    if (peek().kind() == Token.Kind.ADD) {
      at++;
      return durationUnary();
    }
    double base = durationPrimary();
    if (peek().kind() == Token.Kind.POW) {
      at++;
      return Math.pow(base, durationUnary());
    }
    return base;
  }

  private double durationPrimary() throws ParseException {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        at++;
        return number(t);
      }
      case DURATION -> {
        at++;
        return durationMillis(t) / 1000.0;
      }
      case LEFT_PAREN -> {
        at++;
        double v = durationSum();
        expect(Token.Kind.RIGHT_PAREN, "\")\"");
        return v;
      }
      default -> throw unexpected("duration");
    }
  }

  // ---- aggregations and calls ----

  private Expr aggregation(AggregateOp op) throws ParseException {
    Token start = peek();
    at++;
    List<String> grouping = List.of();
    boolean without = false;
    boolean groupingWritten = false;
    if (isKeyword(peek(), "by") || isKeyword(peek(), "without")) {
      without = isKeyword(peek(), "without");
      at++;
      grouping = labelList();
      groupingWritten = true;
    }
    List<Expr> args = arguments();
    if (!groupingWritten && (isKeyword(peek(), "by") || isKeyword(peek(), "without"))) {
      without = isKeyword(peek(), "without");
      at++;
      grouping = labelList();
    }
    int expected = op.parameter() == null ? 1 : 2;
    if (args.size() != expected) {
      throw new ParseException(input, start.position(), "wrong number of arguments for aggregate expression "
          + "provided, expected " + expected + ", got " + args.size());
    }
    Expr parameter = expected == 2 ? args.get(0) : null;
    Expr expr = args.get(expected - 1);
    if (parameter != null) {
      expectType(parameter, op.parameter(), "aggregation parameter", start);
    }
    expectType(expr, ValueType.VECTOR, "aggregation expression", start);
    return new AggregateExpr(op, expr, parameter, grouping, without);
  }

  private Expr call() throws ParseException {
    Token name = peek();
    Functions.Signature f = Functions.get(name.text());
    if (f == null) {
      throw new ParseException(input, name.position(), "unknown function with name \"" + name.text() + "\"");
    }
    at++;
    List<Expr> args = arguments();
    int declared = f.argTypes().size();
    if (f.variadic() == 0) {
      if (args.size() != declared) {
        throw new ParseException(input, name.position(), "expected " + declared + " argument(s) in call to \""
            + f.name() + "\", got " + args.size());
      }
    } else {
      int required = declared - 1;
      if (args.size() < required) {
        throw new ParseException(input, name.position(), "expected at least " + required
            + " argument(s) in call to \"" + f.name() + "\", got " + args.size());
      }
      if (f.variadic() > 0 && args.size() > required + f.variadic()) {
        throw new ParseException(input, name.position(), "expected at most " + (required + f.variadic())
            + " argument(s) in call to \"" + f.name() + "\", got " + args.size());
      }
    }
    for (int i = 0; i < args.size(); i++) {
      ValueType type = f.argTypes().get(Math.min(i, declared - 1));
      expectType(args.get(i), type, "call to function \"" + f.name() + "\"", name);
    }
    if (f.name().equals("info") && args.size() > 1 && !(args.get(1) instanceof VectorSelector)) {
      throw new ParseException(input, name.position(), "expected label selectors as the second argument to "
          + "\"info\" function, got " + args.get(1).type().description());
    }
    return new Call(f, args);
  }

  /** {@code ( expr, expr, … )}, a trailing comma allowed. */
  private List<Expr> arguments() throws ParseException {
    expect(Token.Kind.LEFT_PAREN, "\"(\"");
    List<Expr> args = new ArrayList<>();
    while (peek().kind() != Token.Kind.RIGHT_PAREN) {
      args.add(expression(0));
      if (peek().kind() == Token.Kind.COMMA) {
        at++;
      } else if (peek().kind() != Token.Kind.RIGHT_PAREN) {
        throw unexpected("\",\" or \")\"");
      }
    }
    at++;
    return args;
  }

  private void expectType(Expr e, ValueType want, String context, Token where) throws ParseException {
    if (e.type() != want) {
      throw new ParseException(input, where.position(), "expected type " + want.description() + " in " + context
          + ", got " + e.type().description());
    }
  }

  /** {@code (a, b, "c.d")}: label names, keywords and quoted names allowed. */
  private List<String> labelList() throws ParseException {
    expect(Token.Kind.LEFT_PAREN, "\"(\"");
    List<String> labels = new ArrayList<>();
    while (peek().kind() != Token.Kind.RIGHT_PAREN) {
      Token t = peek();
      if (t.kind() == Token.Kind.IDENTIFIER) {
        labels.add(t.text());
      } else if (t.kind() == Token.Kind.STRING) {
        labels.add(t.value());
      } else {
        throw new ParseException(input, t.position(), "unexpected " + describe(t)
            + " in grouping opts, expected label");
      }
      at++;
      if (peek().kind() == Token.Kind.COMMA) {
        at++;
      } else if (peek().kind() != Token.Kind.RIGHT_PAREN) {
        throw new ParseException(input, peek().position(), "unexpected " + describe(peek())
            + " in grouping opts, expected \",\" or \")\"");
      }
    }
    at++;
    return labels;
  }

  // ---- selectors ----

  private VectorSelector selector() throws ParseException {
    Token first = peek();
    String name = null;
    List<LabelMatcher> matchers = new ArrayList<>();
    if (first.kind() == Token.Kind.IDENTIFIER || first.kind() == Token.Kind.METRIC_IDENTIFIER) {
      name = first.text();
      at++;
      matchers.add(LabelMatcher.equal("__name__", name));
    } else if (first.kind() != Token.Kind.LEFT_BRACE) {
      throw unexpected("a metric name or '{'");
    }
    if (peek().kind() == Token.Kind.LEFT_BRACE) {
      at++;
      while (peek().kind() != Token.Kind.RIGHT_BRACE) {
        Token item = peek();
        LabelMatcher m;
        Token after = item.kind() == Token.Kind.STRING ? tokens.get(at + 1) : item;
        if (item.kind() == Token.Kind.STRING
            && (after.kind() == Token.Kind.COMMA || after.kind() == Token.Kind.RIGHT_BRACE)) {
          // {"metric.name", label="x"}: a quoted metric name inside the braces
          at++;
          m = LabelMatcher.equal("__name__", item.value());
        } else {
          m = matcher();
        }
        if (m.name().equals("__name__") && name != null) {
          throw new ParseException(input, first.position(), "metric name must not be set twice: \"" + name
              + "\" or \"" + m.value() + "\"");
        }
        if (m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQUAL && item.kind() == Token.Kind.STRING
            && (after.kind() == Token.Kind.COMMA || after.kind() == Token.Kind.RIGHT_BRACE)) {
          name = m.value();
        }
        matchers.add(m);
        if (peek().kind() == Token.Kind.COMMA) {
          at++;
        } else if (peek().kind() != Token.Kind.RIGHT_BRACE) {
          throw unexpected("\",\" or \"}\" in label matching");
        }
      }
      at++;
    }
    if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw new ParseException(input, first.position(), "vector selector must contain at least one non-empty matcher");
    }
    return new VectorSelector(name, matchers);
  }

  private LabelMatcher matcher() throws ParseException {
    Token label = peek();
    String name;
    if (label.kind() == Token.Kind.IDENTIFIER) {
      name = label.text();
    } else if (label.kind() == Token.Kind.STRING) {
      name = label.value();
    } else {
      throw unexpected("label name");
    }
    at++;
    Token op = peek();
    LabelMatcher.Type type = switch (op.kind()) {
      case ASSIGN -> LabelMatcher.Type.EQUAL;
      case NEQ -> LabelMatcher.Type.NOT_EQUAL;
      case EQL_REGEX -> LabelMatcher.Type.REGEX;
      case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
      default -> throw new ParseException(input, op.position(), "unexpected " + describe(op)
          + " in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
    };
    at++;
    Token value = peek();
    if (value.kind() != Token.Kind.STRING) {
      throw new ParseException(input, value.position(), "unexpected " + describe(value)
          + " in label matching, expected string");
    }
    at++;
    try {
      return new LabelMatcher(type, name, value.value(), null);
    } catch (PatternSyntaxException e) {
      throw new ParseException(input, value.position(), "invalid regular expression in label matcher: "
          + e.getDescription());
    }
  }

  // ---- tokens ----

  private BinaryOp binaryOp(Token t) {
    return switch (t.kind()) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case EQL -> BinaryOp.EQL;
      case NEQ -> BinaryOp.NEQ;
      case GTR -> BinaryOp.GTR;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case LTE -> BinaryOp.LTE;
      case IDENTIFIER -> switch (t.text().toLowerCase(Locale.ROOT)) {
        case "and" -> BinaryOp.AND;
        case "or" -> BinaryOp.OR;
        case "unless" -> BinaryOp.UNLESS;
        case "atan2" -> BinaryOp.ATAN2;
        default -> null;
      };
      default -> null;
    };
  }

  private static boolean isKeyword(Token t, String keyword) {
    return t.kind() == Token.Kind.IDENTIFIER && t.text().equalsIgnoreCase(keyword);
  }

  private double number(Token t) throws ParseException {
    String s = t.text();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseLong(s.substring(2), 16);
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new ParseException(input, t.position(), "bad number or duration syntax: \"" + s + "\"");
    }
  }

  private long secondsToMillis(double seconds, Token t) throws ParseException {
    if (!Double.isFinite(seconds)) {
      throw new ParseException(input, t.position(), "duration out of range");
    }
    return Math.round(seconds * 1000);
  }

  private static final long[] UNIT_MS = {365 * 86_400_000L, 7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L,
      1_000L, 1L};
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};

  /** {@code 1h30m}, {@code 250ms}: the lexer has checked the shape. */
  private static long durationMillis(Token t) {
    String s = t.text();
    long total = 0;
    int i = 0;
    while (i < s.length()) {
      int digits = i;
      while (Character.isDigit(s.charAt(i))) {
        i++;
      }
      long n = Long.parseLong(s.substring(digits, i));
      int unitEnd = i;
      while (unitEnd < s.length() && Character.isLetter(s.charAt(unitEnd))) {
        unitEnd++;
      }
      String unit = s.substring(i, unitEnd);
      for (int u = 0; u < UNITS.length; u++) {
        if (UNITS[u].equals(unit)) {
          total += n * UNIT_MS[u];
        }
      }
      i = unitEnd;
    }
    return total;
  }

  private Token peek() {
    return tokens.get(at);
  }

  private void expect(Token.Kind kind, String what) throws ParseException {
    if (peek().kind() != kind) {
      throw unexpected(what);
    }
    at++;
  }

  private ParseException unexpected(String expected) {
    Token t = peek();
    return new ParseException(input, t.position(), "unexpected " + describe(t) + ", expected " + expected);
  }

  private static String describe(Token t) {
    return switch (t.kind()) {
      case EOF -> "end of input";
      case STRING -> "string " + t.text();
      case NUMBER -> "number \"" + t.text() + "\"";
      case DURATION -> "duration \"" + t.text() + "\"";
      case IDENTIFIER, METRIC_IDENTIFIER -> "identifier \"" + t.text() + "\"";
      default -> "\"" + t.text() + "\"";
    };
  }
}
