package io.sightline.metricstore.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Histogram.ResetHint;
import io.sightline.core.model.Histogram.Span;
import io.sightline.metricstore.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramChunkTest {

  private static Histogram exponential(ResetHint hint, int schema, double count, double[] positive) {
    return new Histogram(hint, schema, 1e-128, 1, count, count * 0.25, List.of(new Span(-2, positive.length)),
        positive, List.of(new Span(3, 1)), new double[] {count / 2}, null);
  }

  private static List<Histogram> decode(byte[] bytes, List<Long> times) {
    List<Histogram> out = new ArrayList<>();
    SampleIterator it = HistogramChunk.iterator(bytes);
    while (it.next()) {
      times.add(it.timestamp());
      assertThat(it.value()).isNaN();
      out.add(it.histogram());
    }
    return out;
  }

  @Test
  void samplesComeBackExactlyThroughLayoutAndHintChanges() {
    Random random = new Random(7);
    HistogramChunk chunk = new HistogramChunk();
    List<Histogram> written = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    long t = 1_700_000_000_000L;
    for (int i = 0; i < 300; i++) {
      Histogram h;
      if (i == 100) {
        h = Histogram.staleMarker();
      } else if (i % 50 == 49) {
        // a classic histogram in native form, then back
        h = new Histogram(ResetHint.NO, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, i, i * 1.5,
            List.of(new Span(0, 3)), new double[] {1, i - 1, 0}, List.of(), null, new double[] {0.1, 1});
      } else {
        int buckets = 3 + i / 60; // the layout grows every 60 samples
        double[] positive = new double[buckets];
        for (int b = 0; b < buckets; b++) {
          positive[b] = i * (b + 1) + (random.nextInt(3) == 0 ? 0.5 : 0);
        }
        h = exponential(i == 10 ? ResetHint.YES : i > 200 ? ResetHint.GAUGE : ResetHint.NO, i < 150 ? 3 : -1,
            i * 10.0, positive);
      }
      t += 15_000 + random.nextInt(3);
      chunk.append(t, h);
      written.add(h);
      times.add(t);
    }
    List<Long> readTimes = new ArrayList<>();
    assertThat(decode(chunk.bytes(), readTimes)).containsExactlyElementsOf(written);
    assertThat(readTimes).containsExactlyElementsOf(times);
    assertThat(decode(chunk.bytes(), new ArrayList<>()).get(100).isStaleMarker()).isTrue();
    assertThat(chunk.numSamples()).isEqualTo(300);
    assertThat(chunk.last()).isEqualTo(written.get(299));
  }

  @Test
  void aSteadyHistogramCostsLittle() {
    HistogramChunk chunk = new HistogramChunk();
    double[] positive = new double[20];
    for (int i = 0; i < 120; i++) {
      positive[i % 20] += 1; // one bucket changes per sample
      chunk.append(i * 15_000L, exponential(ResetHint.NO, 2, i, positive.clone()));
    }
    // 23 numbers per sample, 22 of them unchanged or barely: far below 8 bytes a number.
    assertThat(chunk.size()).isLessThan(120 * 23 * 2);
    assertThat(decode(chunk.bytes(), new ArrayList<>())).hasSize(120);
  }

  @Test
  void timestampsMustRise() {
    HistogramChunk chunk = new HistogramChunk();
    chunk.append(10, Histogram.staleMarker());
    assertThatThrownBy(() -> chunk.append(10, Histogram.staleMarker())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTruncatedChunkFailsClearly() {
    HistogramChunk chunk = new HistogramChunk();
    for (int i = 0; i < 5; i++) {
      chunk.append(i * 1000L, exponential(ResetHint.NO, 0, i, new double[] {i, i, i}));
    }
    byte[] bytes = chunk.bytes();
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    SampleIterator it = HistogramChunk.iterator(cut);
    assertThatThrownBy(() -> {
      while (it.next()) {
        it.histogram();
      }
    }).isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt histogram chunk");
  }
}
