package io.sightline.collector.translate.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Prometheus name of an OTLP metric (otlptranslator's {@code MetricNamer}).
 *
 * <p>With escaping and suffixes (the default), the name is split into tokens at every character outside
 * {@code [a-zA-Z0-9:]} (so runs of {@code _} collapse), the unit words are added unless the name already has them
 * as a token, {@code total} is moved to the end of a monotonic counter's name and {@code ratio} to the end of a
 * gauge's with unit {@code 1}, the namespace goes first, and a leading digit gets a {@code _}:
 * {@code http.server.request.duration} (s) → {@code http_server_request_duration_seconds}.
 */
public final class MetricNamer {
  private final String namespace;
  private final TranslationStrategy strategy;

  public MetricNamer(String namespace, TranslationStrategy strategy) {
    this.namespace = namespace;
    this.strategy = strategy;
  }

  /**
   * The family name: for histograms and summaries the name before {@code _bucket}, {@code _sum}, {@code _count}.
   *
   * @throws IllegalArgumentException when nothing valid is left of the name
   */
  public String build(String name, String unit, MetricKind kind) {
    String built = strategy.escapes() ? buildEscaped(name, unit, kind) : buildUtf8(name, unit, kind);
    if (built.isEmpty()) {
      throw new IllegalArgumentException("normalization for metric \"" + name + "\" resulted in empty name");
    }
    if (!built.equals(name) && underscoresOnly(built)) {
      throw new IllegalArgumentException("normalization for metric \"" + name + "\" resulted in invalid name \""
          + built + "\"");
    }
    return built;
  }

  private String buildEscaped(String name, String unit, MetricKind kind) {
    if (strategy.addsSuffixes()) {
      return normalize(name, unit, kind);
    }
    // Without suffixes only the invalid characters are replaced: underscores that were sent are kept, even in runs.
    String metric = String.join("_", split(name, true));
    if (!namespace.isEmpty()) {
      return String.join("_", split(namespace, true)) + "_" + metric;
    }
    return startsWithDigit(metric) ? "_" + metric : metric;
  }

  private String normalize(String name, String unit, MetricKind kind) {
    List<String> tokens = split(name, false);
    UnitNamer.Suffixes suffixes = UnitNamer.suffixes(unit);
    addUnitTokens(tokens, UnitNamer.cleanUp(suffixes.main()), UnitNamer.cleanUp(suffixes.per()));
    if (kind == MetricKind.MONOTONIC_COUNTER) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    // Only gauges: some receivers wrongly give counters of things the unit 1, and a counter of ratios makes no sense.
    if (unit.equals("1") && kind == MetricKind.GAUGE) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    if (!namespace.isEmpty()) {
      tokens.add(0, namespace);
    }
    String joined = String.join("_", tokens);
    return startsWithDigit(joined) ? "_" + joined : joined;
  }

  private static void addUnitTokens(List<String> tokens, String main, String per) {
    if (tokens.contains(main)) {
      main = "";
    }
    if (per.equals("per_")) {
      per = "";
    } else {
      per = trimTrailingUnderscore(per);
      if (tokens.contains(per)) {
        per = "";
      }
    }
    if (!per.isEmpty()) {
      main = trimTrailingUnderscore(main);
    }
    if (!main.isEmpty()) {
      tokens.add(main);
    }
    if (!per.isEmpty()) {
      tokens.add(per);
    }
  }

  /**
   * UTF-8 names: the name as sent, with the suffixes appended after trimming any copy of them already at the end, in
   * the order unit, per-unit, {@code _total}, {@code _ratio}.
   */
  private String buildUtf8(String name, String unit, MetricKind kind) {
    String result = namespace.isEmpty() ? name : namespace + "_" + name;
    if (!strategy.addsSuffixes()) {
      return result;
    }
    boolean ratio = unit.equals("1") && kind == MetricKind.GAUGE;
    boolean total = kind == MetricKind.MONOTONIC_COUNTER;
    if (ratio) {
      result = trimSuffixAndDelimiter(result, "ratio");
    }
    if (total) {
      result = trimSuffixAndDelimiter(result, "total");
    }
    UnitNamer.Suffixes suffixes = UnitNamer.suffixes(unit);
    if (!suffixes.per().isEmpty()) {
      result = trimSuffixAndDelimiter(result, suffixes.per());
    }
    if (!suffixes.main().isEmpty() && !result.endsWith(suffixes.main())) {
      result = result + "_" + suffixes.main();
    }
    if (!suffixes.per().isEmpty()) {
      result = result + "_" + suffixes.per();
    }
    if (total) {
      result += "_total";
    }
    if (ratio) {
      result += "_ratio";
    }
    return result;
  }

  /** Drops {@code suffix} and the one character before it (the delimiter, whatever it is), as otlptranslator does. */
  private static String trimSuffixAndDelimiter(String name, String suffix) {
    if (name.endsWith(suffix) && name.length() > suffix.length() + 1) {
      return name.substring(0, name.length() - suffix.length() - 1);
    }
    return name;
  }

  /** The runs of valid characters; {@code _} separates too unless {@code keepUnderscores}. */
  private static List<String> split(String name, boolean keepUnderscores) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      i += Character.charCount(cp);
      if (isValidMetricChar(cp) || (keepUnderscores && cp == '_')) {
        current.appendCodePoint(cp);
      } else if (!current.isEmpty()) {
        tokens.add(current.toString());
        current.setLength(0);
      }
    }
    if (!current.isEmpty()) {
      tokens.add(current.toString());
    }
    return tokens;
  }

  /** {@code [a-zA-Z0-9:]}; {@code _} is valid in a name but counts as a token separator. */
  static boolean isValidMetricChar(int cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == ':';
  }

  private static String trimTrailingUnderscore(String s) {
    return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
  }

  static boolean startsWithDigit(String s) {
    return !s.isEmpty() && s.charAt(0) >= '0' && s.charAt(0) <= '9';
  }

  static boolean underscoresOnly(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '_') {
        return false;
      }
    }
    return true;
  }
}
