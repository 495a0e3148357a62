package io.sightline.logql.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GoStrconvTest {
  @Test
  void plainDecimalsParseAsJavaParsesThem() {
    for (String s : new String[] {"0", "-0", "500", "+7", "-1.25", "0.1", ".5", "5.", "123456789012345",
        "99999999999999.9", "0.000000000000001"}) {
      assertThat(GoStrconv.parseFloat(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      long digits = random.nextLong(1_000_000_000_000_000L);
      String text = Long.toString(digits);
      int point = random.nextInt(text.length() + 1);
      String s = text.substring(0, point) + "." + text.substring(point);
      assertThat(GoStrconv.parseFloat(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @Test
  void otherFormsStillFollowGo() {
    assertThat(GoStrconv.parseFloat("1e3")).isEqualTo(1000);
    assertThat(GoStrconv.parseFloat("1234567890123456789")).isEqualTo(1.2345678901234568e18);
    assertThat(GoStrconv.parseFloat("Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(GoStrconv.parseFloat("0x1p4")).isEqualTo(16);
    assertThatThrownBy(() -> GoStrconv.parseFloat("")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> GoStrconv.parseFloat("1.2.3")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> GoStrconv.parseFloat("-")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> GoStrconv.parseFloat("12ms")).isInstanceOf(NumberFormatException.class);
  }
}
