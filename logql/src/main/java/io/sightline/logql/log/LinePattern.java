package io.sightline.logql.log;

import io.sightline.logql.syntax.PatternSyntax.Part;
import java.util.List;

/**
 * Loki's pattern matcher ({@code pkg/logql/log/pattern}): literals are found in order with a byte search, captures
 * take what lies between them. {@link #test} is the {@code |>} filter, {@link #matches} the parser.
 */
final class LinePattern {
  private final Part[] parts;
  private final int[] captureStarts;
  private final int[] captureEnds;
  private final String[] names;

  LinePattern(List<Part> parts) {
    this.parts = parts.toArray(Part[]::new);
    int named = 0;
    for (Part p : parts) {
      if (p.isCapture() && !p.unnamed()) {
        named++;
      }
    }
    names = new String[named];
    int i = 0;
    for (Part p : parts) {
      if (p.isCapture() && !p.unnamed()) {
        names[i++] = p.capture();
      }
    }
    captureStarts = new int[named];
    captureEnds = new int[named];
  }

  String[] names() {
    return names;
  }

  /** The line filter's test: every literal in order, no empty capture, an end that fits the pattern's end. */
  boolean test(byte[] b, int off, int len) {
    if (len == 0 || parts.length == 0) {
      return len == 0 && parts.length == 0;
    }
    int pos = 0;
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isCapture()) {
        continue;
      }
      byte[] lit = parts[i].literal();
      int j = Bytes.indexOf(b, off + pos, len - pos, lit);
      if (j < 0) {
        return false;
      }
      if (i != 0 && j == 0) {
        return false; // repeated literals or an empty capture
      }
      pos += j + lit.length;
    }
    boolean endsOnCapture = parts[parts.length - 1].isCapture();
    return endsOnCapture == (pos != len);
  }

  /**
   * The parser: the number of named captures found, their bounds (relative to {@code off}) in {@link #start}/
   * {@link #end}. A missing literal ends the match, the capture before it taking the rest of the line.
   */
  int matches(byte[] b, int off, int len) {
    if (len == 0 || parts.length == 0) {
      return 0;
    }
    int n = 0;
    int pos = 0;
    int i = 0;
    if (!parts[0].isCapture()) {
      byte[] lit = parts[0].literal();
      if (Bytes.indexOf(b, off, len, lit) != 0) {
        return 0;
      }
      pos = lit.length;
      i = 1;
    }
    if (i == parts.length) {
      return 0;
    }
    while (i < parts.length) {
      Part capture = parts[i];
      if (i + 1 == parts.length) {
        if (!capture.unnamed()) {
          captureStarts[n] = pos;
          captureEnds[n++] = len;
        }
        return n;
      }
      byte[] lit = parts[i + 1].literal();
      i += 2;
      int j = Bytes.indexOf(b, off + pos, len - pos, lit);
      if (j < 0) {
        if (!capture.unnamed()) {
          captureStarts[n] = pos;
          captureEnds[n++] = len;
        }
        return n;
      }
      if (!capture.unnamed()) {
        captureStarts[n] = pos;
        captureEnds[n++] = pos + j;
      }
      pos += j + lit.length;
    }
    return n;
  }

  int start(int i) {
    return captureStarts[i];
  }

  int end(int i) {
    return captureEnds[i];
  }
}
