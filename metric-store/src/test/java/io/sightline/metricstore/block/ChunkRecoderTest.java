package io.sightline.metricstore.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.chunk.XorChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkRecoderTest {
  private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

  /** Head-style chunks of 120 samples over {@code values}, one sample every 15 s. */
  private static List<BlockWriter.EncodedChunk> headChunks(double[] values) {
    List<BlockWriter.EncodedChunk> out = new ArrayList<>();
    for (int from = 0; from < values.length; from += 120) {
      XorChunk c = new XorChunk();
      int to = Math.min(values.length, from + 120);
      for (int i = from; i < to; i++) {
        c.append(i * 15_000L, values[i]);
      }
      out.add(new BlockWriter.EncodedChunk(from * 15_000L, (to - 1) * 15_000L, c.bytes()));
    }
    return out;
  }

  @Test
  void wholeNumberRunsBecomeIntegerChunksAndTheRestStaysXorWithExactBits() {
    double[] values = new double[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < 480 ? 1000 + 7L * i : i < 960 ? 0.1 * i : i;
    }
    values[970] = STALE; // a run with a stale marker cannot be an integer chunk
    List<BlockWriter.EncodedChunk> head = headChunks(values);
    List<BlockWriter.EncodedChunk> recoded = ChunkRecoder.recode(head);
    assertThat(recoded).extracting(BlockWriter.EncodedChunk::encoding)
        .containsExactly(ChunkWriter.ENCODING_INTEGER, ChunkWriter.ENCODING_XOR, ChunkWriter.ENCODING_XOR);
    assertThat(recoded).extracting(BlockWriter.EncodedChunk::minT).containsExactly(0L, 480 * 15_000L, 960 * 15_000L);
    assertThat(recoded.get(2).maxT()).isEqualTo(999 * 15_000L);
    int i = 0;
    for (BlockWriter.EncodedChunk c : recoded) {
      SampleIterator it = c.iterator();
      while (it.next()) {
        assertThat(it.timestamp()).isEqualTo(i * 15_000L);
        assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(Double.doubleToRawLongBits(values[i]));
        i++;
      }
    }
    assertThat(i).isEqualTo(values.length);
    int headBytes = head.stream().mapToInt(c -> c.bytes().length).sum();
    int recodedBytes = recoded.stream().mapToInt(c -> c.bytes().length).sum();
    assertThat(recodedBytes).isLessThan(headBytes);
  }
}
