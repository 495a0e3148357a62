package io.sightline.collector.receiver.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsCacheTest {
  @Test
  void fingerprintsDependOnEveryByteAndOnlyOnTheBytes() {
    Set<LabelsCache.Fingerprint> seen = new HashSet<>();
    // Label sets that differ in one character, at every length across the 16-byte blocks and the tail.
    for (int i = 0; i < 200_000; i++) {
      byte[] b = ("job=api-" + i + ",instance=10.0." + (i % 250) + ".1:9100").getBytes(StandardCharsets.UTF_8);
      assertThat(seen.add(LabelsCache.fingerprint(b, 0, b.length))).isTrue();
    }
    for (int len = 0; len < 40; len++) {
      byte[] b = new byte[len];
      assertThat(seen.add(LabelsCache.fingerprint(b, 0, len))).as("zeros of length %d", len).isTrue();
    }
    byte[] framed = "xxABCDEFGHIJKLMNOPQRSTUVWxx".getBytes(StandardCharsets.UTF_8);
    byte[] plain = "ABCDEFGHIJKLMNOPQRSTUVW".getBytes(StandardCharsets.UTF_8);
    assertThat(LabelsCache.fingerprint(framed, 2, framed.length - 2))
        .isEqualTo(LabelsCache.fingerprint(plain, 0, plain.length));
  }

  @Test
  void storesAndFindsByFingerprint() {
    LabelsCache cache = new LabelsCache(1024);
    byte[] a = "a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "b".getBytes(StandardCharsets.UTF_8);
    DecodedSeries series = new DecodedSeries(Labels.of("__name__", "a"));
    cache.put(LabelsCache.fingerprint(a, 0, 1), series);
    assertThat(cache.get(LabelsCache.fingerprint(a, 0, 1))).isSameAs(series);
    assertThat(cache.get(LabelsCache.fingerprint(b, 0, 1))).isNull();
  }
}
