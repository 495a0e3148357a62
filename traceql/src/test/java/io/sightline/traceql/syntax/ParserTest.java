package io.sightline.traceql.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs {@code traceql/valid.txt} (parse, validate, print round trip) and {@code traceql/invalid.txt} (messages). */
class ParserTest {
  private static final Path DIR = Path.of("src/test/resources/traceql");

  private static List<String> lines(String file) throws IOException {
    return Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank() || l.startsWith("\t")).toList();
  }

  @TestFactory
  Stream<DynamicTest> valid() throws IOException {
    return lines("valid.txt").stream().map(q -> DynamicTest.dynamicTest(q, () -> {
      Query parsed = Validator.parseValid(q);
      String printed = Printer.print(parsed);
      assertThat(Parser.parse(printed)).as(printed).isEqualTo(parsed);
    }));
  }

  @TestFactory
  Stream<DynamicTest> invalid() throws IOException {
    return lines("invalid.txt").stream().map(line -> {
      int tab = line.indexOf('\t');
      String q = line.substring(0, tab).replace("<NL>", "\n");
      String message = line.substring(tab + 1);
      return DynamicTest.dynamicTest(q.isEmpty() ? "(empty)" : q,
          () -> assertThatThrownBy(() -> Validator.parseValid(q)).isInstanceOf(TraceQLException.class)
              .hasMessage(message));
    });
  }

  @Test
  void keepsHintsAndTheirValues() throws TraceQLException {
    Query q = Validator.parseValid("{ .a } with (most_recent=true, span_sample=0.25, debug=\"x\")");
    assertThat(q.hint("most_recent")).contains(Static.TRUE);
    assertThat(q.hint("span_sample")).contains(Static.ofFloat(0.25));
    assertThat(q.hint("debug")).contains(Static.ofString("x"));
  }

  @Test
  void andAndOrBindEquallyFromTheLeftAsInTempo() throws TraceQLException {
    Query q = Parser.parse("{ .a || .b && .c }");
    FieldExpr e = ((SpansetFilter) ((SpansetQuery) q.root()).element()).expr();
    assertThat(e).isEqualTo(new BinaryOperation(Op.AND,
        new BinaryOperation(Op.OR, Attribute.of(Scope.NONE, false, "a"), Attribute.of(Scope.NONE, false, "b")),
        Attribute.of(Scope.NONE, false, "c")));
  }

  @Test
  void scopedAndLegacyIntrinsicsAreTheSameAttribute() throws TraceQLException {
    assertThat(Parser.parse("{ span:duration > 1s }")).isEqualTo(Parser.parse("{ duration > 1s }"));
    assertThat(Parser.parse("{ trace:rootService = `a` }")).isEqualTo(Parser.parse("{ rootServiceName = \"a\" }"));
    // An unscoped attribute spelled like an intrinsic is the intrinsic, as Tempo's intrinsicFromString makes it.
    assertThat(Parser.parse("{ .name = `a` }")).isEqualTo(Parser.parse("{ name = `a` }"));
  }

  @Test
  void durationsReadInBothNotations() throws TraceQLException {
    FieldExpr e = ((SpansetFilter) ((SpansetQuery) Parser.parse("{ duration > 1h30m }").root()).element()).expr();
    assertThat(((BinaryOperation) e).rhs()).isEqualTo(Static.ofDuration(5_400_000_000_000L));
    e = ((SpansetFilter) ((SpansetQuery) Parser.parse("{ duration > 1.5ms }").root()).element()).expr();
    assertThat(((BinaryOperation) e).rhs()).isEqualTo(Static.ofDuration(1_500_000L));
    assertThat(Printer.print(Static.ofDuration(5_400_000_000_000L))).isEqualTo("1h30m0s");
    assertThat(Printer.print(Static.ofDuration(1_500_000L))).isEqualTo("1.5ms");
  }

  @Test
  void printsFloatsAndStringsAsTempo() {
    assertThat(Printer.print(Static.ofFloat(3))).isEqualTo("3.0");
    assertThat(Printer.print(Static.ofFloat(1e21))).isEqualTo("1e+21");
    assertThat(Printer.print(Static.ofFloat(0.00001))).isEqualTo("1e-05");
    assertThat(Printer.print(Static.ofString("a"))).isEqualTo("`a`");
  }
}
