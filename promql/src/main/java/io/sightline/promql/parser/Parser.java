package io.sightline.promql.parser;

import io.sightline.core.model.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent over the token list, with Prometheus' error messages. Reads series selectors today; the PromQL
 * milestone adds the rest of the grammar above {@link #selector()}.
 */
public final class Parser {
  private final String input;
  private final List<Token> tokens;
  private int at;

  private Parser(String input, List<Token> tokens) {
    this.input = input;
    this.tokens = tokens;
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
        LabelMatcher m = matcher();
        if (m.name().equals("__name__") && name != null) {
          throw new ParseException(input, first.position(), "metric name must not be set twice: \"" + name
              + "\" or \"" + m.value() + "\"");
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

  private Token peek() {
    return tokens.get(at);
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
