package io.sightline.logql.log;

/**
 * {@code | logfmt}, {@code | logfmt --strict --keep-empty}: every {@code key=value} becomes a label (keys sanitised,
 * empty values dropped unless {@code --keep-empty}). Malformed pairs are skipped; with {@code --strict} the first
 * one stops the parse and sets {@code __error__=LogfmtParserErr} with the decoder's message.
 */
final class LogfmtParser implements Stage {
  static final String LOGFMT_ERR = "LogfmtParserErr";

  private final boolean strict;
  private final boolean keepEmpty;
  private final LogfmtDecoder dec = new LogfmtDecoder();
  private final KeyCache keys = KeyCache.sanitizing();

  LogfmtParser(boolean strict, boolean keepEmpty) {
    this.strict = strict;
    this.keepEmpty = keepEmpty;
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    dec.scanAll(line, strict, keys, key -> {
      String val = dec.value();
      if (keepEmpty || !val.isEmpty()) {
        lbs.set(LabelsBuilder.Category.PARSED, lbs.extractedName(key), val);
      }
    });
    if (strict && dec.err != null) {
      lbs.addError(LOGFMT_ERR, dec.err);
    }
    return true;
  }
}
