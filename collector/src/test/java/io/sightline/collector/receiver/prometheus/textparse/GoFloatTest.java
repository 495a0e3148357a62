package io.sightline.collector.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatTest {

  private static double parse(String s) throws GoFloat.InvalidFloat {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return GoFloat.parse(b, 0, b.length);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      0                         | 0.0
      -0                        | -0.0
      +1                        | 1.0
      1.                        | 1.0
      .25                       | 0.25
      1E3                       | 1000.0
      1e+3                      | 1000.0
      2.5e-3                    | 0.0025
      007                       | 7.0
      0.000000000000000000001   | 1.0E-21
      123456789012345678        | 1.23456789012345677E17
      9007199254740993          | 9.007199254740992E15
      1e23                      | 1.0E23
      1e-400                    | 0.0
      0e99999999999             | 0.0
      4.9e-324                  | 4.9E-324
      1.7976931348623157e308    | 1.7976931348623157E308
      """)
  void decimalForms(String text, double expected) throws Exception {
    assertThat(parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      Inf       | Infinity
      +inf      | Infinity
      -INF      | -Infinity
      Infinity  | Infinity
      -infinity | -Infinity
      """)
  void infinitiesInAnyCase(String text, double expected) throws Exception {
    assertThat(parse(text)).isEqualTo(expected);
  }

  @Test
  void nanInAnyCaseButWithoutSignIsPrometheusNormalNan() throws Exception {
    for (String nan : new String[] {"NaN", "nan", "NAN"}) {
      assertThat(Double.doubleToRawLongBits(parse(nan))).isEqualTo(0x7ff8000000000001L);
    }
    assertThatThrownBy(() -> parse("-NaN")).hasMessage("strconv.ParseFloat: parsing \"-NaN\": invalid syntax");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      ''          | strconv.ParseFloat: parsing "": invalid syntax
      .           | strconv.ParseFloat: parsing ".": invalid syntax
      +           | strconv.ParseFloat: parsing "+": invalid syntax
      1e          | strconv.ParseFloat: parsing "1e": invalid syntax
      1e+         | strconv.ParseFloat: parsing "1e+": invalid syntax
      e5          | strconv.ParseFloat: parsing "e5": invalid syntax
      1.2.3       | strconv.ParseFloat: parsing "1.2.3": invalid syntax
      1f          | strconv.ParseFloat: parsing "1f": invalid syntax
      1d          | strconv.ParseFloat: parsing "1d": invalid syntax
      0x10        | strconv.ParseFloat: parsing "0x10": invalid syntax
      infinit     | strconv.ParseFloat: parsing "infinit": invalid syntax
      infinityy   | strconv.ParseFloat: parsing "infinityy": invalid syntax
      ' 1'        | strconv.ParseFloat: parsing " 1": invalid syntax
      1e400       | strconv.ParseFloat: parsing "1e400": value out of range
      -1e400      | strconv.ParseFloat: parsing "-1e400": value out of range
      0x1p-2      | unsupported character in float
      1_000       | unsupported character in float
      """)
  void refusals(String text, String message) {
    assertThatThrownBy(() -> parse(text)).isInstanceOf(GoFloat.InvalidFloat.class).hasMessage(message);
  }

  @Test
  void theFastPathAgreesWithTheCorrectlyRoundedParse() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder s = new StringBuilder();
      if (random.nextBoolean()) {
        s.append('-');
      }
      s.append(random.nextLong(0, Long.MAX_VALUE) % (long) Math.pow(10, random.nextInt(1, 19)));
      if (random.nextBoolean()) {
        int point = random.nextInt(1, s.length() + 1);
        s.insert(point, '.');
      }
      if (random.nextInt(3) == 0) {
        s.append('e').append(random.nextInt(-30, 31));
      }
      String text = s.toString();
      if (text.startsWith(".") && text.length() == 1 || text.equals("-.")) {
        continue;
      }
      assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text));
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      1                       | 1.0
      0                       | 0.0
      -0.0                    | 0.0
      -1                      | -1.0
      0.25                    | 0.25
      10                      | 10.0
      100000                  | 100000.0
      1e6                     | 1e+06
      1234567                 | 1.234567e+06
      -2.5e7                  | -2.5e+07
      0.0001                  | 0.0001
      0.00001                 | 1e-05
      1.5e-7                  | 1.5e-07
      1e100                   | 1e+100
      123.456                 | 123.456
      0.30000000000000004     | 0.30000000000000004
      5e-324                  | 5e-324
      1.7976931348623157e308  | 1.7976931348623157e+308
      NaN                     | NaN
      Infinity                | +Inf
      -Infinity               | -Inf
      """)
  void openMetricsFormattingIsGoShortestGWithPointZero(double value, String expected) {
    assertThat(GoFloat.formatOpenMetrics(value)).isEqualTo(expected);
  }
}
