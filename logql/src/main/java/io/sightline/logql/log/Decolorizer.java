package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** {@code | decolorize}: removes ANSI colour and cursor sequences (Loki's expression). */
final class Decolorizer implements Stage {
  private static final Pattern ANSI = Pattern.compile("[\u001B\u009B][\\[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;"
      + "[a-zA-Z\\d]*)*)?\u0007)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))");

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    boolean any = false;
    for (int i = line.off; i < line.off + line.len; i++) {
      // ESC, or the first byte of U+009B (CSI) in UTF-8
      if (line.buf[i] == 0x1B || line.buf[i] == (byte) 0xC2) {
        any = true;
        break;
      }
    }
    if (!any) {
      return true;
    }
    String s = ANSI.matcher(line.string()).replaceAll("");
    line.set(s.getBytes(StandardCharsets.UTF_8));
    return true;
  }
}
