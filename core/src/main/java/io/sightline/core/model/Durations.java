package io.sightline.core.model;

/** Prometheus' duration notation ({@code 1m30s}, {@code 2w}, {@code 100ms}), as its APIs and flags print it. */
public final class Durations {
  private static final long[] UNITS = {365 * 86_400_000L, 7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L,
      1L};
  private static final String[] NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

  private Durations() {}

  /** Years and weeks only when they divide evenly, as Prometheus' {@code model.Duration} prints them. */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder s = new StringBuilder();
    if (ms < 0) {
      s.append('-');
      ms = -ms;
    }
    for (int i = 0; i < UNITS.length; i++) {
      boolean exactOnly = i < 2;
      if (ms >= UNITS[i] && (!exactOnly || ms % UNITS[i] == 0)) {
        s.append(ms / UNITS[i]).append(NAMES[i]);
        ms %= UNITS[i];
      }
    }
    return s.toString();
  }
}
