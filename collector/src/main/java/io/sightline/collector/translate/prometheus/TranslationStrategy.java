package io.sightline.collector.translate.prometheus;

/**
 * How OTLP names become Prometheus names: Prometheus' {@code otlp.translation_strategy}, with its option names.
 * Escaping replaces every character a classic Prometheus name may not have with {@code _}; suffixes append the unit
 * and type ({@code _seconds}, {@code _total}, {@code _ratio}).
 */
public enum TranslationStrategy {
  /** Prometheus' default: {@code http.server.duration} (s) becomes {@code http_server_duration_seconds}. */
  UNDERSCORE_ESCAPING_WITH_SUFFIXES("UnderscoreEscapingWithSuffixes", true, true),
  /** Escaped names, without unit or type suffixes. */
  UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES("UnderscoreEscapingWithoutSuffixes", true, false),
  /** UTF-8 names kept as they are, with suffixes: {@code http.server.duration_seconds}. */
  NO_UTF8_ESCAPING_WITH_SUFFIXES("NoUTF8EscapingWithSuffixes", false, true),
  /** UTF-8 names kept exactly as sent (experimental in Prometheus). */
  NO_TRANSLATION("NoTranslation", false, false);

  private final String configName;
  private final boolean escapes;
  private final boolean addsSuffixes;

  TranslationStrategy(String configName, boolean escapes, boolean addsSuffixes) {
    this.configName = configName;
    this.escapes = escapes;
    this.addsSuffixes = addsSuffixes;
  }

  /** The name in Prometheus' config, e.g. {@code UnderscoreEscapingWithSuffixes}. */
  public String configName() {
    return configName;
  }

  public boolean escapes() {
    return escapes;
  }

  public boolean addsSuffixes() {
    return addsSuffixes;
  }

  /** The strategy with this config name, or {@code null}. */
  public static TranslationStrategy fromConfigName(String name) {
    for (TranslationStrategy s : values()) {
      if (s.configName.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
