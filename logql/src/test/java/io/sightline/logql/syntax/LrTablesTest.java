package io.sightline.logql.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The parse tables built from Loki's grammar, against facts from Loki's generated parser. */
class LrTablesTest {
  @Test
  void sameAutomatonAsGoyacc() {
    // Loki's syntax.y.go has 381 states ($$Pact) and 225 rules ($$R1, rule 0 being $accept).
    assertThat(LogqlGrammar.TABLES.stateCount()).isEqualTo(381);
    assertThat(LogqlGrammar.GRAMMAR.rules()).hasSize(225);
  }

  @Test
  void expectedTokensFollowDeclarationOrderAndStopAtFour() {
    assertThatThrownBy(() -> Parser.parseExpr("{foo=\"bar\""))
        .hasMessage("parse error at line 1, col 11: syntax error: unexpected $end, expecting } or ,");
    // More than four tokens would do: goyacc names none.
    assertThatThrownBy(() -> Parser.parseExpr("{foo=\"bar\"} foo"))
        .hasMessage("parse error at line 1, col 13: syntax error: unexpected IDENTIFIER");
  }

  @Test
  void lexerErrorsComeFirst() {
    // The scanner's error is recorded before the parser meets the resulting end of input.
    assertThatThrownBy(() -> Parser.parseExpr("{foo=\"bar}"))
        .hasMessage("parse error at line 1, col 6: literal not terminated");
  }

  @Test
  void inputSizeLimit() {
    assertThatThrownBy(() -> Parser.parseExpr("{a=\"" + "x".repeat(200) + "\"}", 100))
        .hasMessage("parse error : input size too long (206 > 100)");
  }
}
