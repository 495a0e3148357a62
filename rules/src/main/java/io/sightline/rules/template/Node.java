package io.sightline.rules.template;

import java.util.List;

/** The parsed template: a tree of text and actions, as Go's {@code text/template/parse} builds it. */
sealed interface Node {
  /** Literal text between actions. */
  record Text(String text) implements Node {}

  /** {@code {{ pipeline }}}: prints the pipeline's value unless it declares variables. */
  record Action(int line, Pipeline pipe) implements Node {}

  /** {@code {{ if }}} and {@code {{ with }}}: {@code with} rebinds dot to the value. */
  record If(int line, boolean with, Pipeline pipe, List<Node> then, List<Node> otherwise) implements Node {}

  /** {@code {{ range }}} over a map (sorted keys, as Go does) or a list. */
  record Range(int line, Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {}

  /** {@code [$a, $b :=] cmd | cmd ...}; {@code assign} is {@code =} rather than {@code :=}. */
  record Pipeline(int line, int column, List<String> decl, boolean assign, List<Command> commands) {}

  /** One stage of a pipeline: a function with arguments, or a single operand; {@code at} holds each one's position. */
  record Command(List<Operand> args, List<Pos> at) {}

  /** Line (from 1) and byte column (from 0) of an operand, as Go's {@code ErrorContext} reports them. */
  record Pos(int line, int column) {}

  sealed interface Operand {}

  /** {@code .}, {@code .A.B} (dot then fields). */
  record Field(List<String> path) implements Operand {}

  /** {@code $x.A.B}. */
  record Variable(String name, List<String> path) implements Operand {}

  /** A function name. */
  record Identifier(String name) implements Operand {}

  /** A string, number, bool or nil constant: numbers are Long when integral in the source, as Go's int. */
  record Constant(Object value) implements Operand {}

  /** {@code (pipeline).A.B}. */
  record Parenthesized(Pipeline pipe, List<String> path) implements Operand {}
}
