package io.sightline.rules.template;

import io.sightline.rules.template.Functions.CallException;
import io.sightline.rules.template.Functions.Func;
import io.sightline.rules.template.Functions.Param;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Walks the tree with Go's semantics: truthiness, pipelines passing the value as the last argument. */
final class Executor {
  /** An execution error before it gets the template's name and line. */
  static final class ExecError extends Exception {
    private static final long serialVersionUID = 1L;
    final Node.Pos pos;
    final String at;

    ExecError(Node.Pos pos, String at, String message) {
      super(message);
      this.pos = pos;
      this.at = at.length() > 20 ? at.substring(0, 20) + "..." : at;
    }
  }

  private record Var(String name, Object value) {}

  private final Functions.Context ctx;
  private final List<Var> vars = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  Executor(Functions.Context ctx) {
    this.ctx = ctx;
  }

  void define(String name, Object value) {
    vars.add(new Var(name, value));
  }

  String run(List<Node> nodes, Object dot) throws ExecError {
    walk(nodes, dot);
    return out.toString();
  }

  /** Go's {@code isTrue}: zero values and empty collections are false. */
  static boolean isTrue(Object o) {
    return switch (o) {
      case null -> false;
      case Boolean b -> b;
      case Long l -> l != 0;
      case Double d -> d != 0;
      case String s -> !s.isEmpty();
      case Map<?, ?> m -> !m.isEmpty();
      case List<?> l -> !l.isEmpty();
      default -> true;
    };
  }

  private void walk(List<Node> nodes, Object dot) throws ExecError {
    for (Node n : nodes) {
      switch (n) {
        case Text t -> out.append(t.text());
        case Action a -> {
          Object v = pipeline(a.pipe(), dot);
          if (a.pipe().decl().isEmpty()) {
            out.append(GoFormat.print(v));
          }
        }
        case If i -> {
          int scope = vars.size();
          Object v = pipeline(i.pipe(), dot);
          if (isTrue(v)) {
            walk(i.then(), i.with() ? v : dot);
          } else {
            walk(i.otherwise(), dot);
          }
          truncate(scope);
        }
        case Range r -> range(r, dot);
      }
    }
  }

  private void range(Range r, Object dot) throws ExecError {
    int scope = vars.size();
    Pipeline p = r.pipe();
    Object v = pipeline(new Pipeline(p.line(), p.column(), List.of(), false, p.commands()), dot);
    List<Object[]> entries = new ArrayList<>();
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        entries.add(new Object[] {e.getKey(), e.getValue()});
      }
    } else if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        entries.add(new Object[] {(long) i, l.get(i)});
      }
    } else if (v != null) {
      throw new ExecError(new Node.Pos(p.line(), p.column()), "range", "range can't iterate over " + GoFormat.print(v));
    }
    if (entries.isEmpty()) {
      walk(r.otherwise(), dot);
      return;
    }
    for (Object[] e : entries) {
      truncate(scope);
      if (p.decl().size() == 1) {
        define(p.decl().get(0), e[1]);
      } else if (p.decl().size() == 2) {
        define(p.decl().get(0), e[0]);
        define(p.decl().get(1), e[1]);
      }
      walk(r.body(), e[1]);
    }
    truncate(scope);
  }

  private void truncate(int size) {
    while (vars.size() > size) {
      vars.remove(vars.size() - 1);
    }
  }

  private Object pipeline(Pipeline p, Object dot) throws ExecError {
    Object value = null;
    boolean piped = false;
    for (Command c : p.commands()) {
      value = command(p, c, dot, value, piped);
      piped = true;
    }
    for (String name : p.decl()) {
      if (p.assign()) {
        for (int i = vars.size() - 1; i >= 0; i--) {
          if (vars.get(i).name().equals(name)) {
            vars.set(i, new Var(name, value));
            break;
          }
        }
      } else {
        define(name, value);
      }
    }
    return value;
  }

  private Object command(Pipeline p, Command c, Object dot, Object prev, boolean piped) throws ExecError {
    Operand first = c.args().get(0);
    Node.Pos at = c.at().get(0);
    if (first instanceof Identifier id) {
      List<Object> args = new ArrayList<>();
      for (int i = 1; i < c.args().size(); i++) {
        args.add(operand(c.at().get(i), c.args().get(i), dot));
      }
      List<Operand> operands = new ArrayList<>(c.args().subList(1, c.args().size()));
      List<Node.Pos> positions = new ArrayList<>(c.at().subList(1, c.at().size()));
      if (piped) {
        args.add(prev);
        operands.add(null);
        positions.add(at);
      }
      return call(at, id.name(), args, operands, positions);
    }
    if (c.args().size() > 1 || piped) {
      throw new ExecError(at, describe(first), "can't give argument to non-function " + describe(first));
    }
    return operand(at, first, dot);
  }

  /** {@code operands} and {@code positions} parallel {@code args}; a piped-in value has a null operand. */
  private Object call(Node.Pos at, String name, List<Object> args, List<Operand> operands, List<Node.Pos> positions)
      throws ExecError {
    Func f = Functions.ALL.get(name);
    int want = f.params().size();
    boolean ok = f.variadic() ? args.size() >= want - 1 : args.size() == want;
    if (f.variadic() && (name.equals("and") || name.equals("or") || name.equals("eq"))) {
      ok = args.size() >= (name.equals("eq") ? 2 : 1);
    }
    if (!ok) {
      throw new ExecError(at, name, "wrong number of args for " + name + ": want "
          + (f.variadic() ? "at least " + (want - 1) : want) + " got " + args.size());
    }
    for (int i = 0; i < args.size(); i++) {
      Param want1 = f.params().get(Math.min(i, want - 1));
      Object a = args.get(i);
      boolean fits = switch (want1) {
        case ANY -> true;
        case STRING -> a instanceof String;
        case SAMPLE -> a instanceof Sample;
        case RESULT -> a instanceof List<?>;
      };
      if (!fits) {
        String goType = switch (want1) {
          case STRING -> "string";
          case SAMPLE -> "*template.sample";
          default -> "template.queryResult";
        };
        Operand o = operands.get(i);
        // Go checks a constant against the parameter's kind, and any other value against its type.
        if (o instanceof Constant) {
          throw new ExecError(positions.get(i), describe(o), "expected " + goType + "; found " + describe(o));
        }
        throw new ExecError(o == null ? at : positions.get(i), o == null ? name : describe(o),
            "wrong type for value; expected " + goType + "; got " + GoFormat.typeName(a));
      }
    }
    try {
      return f.impl().call(args, ctx);
    } catch (CallException e) {
      throw new ExecError(at, name, "error calling " + name + ": " + e.getMessage());
    }
  }

  private Object operand(Node.Pos at, Operand o, Object dot) throws ExecError {
    return switch (o) {
      case Constant k -> k.value();
      case Field f -> fields(at, dot, f.path());
      case Variable v -> fields(at, lookup(v.name()), v.path());
      case Parenthesized pp -> fields(at, pipeline(pp.pipe(), dot), pp.path());
      case Identifier id -> call(at, id.name(), List.of(), List.of(), List.of());
    };
  }

  private Object lookup(String name) {
    for (int i = vars.size() - 1; i >= 0; i--) {
      if (vars.get(i).name().equals(name)) {
        return vars.get(i).value();
      }
    }
    return null;
  }

  private Object fields(Node.Pos at, Object v, List<String> path) throws ExecError {
    for (String f : path) {
      v = switch (v) {
        case ArgsMap a -> a.get(f);
        // A missing label is the zero value of Go's map[string]string.
        case Map<?, ?> m -> m.containsKey(f) ? m.get(f) : "";
        case TemplateData d -> switch (f) {
          case "Labels" -> d.labels();
          case "ExternalLabels" -> d.externalLabels();
          case "ExternalURL" -> d.externalURL();
          case "Value" -> d.value();
          default -> throw new ExecError(at, "." + f, "can't evaluate field " + f + " in type template.tmplData");
        };
        case Sample s -> switch (f) {
          case "Labels" -> s.labels();
          case "Value" -> s.value();
          default -> throw new ExecError(at, "." + f, "can't evaluate field " + f + " in type *template.sample");
        };
        case null -> throw new ExecError(at, "." + f, "nil pointer evaluating interface {}." + f);
        default -> throw new ExecError(at, "." + f,
            "can't evaluate field " + f + " in type " + GoFormat.typeName(v));
      };
    }
    return v;
  }

  private static String describe(Operand o) {
    return switch (o) {
      case Field f -> f.path().isEmpty() ? "." : "." + String.join(".", f.path());
      case Variable v -> v.name() + (v.path().isEmpty() ? "" : "." + String.join(".", v.path()));
      case Constant k -> k.value() instanceof String str ? io.sightline.core.model.GoFormat.quote(str) : GoFormat.print(k.value());
      case Identifier id -> id.name();
      case Parenthesized pp -> "(...)";
    };
  }
}
