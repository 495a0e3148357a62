package io.sightline.collector.config;

/** Where a configuration value was written: a file and line, or a command-line flag or the built-in defaults. */
public record Location(String source, int line, int column) {

  public static Location of(String source) {
    return new Location(source, 0, 0);
  }

  @Override
  public String toString() {
    return line > 0 ? source + ":" + line + ":" + column : source;
  }
}
