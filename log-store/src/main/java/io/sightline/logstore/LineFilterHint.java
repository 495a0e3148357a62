package io.sightline.logstore;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Byte strings that every wanted line contains (from a query's leading case-sensitive {@code |=} filters). A chunk
 * whose token filter shows that it cannot hold one of them is skipped without being decompressed.
 */
public record LineFilterHint(List<byte[]> required) {
  public static final LineFilterHint NONE = new LineFilterHint(List.of());

  public LineFilterHint {
    required = List.copyOf(required);
  }

  public static LineFilterHint contains(String... needles) {
    return new LineFilterHint(java.util.Arrays.stream(needles).map(n -> n.getBytes(StandardCharsets.UTF_8)).toList());
  }

  public boolean isEmpty() {
    return required.isEmpty();
  }
}
