package io.sightline.logql.syntax;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loki's pattern language ({@code pkg/logql/log/pattern}): {@code <name>} captures, {@code <_>} skips, everything
 * else is literal text. Used by the {@code pattern} parser, which needs at least one named capture, and by the
 * {@code |>} / {@code !>} line filters, which allow only {@code <_>}. Errors are Loki's messages.
 */
public final class PatternSyntax {
  /** A literal run (bytes) or a capture (its name, {@code _} for the unnamed one). */
  public record Part(byte[] literal, String capture) {
    public boolean isCapture() {
      return capture != null;
    }

    public boolean unnamed() {
      return "_".equals(capture);
    }

    @Override
    public String toString() {
      return isCapture() ? "<" + capture + ">" : new String(literal, StandardCharsets.UTF_8);
    }
  }

  private PatternSyntax() {}

  /** Splits a pattern into parts, as Loki's lexer and grammar do (no checks beyond syntax). */
  public static List<Part> split(String pattern) {
    List<Part> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      int end = identifierEnd(pattern, i);
      if (end > 0) {
        if (!lit.isEmpty()) {
          parts.add(new Part(lit.toString().getBytes(StandardCharsets.UTF_8), null));
          lit.setLength(0);
        }
        parts.add(new Part(null, pattern.substring(i + 1, end - 1)));
        i = end;
      } else {
        int cp = pattern.codePointAt(i);
        lit.appendCodePoint(cp);
        i += Character.charCount(cp);
      }
    }
    if (!lit.isEmpty()) {
      parts.add(new Part(lit.toString().getBytes(StandardCharsets.UTF_8), null));
    }
    return parts;
  }

  private static int identifierEnd(String s, int i) {
    if (s.charAt(i) != '<' || i + 1 >= s.length()) {
      return -1;
    }
    char first = s.charAt(i + 1);
    if (!(first == '_' || first < 128 && Character.isLetter(first))) {
      return -1;
    }
    int j = i + 2;
    while (j < s.length() && (s.charAt(j) == '_' || s.charAt(j) < 128 && Character.isLetterOrDigit(s.charAt(j)))) {
      j++;
    }
    return j < s.length() && s.charAt(j) == '>' ? j + 1 : -1;
  }

  /**
   * The pattern of a {@code | pattern} stage.
   *
   * @throws IllegalArgumentException with Loki's message
   */
  public static List<Part> parse(String pattern) {
    List<Part> parts = syntax(pattern);
    List<String> names = new ArrayList<>();
    for (Part p : parts) {
      if (p.isCapture() && !p.unnamed()) {
        names.add(p.capture());
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("at least one capture is required");
    }
    consecutive(parts);
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException("duplicate capture name (" + n + "): invalid expression");
      }
    }
    return parts;
  }

  /**
   * The pattern of a {@code |>} line filter (empty matches only empty lines).
   *
   * @throws IllegalArgumentException with Loki's message
   */
  public static List<Part> parseLineFilter(String pattern) {
    if (pattern.isEmpty()) {
      return List.of();
    }
    List<Part> parts = syntax(pattern);
    consecutive(parts);
    for (Part p : parts) {
      if (p.isCapture() && !p.unnamed()) {
        throw new IllegalArgumentException("named captures are not allowed: found '" + p + "'");
      }
    }
    return parts;
  }

  private static List<Part> syntax(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException(
          "parse error at line 1, col 1: syntax error: unexpected $end, expecting IDENTIFIER or LITERAL");
    }
    return split(pattern);
  }

  private static void consecutive(List<Part> parts) {
    for (int i = 0; i + 1 < parts.size(); i++) {
      if (parts.get(i).isCapture() && parts.get(i + 1).isCapture()) {
        throw new IllegalArgumentException("found consecutive capture '" + parts.get(i) + parts.get(i + 1)
            + "': invalid expression");
      }
    }
  }
}
