package io.sightline.tracestore.column;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.encoding.EncodeBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringDictionaryTest {
  @Test
  void numbersStringsInOrderOfFirstUseWhetherGivenAsBytesOrAsStrings() {
    StringDictionary d = new StringDictionary();
    byte[] framed = "xxGET /ordersyy".getBytes(StandardCharsets.UTF_8);
    assertThat(d.id(framed, 2, 13)).isZero();
    assertThat(d.id("GET /orders")).isZero();
    assertThat(d.id("")).isEqualTo(1);
    assertThat(d.id(framed, 0, 0)).isEqualTo(1);
    assertThat(d.id("ünïcödé")).isEqualTo(2);
    byte[] unicode = "ünïcödé".getBytes(StandardCharsets.UTF_8);
    assertThat(d.id(unicode, 0, unicode.length)).isEqualTo(2);
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.string(0)).isEqualTo("GET /orders");
    assertThat(d.string(2)).isEqualTo("ünïcödé");
  }

  @Test
  void keepsEveryEntryThroughGrowthAndWritesThemInOrder() {
    StringDictionary d = new StringDictionary();
    List<String> strings = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      String s = Long.toHexString(random.nextLong()) + "-" + i;
      strings.add(s);
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      assertThat(d.id(b, 0, b.length)).isEqualTo(i);
    }
    for (int i = 0; i < strings.size(); i += 97) {
      assertThat(d.id(strings.get(i))).isEqualTo(i);
    }
    EncodeBuffer out = new EncodeBuffer(64);
    d.writeTo(out);
    assertThat(StringDictionary.read(out.toByteArray())).containsExactlyElementsOf(strings);

    d.clear();
    assertThat(d.size()).isZero();
    assertThat(d.id("again")).isZero();
    assertThat(d.string(0)).isEqualTo("again");
  }
}
