package io.sightline.logstore.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenFilterTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ChunkFilter filterOf(List<String> lines) {
    LongHashSet keys = new LongHashSet(16);
    TokenKeys t = new TokenKeys();
    for (String l : lines) {
      byte[] x = b(l);
      t.addLine(x, 0, x.length, keys);
    }
    return ChunkFilter.of(keys);
  }

  private static boolean mayMatch(ChunkFilter f, String needle) {
    long[] keys = TokenKeys.needleKeys(b(needle));
    return keys.length == 0 || f.mayContainAll(keys);
  }

  @Test
  void needlesWithoutAWholeTokenOrALongRunGiveNoKeys() {
    assertThat(TokenKeys.needleKeys(b("error"))).isEmpty();
    assertThat(TokenKeys.needleKeys(b("level=error"))).isEmpty();
    assertThat(TokenKeys.needleKeys(b("abc"))).isEmpty();
    assertThat(TokenKeys.needleKeys(b("0123456789abcdef0123456"))).isEmpty(); // 23 bytes: one short of a long run
    assertThat(TokenKeys.needleKeys(b("\"status\":"))).hasSize(1);
    assertThat(TokenKeys.needleKeys(b("4bf92f3577b34da6a3ce929d0e0e4736"))).isNotEmpty();
  }

  @Test
  void aTraceIdNeedleFindsItsChunkAndRulesOutOthers() {
    Random r = new Random(1);
    List<String> ids = new ArrayList<>();
    List<ChunkFilter> chunks = new ArrayList<>();
    for (int c = 0; c < 50; c++) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        byte[] id = new byte[16];
        r.nextBytes(id);
        String hex = HexFormat.of().formatHex(id);
        ids.add(hex);
        lines.add("{\"level\":\"info\",\"trace_id\":\"" + hex + "\",\"msg\":\"served " + i + "\"}");
      }
      chunks.add(filterOf(lines));
    }
    String needle = ids.get(2000 * 17 + 5);
    assertThat(mayMatch(chunks.get(17), needle)).isTrue();
    int matching = 0;
    for (ChunkFilter f : chunks) {
      matching += mayMatch(f, needle) ? 1 : 0;
    }
    assertThat(matching).isBetween(1, 3);
  }

  /**
   * The property that makes skipping safe: a filter never rules out a chunk with a line that contains the needle.
   * Random lines over a small alphabet (so tokens, delimiters and long runs all occur), needles cut from them at
   * random places.
   */
  @Test
  void aChunkWithALineThatContainsTheNeedleIsNeverRuledOut() {
    Random r = new Random(42);
    String alphabet = "abcdef0123456789XY_- .:\"=/{}é";
    for (int round = 0; round < 300; round++) {
      List<String> lines = new ArrayList<>();
      int n = 1 + r.nextInt(30);
      for (int i = 0; i < n; i++) {
        StringBuilder sb = new StringBuilder();
        int len = r.nextInt(120);
        for (int k = 0; k < len; k++) {
          // runs of token characters, now and then long, so that both keyings are exercised
          if (r.nextInt(10) == 0) {
            sb.append(alphabet.charAt(16 + r.nextInt(alphabet.length() - 16)));
          } else {
            sb.append(alphabet.charAt(r.nextInt(16)));
          }
        }
        lines.add(sb.toString());
      }
      ChunkFilter f = filterOf(lines);
      for (int q = 0; q < 40; q++) {
        String line = lines.get(r.nextInt(lines.size()));
        if (line.isEmpty()) {
          continue;
        }
        int from = r.nextInt(line.length());
        int to = from + r.nextInt(line.length() - from + 1);
        String needle = line.substring(from, to);
        assertThat(mayMatch(f, needle)).as("needle %s of line %s", needle, line).isTrue();
      }
    }
  }

  @Test
  void theFilterRoundTripsThroughItsEncoding() {
    LongHashSet keys = new LongHashSet(4);
    for (long k = 1; k < 1000; k++) {
      keys.add(k * 0x9e3779b97f4a7c15L);
    }
    keys.add(0);
    ChunkFilter f = ChunkFilter.of(keys);
    io.sightline.core.encoding.EncodeBuffer out = new io.sightline.core.encoding.EncodeBuffer(16);
    f.writeTo(out);
    byte[] bytes = out.toByteArray();
    ChunkFilter back = ChunkFilter.read(bytes, 0, bytes.length);
    keys.forEach(k -> assertThat(back.mayContain(k)).isTrue());
    int falsePositives = 0;
    for (long k = 1; k < 10000; k++) {
      if (back.mayContain(k * 31 + 7)) {
        falsePositives++;
      }
    }
    assertThat(falsePositives).isLessThan(500);
    assertThat(keys.size()).isEqualTo(1000);
  }
}
