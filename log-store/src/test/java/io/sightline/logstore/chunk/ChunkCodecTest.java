package io.sightline.logstore.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
  private record Input(long[] ts, byte[] lines, int[] end, Labels[] meta, String[] text) {}

  private static Input input(int n, Random r) {
    long[] ts = new long[n];
    int[] end = new int[n];
    Labels[] meta = new Labels[n];
    String[] text = new String[n];
    StringBuilder all = new StringBuilder();
    long t = -5_000_000_000L;
    int at = 0;
    for (int i = 0; i < n; i++) {
      t += r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000);
      ts[i] = t;
      text[i] = "line " + i + " ✓ " + "q".repeat(r.nextInt(40));
      all.append(text[i]);
      at += text[i].getBytes(StandardCharsets.UTF_8).length;
      end[i] = at;
      meta[i] = i % 3 == 0 ? Labels.EMPTY
          : Labels.of("trace_id", Long.toHexString(r.nextLong()), "severity", i % 2 == 0 ? "info" : "warn");
    }
    return new Input(ts, all.toString().getBytes(StandardCharsets.UTF_8), end, meta, text);
  }

  @Test
  void entriesRoundTripWithTheirMetadata() {
    Input in = input(500, new Random(1));
    byte[] chunk = new ChunkEncoder().encode(in.ts(), in.lines(), in.end(), in.meta(), 500);
    DecodedChunk c = DecodedChunk.decode(chunk, 0, chunk.length);
    assertThat(c.count()).isEqualTo(500);
    for (int i = 0; i < 500; i++) {
      assertThat(c.timestamp(i)).isEqualTo(in.ts()[i]);
      assertThat(new String(c.raw(), c.lineStart(i), c.lineLength(i), StandardCharsets.UTF_8))
          .isEqualTo(in.text()[i]);
      assertThat(c.metadata(i)).isEqualTo(in.meta()[i]);
    }
    assertThat(c.lowerBound(in.ts()[250])).isLessThanOrEqualTo(250);
    assertThat(c.lowerBound(Long.MAX_VALUE)).isEqualTo(500);
    assertThat(c.lowerBound(Long.MIN_VALUE)).isZero();
  }

  @Test
  void aChunkInsideALargerBufferDecodesFromItsRegion() {
    Input in = input(20, new Random(2));
    byte[] chunk = new ChunkEncoder().encode(in.ts(), in.lines(), in.end(), in.meta(), 20);
    byte[] padded = new byte[chunk.length + 100];
    System.arraycopy(chunk, 0, padded, 37, chunk.length);
    assertThat(DecodedChunk.decode(padded, 37, chunk.length).count()).isEqualTo(20);
  }

  @Test
  void everyFlippedByteIsCaught() {
    Input in = input(50, new Random(3));
    byte[] chunk = new ChunkEncoder().encode(in.ts(), in.lines(), in.end(), in.meta(), 50);
    for (int i = 0; i < chunk.length; i += 7) {
      byte[] bad = chunk.clone();
      bad[i] ^= 0x10;
      assertThatThrownBy(() -> DecodedChunk.decode(bad, 0, bad.length)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> DecodedChunk.decode(chunk, 0, 3)).isInstanceOf(IllegalArgumentException.class);
  }
}
