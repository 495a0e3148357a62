package io.sightline.logql.log;

/**
 * An ASCII line as a {@link CharSequence} without decoding, for regular expressions; lines with other bytes are
 * decoded instead (see {@link LineRegex}). Reused: set before each match.
 */
final class AsciiChars implements CharSequence {
  private byte[] buf;
  private int off;
  private int len;

  AsciiChars set(byte[] b, int o, int l) {
    buf = b;
    off = o;
    len = l;
    return this;
  }

  @Override
  public int length() {
    return len;
  }

  @Override
  public char charAt(int index) {
    return (char) buf[off + index];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new AsciiChars().set(buf, off + start, end - start);
  }

  @Override
  public String toString() {
    return new String(buf, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
