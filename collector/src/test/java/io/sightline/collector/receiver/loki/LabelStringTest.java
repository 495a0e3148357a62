package io.sightline.collector.receiver.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelStringTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      {app="shop", env="prod"}          | {app="shop", env="prod"}
      {env="prod",app="shop"}           | {app="shop", env="prod"}
      {}                                | {}
      ^^                                | {}
      up{job="x"}                       | {__name__="up", job="x"}
      job:rate5m{a="1"}                 | {__name__="job:rate5m", a="1"}
      {a='single', b=`back`}            | {a="single", b="back"}
      {"k8s.pod"="p-1"}                 | {"k8s.pod"="p-1"}
      {"quoted_metric", a="1"}          | {__name__="quoted_metric", a="1"}
      {a="b",}                          | {a="b"}
      {a="", b="kept"}                  | {b="kept"}
      {b="1", a="2", a="3"}             | {a="2", a="3", b="1"}
      {a="x\\"y\\n\\u00e9"}             | {a="x\\"y\\né"}
      { a = "1" , # a comment<NL> b="2" } | {a="1", b="2"}
      """)
  void parses(String input, String labels) throws Exception {
    assertThat(LabelString.parse(input.replace("<NL>", "\n")).toString()).isEqualTo(labels);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      {a.b="c"}          | 1:3: parse error: unexpected character inside braces: '.'
      {a="b"             | 1:7: parse error: unexpected end of input inside braces
      {a="b}             | 1:4: parse error: unterminated quoted string
      {a=`b}             | 1:4: parse error: unterminated raw string
      {a="b" c="d"}      | 1:8: parse error: unexpected identifier "c" in label set, expected "," or "}"
      {a}                | 1:3: parse error: unexpected "}" in label set, expected "="
      {a=b}              | 1:4: parse error: unexpected identifier "b" in label set, expected string
      {a=}               | 1:4: parse error: unexpected "}" in label set, expected string
      {,}                | 1:2: parse error: unexpected "," in label set, expected identifier or "}"
      {a="1",,}          | 1:8: parse error: unexpected "," in label set, expected identifier or "}"
      {a=~"b"}           | 1:3: parse error: unexpected <op:=~> in label set, expected "="
      {a!="b"}           | 1:3: parse error: unexpected <op:!=> in label set, expected "="
      {a!b}              | 1:3: parse error: unexpected character after '!' inside braces: 'b'
      {a={}              | 1:4: parse error: unexpected left brace '{'
      {a="b"} x          | 1:9: parse error: unexpected identifier "x"
      {a="b"}}           | 1:8: parse error: unexpected character: '}'
      {a="long string value"} {} | 1:25: parse error: unexpected "{"
      "x"                | 1:1: parse error: unexpected string "\\"x\\""
      {a="b" "0123456789abc"} | 1:8: parse error: unexpected string "\\"012345678"... in label set, expected "," or "}"
      {a="\\q"}          | 1:4: parse error: unknown escape sequence U+0071 'q'
      {a="\\x4"}         | 1:4: parse error: illegal character U+0022 '"' in escape sequence
      {é="x"}            | 1:2: parse error: unexpected character inside braces: 'é'
      {a="é", b.c="x"}   | 1:11: parse error: unexpected character inside braces: '.'
      {a="1",<NL>b.c="2"} | 2:2: parse error: unexpected character inside braces: '.'
      """)
  void failsAsPrometheus(String input, String message) {
    assertThatThrownBy(() -> LabelString.parse(input.replace("<NL>", "\n")))
        .isInstanceOf(LabelString.ParseException.class).hasMessage(message);
  }
}
