package io.sightline.logql.template;

import java.util.List;

/** The parse tree of a template. */
sealed interface Node {
  record Text(String text) implements Node {}

  /** {@code {{pipeline}}}; {@code pos} is the byte offset for error messages. */
  record Action(Pipe pipe) implements Node {}

  record If(Pipe pipe, List<Node> list, List<Node> elseList) implements Node {}

  record With(Pipe pipe, List<Node> list, List<Node> elseList) implements Node {}

  record Range(Pipe pipe, List<Node> list, List<Node> elseList) implements Node {}

  /** A pipeline: {@code $x := cmd | cmd}; {@code decl} is empty without variables. */
  record Pipe(List<String> decl, boolean assign, List<Cmd> cmds, int line, int col, String text) {}

  record Cmd(List<Arg> args) {}

  /** An operand. */
  sealed interface Arg {}

  /** {@code .a.b} (empty names: dot itself). */
  record Field(List<String> names) implements Arg {}

  /** {@code $x.a}. */
  record Variable(String name, List<String> names) implements Arg {}

  /** A function name. */
  record Ident(String name) implements Arg {}

  /** A string, number, bool or nil constant. */
  record Constant(Object value) implements Arg {}

  /** {@code (pipeline).a}. */
  record Sub(Pipe pipe, List<String> names) implements Arg {}
}
