package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Parses LogQL as Loki's {@code syntax.ParseExpr} does: the same grammar (an LALR(1) parser with goyacc's tables,
 * {@link LrTables}), the same lexer and the same checks, so that a query Loki accepts parses to a tree that prints
 * as Loki prints it, and a query Loki refuses gets Loki's message and position.
 *
 * <p>Thread-safe; the tables are built once.
 */
public final class Parser {
  /** Loki's {@code maxInputSize}: longer queries are refused before lexing. */
  public static final int MAX_INPUT_SIZE = 131072;

  private static final String ONE_MATCHER_REQUIRED = "queries require at least one regexp or equality matcher that "
      + "does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but "
      + "app=~\".+\" will";

  private Parser() {}

  /** Parses and validates a log or metric query. */
  public static Expr parseExpr(String query) throws ParseException {
    Expr e = parseWithoutValidation(query);
    validate(e);
    return e;
  }

  /** Parses without Loki's validation (selector matchers, errors kept in metric nodes). */
  public static Expr parseWithoutValidation(String query) throws ParseException {
    return parseWithoutValidation(query, MAX_INPUT_SIZE);
  }

  /** As {@link #parseExpr(String)} with another limit on the query's size in bytes (Loki's message). */
  public static Expr parseExpr(String query, int maxInputSize) throws ParseException {
    Expr e = parseWithoutValidation(query, maxInputSize);
    validate(e);
    return e;
  }

  private static Expr parseWithoutValidation(String query, int maxInputSize) throws ParseException {
    int size = query.getBytes(StandardCharsets.UTF_8).length;
    if (size >= maxInputSize) {
      throw new ParseException("input size too long (" + size + " > " + maxInputSize + ")", 0, 0);
    }
    try {
      return run(query);
    } catch (Failure f) {
      throw f.error;
    }
  }

  /** A query that must be a metric query. */
  public static SampleExpr parseSampleExpr(String query) throws ParseException {
    if (parseExpr(query) instanceof SampleExpr s) {
      return s;
    }
    throw ParseException.plain("only sample expression supported");
  }

  /** A query that must be a log query, validated or not. */
  public static LogSelectorExpr parseLogSelector(String query, boolean validate) throws ParseException {
    Expr e = parseWithoutValidation(query);
    if (!(e instanceof LogSelectorExpr l) || e instanceof SampleExpr) {
      throw ParseException.plain("only log selector is supported");
    }
    if (validate) {
      validate(e);
    }
    return l;
  }

  /** A stream selector alone, as {@code match[]} and {@code /series} take it. */
  public static List<LabelMatcher> parseMatchers(String query, boolean validate) throws ParseException {
    Expr e = validate ? parseExpr(query) : parseWithoutValidation(query);
    if (e instanceof LogSelectorExpr.MatchersExpr m) {
      return m.matchers();
    }
    throw ParseException.plain("only label matchers are supported");
  }

  private static Expr run(String query) throws ParseException {
    LrTables t = LogqlGrammar.TABLES;
    Lexer lexer = new Lexer(query);
    int[] states = new int[64];
    Object[] values = new Object[64];
    int sp = 0;
    states[0] = 0;
    Lexer.Token la = null;
    while (true) {
      int state = states[sp];
      if (la == null) {
        la = lexer.next();
      }
      int a = t.actions[state][la.type()];
      if (a == 0) {
        a = t.defaults[state] == 0 ? 0 : -t.defaults[state];
      }
      if (a == LrTables.ACCEPT) {
        if (!lexer.errors.isEmpty()) {
          throw lexer.errors.get(0);
        }
        return (Expr) values[sp];
      }
      if (a > 0) {
        if (++sp == states.length) {
          states = java.util.Arrays.copyOf(states, sp * 2);
          values = java.util.Arrays.copyOf(values, sp * 2);
        }
        states[sp] = a - 1;
        values[sp] = la.value();
        la = null;
        continue;
      }
      if (a < 0) {
        Grammar.Rule rule = t.grammar.rules().get(-a);
        int n = rule.rhs().length;
        Object[] args = new Object[n];
        System.arraycopy(values, sp - n + 1, args, 0, n);
        Object result = rule.action() == null ? (n > 0 ? args[0] : null) : rule.action().reduce(args);
        sp -= n;
        int next = t.gotos[states[sp]][rule.lhs() - t.grammar.terminalCount()];
        if (++sp == states.length) {
          states = java.util.Arrays.copyOf(states, sp * 2);
          values = java.util.Arrays.copyOf(values, sp * 2);
        }
        states[sp] = next;
        values[sp] = result;
        continue;
      }
      // Loki reports the first error it met: a lexer error before this one wins.
      if (!lexer.errors.isEmpty()) {
        throw lexer.errors.get(0);
      }
      throw new ParseException(t.errorMessage(state, la.type()), la.line(), la.column());
    }
  }

  private static void validate(Expr e) throws ParseException {
    if (e instanceof SampleExpr s) {
      validateSample(s);
    } else {
      validateMatchers(((LogSelectorExpr) e).matchers());
    }
  }

  private static void validateSample(SampleExpr e) throws ParseException {
    switch (e) {
      case InvalidExpr bad -> throw bad.error();
      case SampleExpr.BinOpExpr b -> {
        validateSample(b.lhs());
        validateSample(b.rhs());
      }
      case LiteralExpr l -> { }
      case VectorExpr v -> { }
      case SampleExpr.VectorAggregationExpr v -> {
        if ((v.operation().equals("sort") || v.operation().equals("sort_desc"))
            && !v.grouping().labelList().isEmpty()) {
          throw new ParseException("sort and sort_desc doesn't allow grouping by ", 0, 0);
        }
        validateSample(v.left());
      }
      case SampleExpr.LabelReplaceExpr l -> validateSample(l.left());
      case SampleExpr.RangeAggregationExpr r -> {
        if (!(r.left().left() instanceof VectorExpr)) {
          validateMatchers(r.left().left().matchers());
        }
      }
    }
  }

  private static void validateMatchers(List<LabelMatcher> matchers) throws ParseException {
    for (LabelMatcher m : matchers) {
      if (!m.matchesEmpty()) {
        return;
      }
    }
    throw new ParseException(ONE_MATCHER_REQUIRED, 0, 0);
  }
}
