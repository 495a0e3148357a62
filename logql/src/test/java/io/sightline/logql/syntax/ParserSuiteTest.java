package io.sightline.logql.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code syntax-queries.txt}: queries Loki accepts print back as Loki's {@code String()} does (and reprint to
 * the same text), queries Loki refuses fail with Loki's message and position.
 */
class ParserSuiteTest {
  record Case(String query, String expected, boolean error, int line) {}

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = ParserSuiteTest.class.getResourceAsStream("/io/sightline/logql/syntax-queries.txt")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      StringBuilder query = null;
      int start = 0;
      for (int i = 0; i < lines.length; i++) {
        String l = lines[i];
        if (l.startsWith(">> ")) {
          query.append('\n').append(l.substring(3));
        } else if (l.startsWith("> ")) {
          query = new StringBuilder(l.substring(2));
          start = i + 1;
        } else if (l.startsWith("= ") || l.startsWith("! ")) {
          cases.add(new Case(query.toString(), l.substring(2), l.startsWith("!"), start));
          query = null;
        }
      }
    }
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> suite() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
    return cases.stream().map(c -> DynamicTest.dynamicTest("line " + c.line() + ": " + c.query(), () -> {
      if (c.error()) {
        assertThatThrownBy(() -> Parser.parseExpr(c.query())).isInstanceOf(ParseException.class)
            .hasMessage(c.expected());
      } else {
        Expr e = Parser.parseExpr(c.query());
        assertThat(e.toString()).isEqualTo(c.expected());
        // Loki's round trip: the printed form parses to the same printed form (a folded NaN prints as a name
        // LogQL has no literal for, in Loki as here).
        if (!c.expected().contains("NaN")) {
          assertThat(Parser.parseExpr(e.toString()).toString()).isEqualTo(c.expected());
        }
      }
    }));
  }
}
