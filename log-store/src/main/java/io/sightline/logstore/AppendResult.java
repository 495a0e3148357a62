package io.sightline.logstore;

/**
 * What became of one {@link LogAppender#append} call's entries.
 *
 * @param stored entries that will be stored on commit
 * @param duplicates entries dropped because the stream already holds the same time and line
 * @param tooFarBehind entries refused because they are older than the stream's out-of-order window allows
 * @param firstTooFarBehindNanos the time of the first refused entry (for Loki's message), or 0
 * @param oldestAcceptedNanos the oldest time the stream accepted when the first entry was refused, or 0
 */
public record AppendResult(int stored, int duplicates, int tooFarBehind, long firstTooFarBehindNanos,
    long oldestAcceptedNanos) {

  public static AppendResult storedAll(int count) {
    return new AppendResult(count, 0, 0, 0, 0);
  }
}
