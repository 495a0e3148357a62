package io.sightline.logql.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Go's {@code text/template} as Loki's {@code line_format} and {@code label_format} use it: text and actions with
 * trim markers and comments, pipelines of fields ({@code .label}), variables, constants, parenthesised pipelines and
 * function calls, {@code if}/{@code else if}/{@code else}, {@code range} and {@code with}, the built-in functions
 * ({@code and or not eq ne lt le gt ge len index print printf println}) and Loki's function table ({@link Funcs}).
 * Missing keys give the empty string ({@code missingkey=zero} over Loki's {@code map[string]string}).
 *
 * <p>{@code define}, {@code template} and {@code block} are not supported yet (a parse error says so). A parsed
 * template is immutable and thread-safe; execution state lives in each call.
 */
public final class Template {
  private static final Set<String> BUILTINS = Set.of("and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len",
      "index", "print", "printf", "println", "html", "js", "urlquery");

  final String name;
  final List<Node> root;

  private Template(String name, List<Node> root) {
    this.name = name;
    this.root = root;
  }

  /**
   * @param name Loki's template name ({@code line} or {@code label}), part of error messages
   * @param functions names callable besides the built-ins
   */
  public static Template parse(String name, String text, Set<String> functions) throws TemplateException {
    return new Template(name, new Parser(name, text, functions).parseAll());
  }

  /** A single {@code {{.name}}}, which Loki answers with a label lookup without running the template. */
  public String simpleField() {
    if (root.size() == 1 && root.get(0) instanceof Node.Action a && a.pipe().decl().isEmpty()
        && a.pipe().cmds().size() == 1 && a.pipe().cmds().get(0).args().size() == 1
        && a.pipe().cmds().get(0).args().get(0) instanceof Node.Field f && f.names().size() == 1) {
      return f.names().get(0);
    }
    return null;
  }

  /** Runs the template over the context's labels ({@code .name}), line and timestamp. */
  public String execute(Funcs.Context context) throws TemplateException {
    StringBuilder out = new StringBuilder();
    new Exec(this, context).run(root, context.data(), out);
    return out.toString();
  }

  /** Lexer and parser in one: Go's lexer states collapsed into a scan of each action's text. */
  private static final class Parser {
    private final String name;
    private final String s;
    private final Set<String> functions;
    private int pos;
    private final List<String> vars = new ArrayList<>(List.of("$"));

    Parser(String name, String s, Set<String> functions) {
      this.name = name;
      this.s = s;
      this.functions = functions;
    }

    private TemplateException error(String msg) {
      return new TemplateException("template: " + name + ":" + line(pos) + ": " + msg);
    }

    private int line(int at) {
      int l = 1;
      for (int i = 0; i < Math.min(at, s.length()); i++) {
        if (s.charAt(i) == '\n') {
          l++;
        }
      }
      return l;
    }

    private int col(int at) {
      int c = 0;
      for (int i = Math.min(at, s.length()) - 1; i >= 0 && s.charAt(i) != '\n'; i--) {
        c++;
      }
      return c;
    }

    List<Node> parseAll() throws TemplateException {
      List<Node> nodes = new ArrayList<>();
      String end = list(nodes, true);
      if (end != null) {
        throw error("unexpected {{" + end + "}}");
      }
      return nodes;
    }

    /** Parses until {@code {{end}}}/{@code {{else}}} (returned) or the end of input (null, only when allowed). */
    private String list(List<Node> out, boolean top) throws TemplateException {
      boolean trimNext = false;
      while (pos < s.length()) {
        int open = s.indexOf("{{", pos);
        String text = open < 0 ? s.substring(pos) : s.substring(pos, open);
        boolean trimLeft = open >= 0 && s.startsWith("{{- ", open) || open >= 0 && s.startsWith("{{-\t", open)
            || open >= 0 && s.startsWith("{{-\n", open) || open >= 0 && s.startsWith("{{-\r", open);
        if (trimNext) {
          text = text.stripLeading();
        }
        if (trimLeft) {
          text = text.stripTrailing();
        }
        if (!text.isEmpty()) {
          out.add(new Node.Text(text));
        }
        if (open < 0) {
          pos = s.length();
          break;
        }
        int actionStart = open;
        pos = open + 2 + (trimLeft ? 2 : 0);
        int close = findClose(pos);
        if (close < 0) {
          pos = actionStart;
          throw error("unclosed action");
        }
        boolean trimRight = close >= 2 && s.charAt(close - 1) == '-' && Character.isWhitespace(s.charAt(close - 2));
        String body = s.substring(pos, trimRight ? close - 2 : close);
        int bodyStart = pos;
        pos = close + 2;
        trimNext = trimRight;
        String trimmed = body.strip();
        if (trimmed.startsWith("/*")) {
          if (!trimmed.endsWith("*/")) {
            throw error("unclosed comment");
          }
          continue;
        }
        String keyword = firstWord(trimmed);
        switch (keyword) {
          case "end" -> {
            if (top) {
              throw error("unexpected {{end}}");
            }
            expectEmpty(trimmed.substring(3), "end");
            return "end";
          }
          case "else" -> {
            if (top) {
              throw error("unexpected {{else}}");
            }
            String rest = trimmed.substring(4).strip();
            if (rest.isEmpty()) {
              return "else";
            }
            // {{else if pipeline}} is {{else}}{{if pipeline}}...{{end}} sharing the outer end
            elseChain = rest;
            elseChainStart = bodyStart + body.indexOf(rest);
            return "else";
          }
          case "if", "with", "range" -> out.add(branch(keyword, trimmed.substring(keyword.length()),
              bodyStart + body.indexOf(keyword) + keyword.length()));
          case "define", "template", "block" -> throw error("{{" + keyword + "}} is not supported yet");
          case "break", "continue" -> throw error("{{" + keyword + "}} outside {{range}}");
          default -> out.add(new Node.Action(pipe(body, bodyStart, "command")));
        }
      }
      if (!top) {
        throw error("unexpected EOF");
      }
      return null;
    }

    private String elseChain;
    private int elseChainStart;

    private Node branch(String keyword, String rest, int restStart) throws TemplateException {
      int saved = vars.size();
      Node.Pipe p = pipe(rest, restStart, keyword);
      List<Node> list = new ArrayList<>();
      String end = list(list, false);
      List<Node> elseList = null;
      if (end.equals("else")) {
        elseList = new ArrayList<>();
        if (elseChain != null) {
          String chain = elseChain;
          int chainStart = elseChainStart;
          elseChain = null;
          String kw = firstWord(chain);
          if (!kw.equals("if") && !kw.equals("with")) {
            throw error("unexpected \"" + kw + "\" in else");
          }
          // the nested branch consumes the shared {{end}}
          elseList.add(branch(kw, chain.substring(kw.length()), chainStart + kw.length()));
        } else {
          end = list(elseList, false);
          if (!end.equals("end")) {
            throw error("expected end; found {{else}}");
          }
        }
      }
      while (vars.size() > saved) {
        vars.remove(vars.size() - 1);
      }
      return switch (keyword) {
        case "if" -> new Node.If(p, list, elseList);
        case "with" -> new Node.With(p, list, elseList);
        default -> new Node.Range(p, list, elseList);
      };
    }

    private void expectEmpty(String rest, String what) throws TemplateException {
      if (!rest.isBlank()) {
        throw error("unexpected \"" + rest.strip() + "\" in " + what);
      }
    }

    private static String firstWord(String t) {
      int i = 0;
      while (i < t.length() && Character.isLetter(t.charAt(i))) {
        i++;
      }
      String w = t.substring(0, i);
      return switch (w) {
        case "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue" ->
            i == t.length() || !Character.isLetterOrDigit(t.charAt(i)) && t.charAt(i) != '_' ? w : "";
        default -> "";
      };
    }

    /** The index of the {@code }}} closing the action whose text starts at {@code from}, skipping quotes. */
    private int findClose(int from) {
      int i = from;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '"' || c == '\'') {
          i++;
          while (i < s.length() && s.charAt(i) != c) {
            if (s.charAt(i) == '\\') {
              i++;
            }
            if (i < s.length() && s.charAt(i) == '\n') {
              return -1;
            }
            i++;
          }
          i++;
          continue;
        }
        if (c == '`') {
          int e = s.indexOf('`', i + 1);
          if (e < 0) {
            return -1;
          }
          i = e + 1;
          continue;
        }
        if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
          return i;
        }
        i++;
      }
      return -1;
    }

    // ---- pipelines ----

    private String text;
    private int tp;
    private int textBase;

    private Node.Pipe pipe(String body, int base, String context) throws TemplateException {
      String savedText = text;
      int savedTp = tp;
      int savedBase = textBase;
      text = body;
      tp = 0;
      textBase = base;
      try {
        Node.Pipe p = pipeline(context, false);
        skipSpace();
        if (tp < text.length()) {
          throw error("unexpected " + describe(text.substring(tp)) + " in " + context);
        }
        return p;
      } finally {
        text = savedText;
        tp = savedTp;
        textBase = savedBase;
      }
    }

    private String describe(String rest) {
      char c = rest.charAt(0);
      if (c == ')') {
        return "\")\"";
      }
      return "\"" + rest.substring(0, Math.min(rest.length(), 1)) + "\"";
    }

    private void skipSpace() {
      while (tp < text.length() && Character.isWhitespace(text.charAt(tp))) {
        tp++;
      }
    }

    private Node.Pipe pipeline(String context, boolean inParens) throws TemplateException {
      skipSpace();
      int start = tp;
      List<String> decl = new ArrayList<>();
      boolean assign = false;
      int save = tp;
      if (tp < text.length() && text.charAt(tp) == '$') {
        List<String> names = new ArrayList<>();
        names.add(variableName());
        skipSpace();
        if (tp < text.length() && text.charAt(tp) == ',' && context.equals("range")) {
          tp++;
          skipSpace();
          if (tp < text.length() && text.charAt(tp) == '$') {
            names.add(variableName());
            skipSpace();
          }
        }
        if (text.startsWith(":=", tp)) {
          tp += 2;
          decl = names;
        } else if (text.startsWith("=", tp) && !text.startsWith("==", tp)) {
          tp += 1;
          decl = names;
          assign = true;
        } else {
          tp = save;
        }
      }
      List<Node.Cmd> cmds = new ArrayList<>();
      while (true) {
        skipSpace();
        List<Node.Arg> args = new ArrayList<>();
        while (true) {
          skipSpace();
          if (tp >= text.length() || text.charAt(tp) == '|' || text.charAt(tp) == ')') {
            break;
          }
          args.add(operand(context));
        }
        if (args.isEmpty()) {
          if (cmds.isEmpty() && decl.isEmpty() && !inParens) {
            throw error("missing value for " + context);
          }
          throw error("missing value for command");
        }
        cmds.add(new Node.Cmd(args));
        if (tp < text.length() && text.charAt(tp) == '|') {
          tp++;
          continue;
        }
        break;
      }
      if (!assign) {
        for (String d : decl) {
          vars.add(d);
        }
      }
      int abs = textBase + start;
      return new Node.Pipe(decl, assign, cmds, line(abs), col(abs), text.substring(start, tp).strip());
    }

    private String variableName() {
      int st = tp;
      tp++;
      while (tp < text.length() && (Character.isLetterOrDigit(text.charAt(tp)) || text.charAt(tp) == '_')) {
        tp++;
      }
      return text.substring(st, tp);
    }

    private List<String> fieldChain() {
      List<String> names = new ArrayList<>();
      while (tp < text.length() && text.charAt(tp) == '.' && tp + 1 < text.length()
          && (Character.isLetter(text.charAt(tp + 1)) || text.charAt(tp + 1) == '_')) {
        tp++;
        int st = tp;
        while (tp < text.length() && (Character.isLetterOrDigit(text.charAt(tp)) || text.charAt(tp) == '_')) {
          tp++;
        }
        names.add(text.substring(st, tp));
      }
      return names;
    }

    private Node.Arg operand(String context) throws TemplateException {
      char c = text.charAt(tp);
      if (c == '.') {
        if (tp + 1 < text.length() && Character.isDigit(text.charAt(tp + 1))) {
          return number();
        }
        List<String> names = fieldChain();
        if (names.isEmpty()) {
          tp++; // dot itself
        }
        return new Node.Field(names);
      }
      if (c == '$') {
        String v = variableName();
        if (!vars.contains(v)) {
          throw error("undefined variable \"" + v + "\"");
        }
        return new Node.Variable(v, fieldChain());
      }
      if (c == '(') {
        tp++;
        Node.Pipe p = pipeline("parenthesized pipeline", true);
        skipSpace();
        if (tp >= text.length() || text.charAt(tp) != ')') {
          throw error("unclosed left paren");
        }
        tp++;
        return new Node.Sub(p, fieldChain());
      }
      if (c == '"') {
        int st = tp;
        tp++;
        while (tp < text.length() && text.charAt(tp) != '"') {
          if (text.charAt(tp) == '\\') {
            tp++;
          }
          tp++;
        }
        tp++;
        String lit = text.substring(st, Math.min(tp, text.length()));
        String v = io.sightline.logql.syntax.GoStrconv.unquote(lit);
        if (v == null) {
          throw error("invalid syntax: " + lit);
        }
        return new Node.Constant(v);
      }
      if (c == '`') {
        int e = text.indexOf('`', tp + 1);
        String v = text.substring(tp + 1, e);
        tp = e + 1;
        return new Node.Constant(v);
      }
      if (c == '\'') {
        int st = tp;
        tp++;
        while (tp < text.length() && text.charAt(tp) != '\'') {
          if (text.charAt(tp) == '\\') {
            tp++;
          }
          tp++;
        }
        tp++;
        String v = io.sightline.logql.syntax.GoStrconv.unquote(text.substring(st, Math.min(tp, text.length())));
        if (v == null || v.codePointCount(0, v.length()) != 1) {
          throw error("malformed character constant: " + text.substring(st, tp));
        }
        return new Node.Constant((long) v.codePointAt(0));
      }
      if (Character.isDigit(c) || (c == '-' || c == '+') && tp + 1 < text.length()
          && (Character.isDigit(text.charAt(tp + 1)) || text.charAt(tp + 1) == '.')) {
        return number();
      }
      if (Character.isLetter(c) || c == '_') {
        int st = tp;
        while (tp < text.length() && (Character.isLetterOrDigit(text.charAt(tp)) || text.charAt(tp) == '_')) {
          tp++;
        }
        String id = text.substring(st, tp);
        switch (id) {
          case "true" -> {
            return new Node.Constant(Boolean.TRUE);
          }
          case "false" -> {
            return new Node.Constant(Boolean.FALSE);
          }
          case "nil" -> {
            return new Node.Constant(Exec.NIL);
          }
          default -> { }
        }
        if (!BUILTINS.contains(id) && !functions.contains(id)) {
          throw error("function \"" + id + "\" not defined");
        }
        return new Node.Ident(id);
      }
      throw error("unexpected \"" + c + "\" in " + context);
    }

    private Node.Arg number() throws TemplateException {
      int st = tp;
      if (text.charAt(tp) == '+' || text.charAt(tp) == '-') {
        tp++;
      }
      while (tp < text.length() && (Character.isLetterOrDigit(text.charAt(tp)) || text.charAt(tp) == '.'
          || text.charAt(tp) == '_' || (text.charAt(tp) == '+' || text.charAt(tp) == '-')
          && (text.charAt(tp - 1) == 'e' || text.charAt(tp - 1) == 'E' || text.charAt(tp - 1) == 'p'))) {
        tp++;
      }
      String n = text.substring(st, tp);
      Object v = GoString.number(n);
      if (v == null) {
        throw error("bad number syntax: \"" + n + "\"");
      }
      return new Node.Constant(v);
    }
  }
}
