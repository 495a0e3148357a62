package io.sightline.rules.template;

import io.sightline.rules.template.Lexer.Kind;
import io.sightline.rules.template.Lexer.Token;
import io.sightline.rules.template.Node.Action;
import io.sightline.rules.template.Node.Command;
import io.sightline.rules.template.Node.Constant;
import io.sightline.rules.template.Node.Field;
import io.sightline.rules.template.Node.Identifier;
import io.sightline.rules.template.Node.If;
import io.sightline.rules.template.Node.Operand;
import io.sightline.rules.template.Node.Parenthesized;
import io.sightline.rules.template.Node.Pipeline;
import io.sightline.rules.template.Node.Range;
import io.sightline.rules.template.Node.Text;
import io.sightline.rules.template.Node.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent over the tokens with Go's parse-time checks and messages
 * ({@code text/template/parse/parse.go}): unknown functions and undefined variables fail here, not
 * at execution, which is what lets {@code promtool check rules} catch them.
 */
final class TemplateParser {
  private final String name;
  private final List<Token> tokens;
  private final Set<String> functions;
  private final List<String> vars = new ArrayList<>();
  private int at;

  private TemplateParser(String name, List<Token> tokens, Set<String> functions, List<String> predefined) {
    this.name = name;
    this.tokens = tokens;
    this.functions = functions;
    vars.add("$");
    vars.addAll(predefined);
  }

  static List<Node> parse(String name, String text, Set<String> functions, List<String> predefined)
      throws TemplateException {
    TemplateParser p = new TemplateParser(name, Lexer.tokenize(name, text), functions, predefined);
    List<Node> nodes = new ArrayList<>();
    String end = p.list(nodes);
    if (end != null) {
      throw p.error("unexpected {{" + end + "}}");
    }
    return nodes;
  }

  private TemplateException error(String message) {
    return new TemplateException("template: " + name + ":" + peek().line() + ": " + message);
  }

  private Token peek() {
    return tokens.get(at);
  }

  private Token next() {
    return tokens.get(at++);
  }

  /** Parses nodes until EOF (returns null) or {@code {{end}}}/{@code {{else}}} (returns the keyword, consumed up to it). */
  private String list(List<Node> into) throws TemplateException {
    while (true) {
      Token t = next();
      switch (t.kind()) {
        case EOF -> {
          at--;
          return null;
        }
        case TEXT -> into.add(new Text(t.text()));
        case LEFT -> {
          Token k = peek();
          if (k.kind() == Kind.IDENT) {
            switch (k.text()) {
              case "end", "else" -> {
                next();
                return k.text();
              }
              case "if", "with" -> {
                next();
                into.add(control(k, k.text().equals("with")));
                continue;
              }
              case "range" -> {
                next();
                into.add(range(k));
                continue;
              }
              case "define", "template", "block", "break", "continue" ->
                  throw error("{{" + k.text() + "}} not supported");
              default -> { }
            }
          }
          Pipeline pipe = pipeline("command", false);
          into.add(new Action(t.line(), pipe));
        }
        default -> throw error("unexpected " + t.text());
      }
    }
  }

  private If control(Token keyword, boolean with) throws TemplateException {
    int scope = vars.size();
    Pipeline pipe = pipeline(keyword.text(), false);
    List<Node> then = new ArrayList<>();
    List<Node> otherwise = new ArrayList<>();
    String end = list(then);
    if (end == null) {
      throw error("unexpected EOF");
    }
    if (end.equals("else")) {
      // {{else if ...}} is sugar for {{else}}{{if ...}}...{{end}} sharing the one {{end}}.
      if (peek().kind() == Kind.IDENT && (peek().text().equals("if") || peek().text().equals("with"))) {
        Token k = next();
        otherwise.add(control(k, k.text().equals("with")));
        truncate(scope);
        return new If(keyword.line(), with, pipe, then, otherwise);
      }
      expectRight();
      end = list(otherwise);
      if (end == null) {
        throw error("unexpected EOF");
      }
      if (!end.equals("end")) {
        throw error("expected end; found {{" + end + "}}");
      }
    }
    expectRight();
    truncate(scope);
    return new If(keyword.line(), with, pipe, then, otherwise);
  }

  private Range range(Token keyword) throws TemplateException {
    int scope = vars.size();
    Pipeline pipe = pipeline("range", true);
    List<Node> body = new ArrayList<>();
    List<Node> otherwise = new ArrayList<>();
    String end = list(body);
    if (end == null) {
      throw error("unexpected EOF");
    }
    if (end.equals("else")) {
      expectRight();
      end = list(otherwise);
      if (end == null) {
        throw error("unexpected EOF");
      }
    }
    expectRight();
    truncate(scope);
    return new Range(keyword.line(), pipe, body, otherwise);
  }

  private void truncate(int size) {
    while (vars.size() > size) {
      vars.remove(vars.size() - 1);
    }
  }

  private void expectRight() throws TemplateException {
    if (next().kind() != Kind.RIGHT) {
      at--;
      throw error("unexpected " + describe(peek()) + " in end");
    }
  }

  private static String describe(Token t) {
    return t.kind() == Kind.EOF ? "EOF" : "\"" + t.text() + "\"";
  }

  /** {@code [decl :=] command (| command)*} up to {@code }}} (or {@code )} when nested). */
  private Pipeline pipeline(String context, boolean allowTwoVars) throws TemplateException {
    Token first = peek();
    List<String> decl = new ArrayList<>();
    boolean assign = false;
    if (first.kind() == Kind.VARIABLE) {
      int save = at;
      List<String> names = new ArrayList<>();
      names.add(next().text());
      if (allowTwoVars && peek().kind() == Kind.COMMA) {
        next();
        if (peek().kind() == Kind.VARIABLE) {
          names.add(next().text());
        }
      }
      if (peek().kind() == Kind.DECLARE || peek().kind() == Kind.ASSIGN && names.size() == 1) {
        assign = next().kind() == Kind.ASSIGN;
        if (assign && !vars.contains(names.get(0))) {
          throw error("undefined variable \"" + names.get(0) + "\"");
        }
        decl = names;
      } else {
        at = save;
      }
    }
    List<Command> commands = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.RIGHT || t.kind() == Kind.RPAREN) {
        boolean nested = context.equals("parenthesized");
        if (nested && t.kind() == Kind.RIGHT) {
          throw error("unclosed left paren");
        }
        if (!nested && t.kind() == Kind.RPAREN) {
          throw error("unexpected right paren");
        }
        break;
      }
      if (t.kind() == Kind.EOF) {
        throw error("unclosed action");
      }
      commands.add(command());
      if (peek().kind() == Kind.PIPE) {
        // Go accepts a trailing pipe with nothing after it ({{ x | }}), and so does promtool.
        next();
      }
    }
    if (!context.equals("parenthesized")) {
      next();
    }
    if (commands.isEmpty()) {
      throw error("missing value for " + context);
    }
    if (!assign) {
      vars.addAll(decl);
    }
    return new Pipeline(first.line(), first.column(), decl, assign, commands);
  }

  private Command command() throws TemplateException {
    List<Operand> args = new ArrayList<>();
    List<Node.Pos> at = new ArrayList<>();
    while (true) {
      Kind k = peek().kind();
      if (k == Kind.RIGHT || k == Kind.RPAREN || k == Kind.PIPE || k == Kind.EOF) {
        break;
      }
      at.add(new Node.Pos(peek().line(), peek().column()));
      args.add(operand());
    }
    if (args.isEmpty()) {
      throw error("empty command");
    }
    return new Command(args, at);
  }

  private Operand operand() throws TemplateException {
    Token t = next();
    return switch (t.kind()) {
      case DOT -> new Field(List.of());
      case FIELD -> {
        List<String> path = new ArrayList<>(fields(t.text()));
        path.addAll(trailingFields());
        yield new Field(path);
      }
      case VARIABLE -> {
        String[] parts = t.text().split("\\.", -1);
        String var = parts[0];
        if (!vars.contains(var)) {
          at--;
          throw error("undefined variable \"" + var + "\"");
        }
        List<String> path = new ArrayList<>(Arrays.asList(parts).subList(1, parts.length));
        path.addAll(trailingFields());
        yield new Variable(var, path);
      }
      case IDENT -> switch (t.text()) {
        case "true" -> new Constant(Boolean.TRUE);
        case "false" -> new Constant(Boolean.FALSE);
        case "nil" -> new Constant(null);
        default -> {
          if (!functions.contains(t.text())) {
            at--;
            throw error("function \"" + t.text() + "\" not defined");
          }
          yield new Identifier(t.text());
        }
      };
      case STRING -> new Constant(t.text());
      case NUMBER -> new Constant(number(t.text()));
      case LPAREN -> {
        Pipeline inner = pipeline("parenthesized", false);
        if (next().kind() != Kind.RPAREN) {
          at--;
          throw error("unclosed left paren");
        }
        yield new Parenthesized(inner, trailingFields());
      }
      default -> {
        at--;
        throw error("unexpected " + describe(t) + " in operand");
      }
    };
  }

  /** Fields written right after a variable or parenthesis: {@code $labels.job} lexes as one word here. */
  private List<String> trailingFields() {
    List<String> path = new ArrayList<>();
    while (peek().kind() == Kind.FIELD && isAdjacent()) {
      path.addAll(fields(next().text()));
    }
    return path;
  }

  private boolean isAdjacent() {
    Token prev = tokens.get(at - 1);
    Token cur = peek();
    return cur.line() == prev.line() && cur.column() == prev.column() + prev.text().length();
  }

  private static List<String> fields(String dotted) {
    return Arrays.asList(dotted.substring(1).split("\\."));
  }

  private Object number(String text) throws TemplateException {
    try {
      if (text.matches("[+-]?\\d+")) {
        return Long.parseLong(text);
      }
      if (text.matches("[+-]?0[xX][0-9a-fA-F]+")) {
        return Long.decode(text);
      }
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw error("bad number syntax: \"" + text + "\"");
    }
  }
}
