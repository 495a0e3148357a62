package io.sightline.logql.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Loki's prettifier cases, and the default width. */
class PrettifierTest {
  record Case(int width, String query, String expected) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    try (InputStream in = PrettifierTest.class.getResourceAsStream("/io/sightline/logql/prettify-cases.txt")) {
      int width = 100;
      StringBuilder q = null;
      StringBuilder exp = null;
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        if (l.startsWith("width ")) {
          width = Integer.parseInt(l.substring(6));
        } else if (l.startsWith(">> ")) {
          q.append('\n').append(l.substring(3));
        } else if (l.startsWith("> ")) {
          q = new StringBuilder(l.substring(2));
          exp = null;
        } else if (l.startsWith("| ") || l.equals("|")) {
          String part = l.length() > 2 ? l.substring(2) : "";
          exp = exp == null ? new StringBuilder(part) : exp.append('\n').append(part);
        } else if (l.isBlank() && exp != null) {
          out.add(new Case(width, q.toString(), exp.toString()));
          exp = null;
        }
      }
      if (exp != null) {
        out.add(new Case(width, q.toString(), exp.toString()));
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> lokiCases() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(15);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.query(), () ->
        assertThat(Prettifier.prettify(Parser.parseExpr(c.query()), c.width())).isEqualTo(c.expected())));
  }

  @Test
  void shortQueriesStayOnOneLine() throws ParseException {
    assertThat(Prettifier.prettify(Parser.parseExpr("sum by (a) (rate({app=\"x\"}[5m]))")))
        .isEqualTo("sum by (a)(rate({app=\"x\"}[5m]))");
  }
}
