package io.sightline.collector.translate.prometheus;

/**
 * Builds Prometheus label names from OTLP attribute keys (otlptranslator's {@code LabelNamer}). Escaping replaces
 * every character outside {@code [a-zA-Z0-9_]} with {@code _}; a name starting with a digit gets {@code key_}, and
 * with {@code underscoreSanitization} one starting with a single {@code _} gets {@code key} ({@code _x} →
 * {@code key_x}; {@code __x} is reserved and kept). Prometheus 3 has both {@code underscoreSanitization} and
 * {@code preserveMultipleUnderscores} on by default, for compatibility with what it did before.
 */
public final class LabelNamer {
  private final boolean utf8Allowed;
  private final boolean underscoreSanitization;
  private final boolean preserveMultipleUnderscores;

  public LabelNamer(boolean utf8Allowed, boolean underscoreSanitization, boolean preserveMultipleUnderscores) {
    this.utf8Allowed = utf8Allowed;
    this.underscoreSanitization = underscoreSanitization;
    this.preserveMultipleUnderscores = preserveMultipleUnderscores;
  }

  /** @throws IllegalArgumentException for an empty name or one that is (or becomes) only underscores */
  public String build(String label) {
    if (label.isEmpty()) {
      throw new IllegalArgumentException("label name is empty");
    }
    if (utf8Allowed) {
      if (MetricNamer.underscoresOnly(label)) {
        throw new IllegalArgumentException("label name \"" + label + "\" contains only underscores");
      }
      return label;
    }
    String normalized = sanitize(label);
    if (MetricNamer.startsWithDigit(normalized)) {
      normalized = "key_" + normalized;
    } else if (underscoreSanitization && normalized.startsWith("_") && !normalized.startsWith("__")) {
      normalized = "key" + normalized;
    }
    if (MetricNamer.underscoresOnly(normalized)) {
      throw new IllegalArgumentException("normalization for label name \"" + label + "\" resulted in invalid name \""
          + normalized + "\"");
    }
    return normalized;
  }

  private String sanitize(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    if (preserveMultipleUnderscores) {
      for (int i = 0; i < name.length(); ) {
        int cp = name.codePointAt(i);
        i += Character.charCount(cp);
        if (isValidLabelChar(cp)) {
          sb.appendCodePoint(cp);
        } else {
          sb.append('_');
        }
      }
      return sb.toString();
    }
    // A reserved name (__x__) keeps its double underscores around the collapsed inside.
    boolean reserved = name.length() >= 4 && name.startsWith("__") && name.endsWith("__");
    String inner = reserved ? name.substring(2, name.length() - 2) : name;
    if (reserved) {
      sb.append("__");
    }
    boolean lastUnderscore = false;
    for (int i = 0; i < inner.length(); ) {
      int cp = inner.codePointAt(i);
      i += Character.charCount(cp);
      if (isValidLabelChar(cp)) {
        sb.appendCodePoint(cp);
        lastUnderscore = false;
      } else if (!lastUnderscore) {
        sb.append('_');
        lastUnderscore = true;
      }
    }
    if (reserved) {
      sb.append("__");
    }
    return sb.toString();
  }

  /** Letters and digits; {@code _} is handled apart, so that runs of it can collapse. */
  private static boolean isValidLabelChar(int cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
}
