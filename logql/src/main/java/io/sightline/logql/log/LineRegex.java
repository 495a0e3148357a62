package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regex over lines as bytes: ASCII lines are matched through a reused view, others decoded. Not thread-safe.
 * Go matches invalid UTF-8 byte by byte, where a decoded Java string holds U+FFFD; both see one odd character.
 */
final class LineRegex {
  private final Pattern pattern;
  private final AsciiChars chars = new AsciiChars();
  private Matcher matcher;

  LineRegex(Pattern pattern) {
    this.pattern = pattern;
  }

  Pattern pattern() {
    return pattern;
  }

  private Matcher matcher(CharSequence s) {
    if (matcher == null) {
      matcher = pattern.matcher(s);
    } else {
      matcher.reset(s);
    }
    return matcher;
  }

  /** A matcher positioned on the line, for group extraction; valid until the next call. */
  Matcher on(byte[] b, int off, int len) {
    CharSequence s = Bytes.ascii(b, off, len) ? chars.set(b, off, len)
        : new String(b, off, len, StandardCharsets.UTF_8);
    return matcher(s);
  }

  boolean find(byte[] b, int off, int len) {
    return on(b, off, len).find();
  }

  boolean matches(String s) {
    return matcher(s).matches();
  }

  boolean find(String s) {
    return matcher(s).find();
  }
}
