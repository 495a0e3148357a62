package io.sightline.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GoFormatTest {
  @Test
  void plainIsGosShortestDecimalWithoutExponent() {
    assertThat(GoFormat.plain(1.0)).isEqualTo("1");
    assertThat(GoFormat.plain(0.005)).isEqualTo("0.005");
    assertThat(GoFormat.plain(1234567.5)).isEqualTo("1234567.5");
    assertThat(GoFormat.plain(1e21)).isEqualTo("1000000000000000000000");
    assertThat(GoFormat.plain(1e-7)).isEqualTo("0.0000001");
    assertThat(GoFormat.plain(-0.0)).isEqualTo("-0");
    assertThat(GoFormat.plain(Double.NaN)).isEqualTo("NaN");
    assertThat(GoFormat.plain(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void theFastPathAgreesWithTheExactOne() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      double f = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble() * 14 - 5) * random.nextDouble();
      if (random.nextInt(4) == 0) {
        f = Math.rint(f);
      }
      if (f == 0) {
        continue;
      }
      String exact = new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
      assertThat(GoFormat.plain(f)).as("%s", f).isEqualTo(exact);
    }
  }
}
