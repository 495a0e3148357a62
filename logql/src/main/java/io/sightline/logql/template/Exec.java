package io.sightline.logql.template;

import io.sightline.logql.syntax.GoStrconv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One execution of a {@link Template}. Values are Go's, in Java: {@code String}, {@code Long} (int), {@code Double}
 * (float64), {@code Boolean}, {@link #NIL}, {@link GoTime}, {@code Map<String, ?>} and {@code List<?>}.
 */
final class Exec {
  /** Go's nil, printed {@code <no value>}. */
  static final Object NIL = new Object() {
    @Override
    public String toString() {
      return "<no value>";
    }
  };

  /** An error raised by a function or a built-in, before the position is known. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String msg) {
      super(msg, null, false, false);
    }
  }

  private final Template template;
  private final Funcs.Context context;
  private final List<String> varNames = new ArrayList<>();
  private final List<Object> varValues = new ArrayList<>();

  Exec(Template template, Funcs.Context context) {
    this.template = template;
    this.context = context;
  }

  void run(List<Node> nodes, Object dot, StringBuilder out) throws TemplateException {
    if (varNames.isEmpty()) {
      varNames.add("$");
      varValues.add(dot);
    }
    for (Node n : nodes) {
      switch (n) {
        case Node.Text t -> out.append(t.text());
        case Node.Action a -> {
          Object v = pipe(a.pipe(), dot);
          if (a.pipe().decl().isEmpty()) {
            out.append(print(v));
          }
        }
        case Node.If f -> {
          int mark = varNames.size();
          boolean truth = truth(pipe(f.pipe(), dot));
          if (truth) {
            run(f.list(), dot, out);
          } else if (f.elseList() != null) {
            run(f.elseList(), dot, out);
          }
          pop(mark);
        }
        case Node.With w -> {
          int mark = varNames.size();
          Object v = pipe(w.pipe(), dot);
          if (truth(v)) {
            run(w.list(), v, out);
          } else if (w.elseList() != null) {
            run(w.elseList(), dot, out);
          }
          pop(mark);
        }
        case Node.Range r -> range(r, dot, out);
      }
    }
  }

  private void pop(int mark) {
    while (varNames.size() > mark) {
      varNames.remove(varNames.size() - 1);
      varValues.remove(varValues.size() - 1);
    }
  }

  private void range(Node.Range r, Object dot, StringBuilder out) throws TemplateException {
    int mark = varNames.size();
    List<String> decl = r.pipe().decl();
    Node.Pipe p = new Node.Pipe(List.of(), false, r.pipe().cmds(), r.pipe().line(), r.pipe().col(),
        r.pipe().text());
    Object v = pipe(p, dot);
    List<Object[]> items = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        items.add(new Object[] {(long) i, l.get(i)});
      }
    } else if (v instanceof Map<?, ?> m) {
      for (var e : new TreeMap<>(m).entrySet()) {
        items.add(new Object[] {e.getKey(), e.getValue()});
      }
    } else if (v instanceof Long n) {
      for (long i = 0; i < n; i++) {
        items.add(new Object[] {i, i});
      }
    } else if (v != NIL) {
      throw error(r.pipe(), "range can't iterate over " + print(v));
    }
    if (items.isEmpty()) {
      if (r.elseList() != null) {
        run(r.elseList(), dot, out);
      }
      return;
    }
    for (Object[] item : items) {
      pop(mark);
      if (decl.size() == 1) {
        varNames.add(decl.get(0));
        varValues.add(item[1]);
      } else if (decl.size() == 2) {
        varNames.add(decl.get(0));
        varValues.add(item[0]);
        varNames.add(decl.get(1));
        varValues.add(item[1]);
      }
      run(r.list(), item[1], out);
    }
    pop(mark);
  }

  private TemplateException error(Node.Pipe p, String msg) {
    return new TemplateException("template: " + template.name + ":" + p.line() + ":" + p.col() + ": executing \""
        + template.name + "\" at <" + p.text() + ">: " + msg);
  }

  private Object pipe(Node.Pipe p, Object dot) throws TemplateException {
    Object value = null;
    boolean first = true;
    for (Node.Cmd c : p.cmds()) {
      value = command(c, dot, first ? null : value, !first, p);
      first = false;
    }
    for (String d : p.decl()) {
      if (p.assign()) {
        int i = varNames.lastIndexOf(d);
        varValues.set(i, value);
      } else {
        varNames.add(d);
        varValues.add(value);
      }
    }
    return value;
  }

  private Object command(Node.Cmd c, Object dot, Object last, boolean hasLast, Node.Pipe p) throws TemplateException {
    Node.Arg head = c.args().get(0);
    if (head instanceof Node.Ident id) {
      return call(id.name(), c.args().subList(1, c.args().size()), dot, last, hasLast, p);
    }
    if (c.args().size() > 1 || hasLast) {
      throw error(p, "can't give argument to non-function " + argText(head));
    }
    return arg(head, dot, p);
  }

  private static String argText(Node.Arg a) {
    return switch (a) {
      case Node.Field f -> f.names().isEmpty() ? "." : "." + String.join(".", f.names());
      case Node.Variable v -> v.name() + (v.names().isEmpty() ? "" : "." + String.join(".", v.names()));
      case Node.Constant k -> k.value() instanceof String s ? io.sightline.core.model.GoFormat.quote(s) : print(k.value());
      case Node.Ident i -> i.name();
      case Node.Sub s -> "(" + s.pipe().text() + ")";
    };
  }

  private Object arg(Node.Arg a, Object dot, Node.Pipe p) throws TemplateException {
    return switch (a) {
      case Node.Constant k -> k.value();
      case Node.Field f -> fields(dot, f.names(), p);
      case Node.Variable v -> fields(varValues.get(varNames.lastIndexOf(v.name())), v.names(), p);
      case Node.Sub s -> fields(pipe(s.pipe(), dot), s.names(), p);
      case Node.Ident i -> call(i.name(), List.of(), dot, null, false, p);
    };
  }

  private Object fields(Object v, List<String> names, Node.Pipe p) throws TemplateException {
    for (String n : names) {
      if (v instanceof Map<?, ?> m) {
        Object x = m.get(n);
        // Loki's data is map[string]string: a missing key is "" (missingkey=zero); decoded JSON maps give nil.
        v = x != null ? x : m == context.data() ? "" : NIL;
      } else if (v == NIL) {
        throw error(p, "nil pointer evaluating interface {}." + n);
      } else {
        throw error(p, "can't evaluate field " + n + " in type " + typeName(v));
      }
    }
    return v;
  }

  private Object call(String name, List<Node.Arg> argNodes, Object dot, Object last, boolean hasLast, Node.Pipe p)
      throws TemplateException {
    if (name.equals("and") || name.equals("or")) {
      List<Node.Arg> all = argNodes;
      if (all.isEmpty() && !hasLast) {
        throw error(p, "wrong number of args for " + name + ": want at least 1 got 0");
      }
      Object v = null;
      for (Node.Arg a : all) {
        v = arg(a, dot, p);
        if (truth(v) != name.equals("and")) {
          return v;
        }
      }
      if (hasLast) {
        v = last;
      }
      return v;
    }
    List<Object> args = new ArrayList<>(argNodes.size() + 1);
    for (Node.Arg a : argNodes) {
      args.add(arg(a, dot, p));
    }
    if (hasLast) {
      args.add(last);
    }
    try {
      return Funcs.call(name, args, context);
    } catch (Failure f) {
      throw error(p, f.getMessage());
    }
  }

  static boolean truth(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case String s -> !s.isEmpty();
      case Long l -> l != 0;
      case Double d -> d != 0;
      case Map<?, ?> m -> !m.isEmpty();
      case List<?> l -> !l.isEmpty();
      default -> v != NIL;
    };
  }

  static String typeName(Object v) {
    return switch (v) {
      case String s -> "string";
      case Long l -> "int";
      case Double d -> "float64";
      case Boolean b -> "bool";
      case GoTime t -> "time.Time";
      case Map<?, ?> m -> "map[string]interface {}";
      case List<?> l -> "[]interface {}";
      default -> "<nil>";
    };
  }

  /** How {@code fmt.Print} writes a value. */
  static String print(Object v) {
    return switch (v) {
      case null -> "<no value>";
      case String s -> s;
      case Double d -> GoStrconv.formatG(d);
      case Map<?, ?> m -> {
        StringBuilder b = new StringBuilder("map[");
        boolean first = true;
        for (var e : new TreeMap<>(m).entrySet()) {
          if (!first) {
            b.append(' ');
          }
          first = false;
          b.append(e.getKey()).append(':').append(printNested(e.getValue()));
        }
        yield b.append(']').toString();
      }
      case List<?> l -> {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            b.append(' ');
          }
          b.append(printNested(l.get(i)));
        }
        yield b.append(']').toString();
      }
      default -> v.toString();
    };
  }

  private static String printNested(Object v) {
    return v == NIL ? "<nil>" : print(v);
  }
}
