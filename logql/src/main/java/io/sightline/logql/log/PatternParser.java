package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;

/** {@code | pattern "<ip> - <_> <status>"}: the named captures become labels. */
final class PatternParser implements Stage {
  private final LinePattern pattern;

  PatternParser(LinePattern pattern) {
    this.pattern = pattern;
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    int n = pattern.matches(line.buf, line.off, line.len);
    String[] names = pattern.names();
    for (int i = 0; i < n; i++) {
      String v = new String(line.buf, line.off + pattern.start(i), pattern.end(i) - pattern.start(i),
          StandardCharsets.UTF_8);
      lbs.set(LabelsBuilder.Category.PARSED, lbs.extractedName(names[i]), v);
    }
    return true;
  }
}
