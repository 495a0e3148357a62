package io.sightline.rules;

import io.sightline.core.model.GoFormat;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Prometheus writes them ({@code common/model.ParseDuration}): {@code 1h30m}, {@code 5m}, {@code 0}. */
public final class Durations {
  // Units must appear largest first and at most once, as in Prometheus; a bare "0" is allowed.
  private static final Pattern FORMAT =
      Pattern.compile("(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MS = {
    365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1
  };

  private Durations() {}

  /** Parses {@code text}, throwing with Prometheus' message when it is not a duration. */
  public static Duration parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + GoFormat.quote(text));
    }
    long ms = 0;
    for (int i = 0; i < UNIT_MS.length; i++) {
      String n = m.group(i + 1);
      if (n != null) {
        ms = Math.addExact(ms, Math.multiplyExact(Long.parseLong(n), UNIT_MS[i]));
      }
    }
    return Duration.ofMillis(ms);
  }
}
