package io.sightline.collector.receiver.loki;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loki's {@code discover_log_levels}: the {@code detected_level} structured metadata of an entry, found as the
 * distributor's field detector finds it ({@code pkg/distributor/field_detection.go}), in this order:
 *
 * <ol>
 *   <li>an entry that has {@code detected_level} already keeps it, its value normalized;
 *   <li>the first level field (by default {@code level}, {@code LEVEL}, {@code Level}, {@code log.level},
 *       {@code severity}, …, {@code severity_text}) among the stream's labels, then among the entry's metadata,
 *       normalized ({@code WARNING} → {@code warn}, {@code inf} → {@code info}; an unknown value stays as it is);
 *   <li>OTLP's {@code severity_number} by its ranges (1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error,
 *       21–24 fatal, 0 unknown);
 *   <li>the line: in a JSON object the first level field holding a string (two levels deep by default), in a logfmt
 *       line the level field that comes first in the field list (names compared without case); a value that is no
 *       known level, or a line of neither kind, falls back to the earliest level word in the line that stands alone
 *       ({@code [ERROR]}, {@code level:warn}, not {@code misc:error} nor {@code errors}), else {@code unknown}.
 * </ol>
 */
final class LogLevels {
  static final String LABEL = "detected_level";
  static final String SEVERITY_NUMBER = "severity_number";
  static final String UNKNOWN = "unknown";

  /** Keywords of the line heuristic, tried in this order; at the same position the earlier one wins. */
  private static final String[][] PATTERNS = {{"trace", "trace"}, {"debug", "debug"}, {"fatal", "fatal"},
      {"critical", "critical"}, {"error", "error"}, {"err", "error"}, {"warning", "warn"}, {"warn", "warn"},
      {"info", "info"}};
  private static final JsonFactory JSON = new JsonFactory();

  private final List<String> fields;
  private final Set<String> fieldSet;
  private final int jsonMaxDepth;

  LogLevels(List<String> fields, int jsonMaxDepth) {
    this.fields = fields.isEmpty() ? LokiLimits.DEFAULT_LOG_LEVEL_FIELDS : List.copyOf(fields);
    this.fieldSet = new HashSet<>(this.fields);
    this.jsonMaxDepth = jsonMaxDepth;
  }

  /** The entry's metadata with {@code detected_level} added, or normalized when it was there already. */
  Labels enrich(StreamLabels stream, Labels metadata, String line) {
    String present = metadata.get(LABEL); // "" when absent
    if (!present.isEmpty()) {
      String normalized = normalize(present);
      return normalized.equals(present) ? metadata : metadata.with(LABEL, normalized);
    }
    String level = null;
    for (String field : fields) {
      String v = stream.get(field);
      if (v != null) {
        level = normalize(v);
        break;
      }
    }
    if (level == null) {
      for (String field : fields) {
        String v = metadata.get(field);
        if (!v.isEmpty()) {
          level = normalize(v);
          break;
        }
      }
    }
    if (level == null) {
      String severity = metadata.get(SEVERITY_NUMBER);
      level = !severity.isEmpty() ? fromSeverityNumber(severity) : fromLine(line);
    }
    return level.isEmpty() ? metadata : metadata.with(LABEL, level);
  }

  /** A known level in Loki's spelling, or the value itself. */
  static String normalize(String v) {
    String known = known(v);
    return known != null ? known : v;
  }

  private static String known(String v) {
    if (v == null) {
      return null;
    }
    if (v.equalsIgnoreCase("trace") || v.equalsIgnoreCase("trc")) {
      return "trace";
    }
    if (v.equalsIgnoreCase("debug") || v.equalsIgnoreCase("dbg")) {
      return "debug";
    }
    if (v.equalsIgnoreCase("info") || v.equalsIgnoreCase("inf") || v.equalsIgnoreCase("information")) {
      return "info";
    }
    if (v.equalsIgnoreCase("warn") || v.equalsIgnoreCase("wrn") || v.equalsIgnoreCase("warning")) {
      return "warn";
    }
    if (v.equalsIgnoreCase("error") || v.equalsIgnoreCase("err")) {
      return "error";
    }
    if (v.equalsIgnoreCase("critical")) {
      return "critical";
    }
    if (v.equalsIgnoreCase("fatal")) {
      return "fatal";
    }
    return null;
  }

  /** OTLP's severity number ranges; a value that is no integer reads as info, as in Loki. */
  static String fromSeverityNumber(String text) {
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return "info";
    }
    if (n == 0) {
      return UNKNOWN;
    }
    return n <= 4 ? "trace" : n <= 8 ? "debug" : n <= 12 ? "info" : n <= 16 ? "warn" : n <= 20 ? "error"
        : n <= 24 ? "fatal" : UNKNOWN;
  }

  String fromLine(String line) {
    String v;
    if (isJson(line)) {
      v = jsonLevel(line);
    } else if (!line.isEmpty() && line.indexOf('=') >= 0) {
      v = logfmtLevel(line, fields);
    } else {
      return fromWords(line);
    }
    String known = known(v);
    return known != null ? known : fromWords(line);
  }

  /** Loki's test for a JSON line: its first and last non-blank characters are braces. */
  static boolean isJson(String line) {
    int first = 0;
    while (first < line.length() && isSpace(line.charAt(first))) {
      first++;
    }
    int last = line.length() - 1;
    while (last >= 0 && isSpace(line.charAt(last))) {
      last--;
    }
    return first < line.length() && line.charAt(first) == '{' && line.charAt(last) == '}';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || Character.isSpaceChar(c);
  }

  /** The first string value of a level field, depth first, within the depth limit; null if none (or bad JSON). */
  private String jsonLevel(String line) {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return jsonObject(p, 0);
    } catch (IOException e) {
      return null; // what was found before the error would have been returned already
    }
  }

  /** The fields of the object whose START_OBJECT the parser is on, through its END_OBJECT. */
  private String jsonObject(JsonParser p, int depth) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_STRING && fieldSet.contains(name)) {
        return p.getText();
      }
      if (t == JsonToken.START_OBJECT && (jsonMaxDepth <= 0 || depth + 1 < jsonMaxDepth)) {
        String found = jsonObject(p, depth + 1);
        if (found != null) {
          return found;
        }
      } else {
        p.skipChildren();
      }
    }
    return null;
  }

  /** The value of the field that comes first in {@code hints}, matched without case; null if none. */
  static String logfmtLevel(String line, List<String> hints) {
    Logfmt d = new Logfmt(line);
    int best = hints.size();
    String result = null;
    while (!d.atEnd() && d.next()) {
      String key = d.key == null ? "" : d.key;
      for (int x = 0; x < best; x++) {
        if (key.equalsIgnoreCase(hints.get(x))) {
          result = d.value == null ? "" : d.value;
          best = x;
          if (x == 0) {
            return result;
          }
          break;
        }
      }
    }
    return result;
  }

  /** The earliest level word standing alone in the line, or {@code unknown}. */
  static String fromWords(String line) {
    String lower = line.toLowerCase(Locale.ROOT);
    int best = lower.length();
    String guess = UNKNOWN;
    for (String[] p : PATTERNS) {
      int at = indexOfWord(lower, p[0]);
      if (at < 0 || at >= best) {
        continue;
      }
      best = at;
      guess = p[1];
      if (at == 0) {
        break;
      }
    }
    return guess;
  }

  private static int indexOfWord(String s, String word) {
    int from = 0;
    while (true) {
      int at = s.indexOf(word, from);
      if (at < 0) {
        return -1;
      }
      if (leftBoundary(s, at - 1) && rightBoundary(s, at + word.length())) {
        return at;
      }
      from = at + 1;
    }
  }

  /** Not a colon: {@code misc:error} is a compound, not a level. */
  private static boolean leftBoundary(String s, int i) {
    if (i < 0 || i >= s.length()) {
      return true;
    }
    return switch (s.charAt(i)) {
      case ' ', '\t', '\n', '[', '(', '{', '"', '\'', '=', '|' -> true;
      default -> false;
    };
  }

  /** A colon allowed: {@code debug: message}. */
  private static boolean rightBoundary(String s, int i) {
    if (i < 0 || i >= s.length()) {
      return true;
    }
    return switch (s.charAt(i)) {
      case ' ', '\t', '\n', '[', ']', '(', ')', '{', '}', ':', ',', '!', '"', '\'', '=', '|' -> true;
      default -> false;
    };
  }

  /** Loki's logfmt decoder (go-logfmt's, over a line): one key and optional value per {@link #next}. */
  static final class Logfmt {
    private final String line;
    private int pos;
    String key;
    String value;

    Logfmt(String line) {
      this.line = line;
    }

    boolean atEnd() {
      return pos >= line.length();
    }

    /** The next pair; false at the end of the line or at a syntax error, which ends the scan. */
    boolean next() {
      key = null;
      value = null;
      int n = line.length();
      while (pos < n && line.charAt(pos) <= ' ') {
        pos++;
      }
      if (pos >= n) {
        return false;
      }
      int start = pos;
      while (pos < n) {
        char c = line.charAt(pos);
        if (c == '=') {
          if (pos == start || line.substring(start, pos).indexOf('\uFFFD') >= 0) {
            return skipValue();
          }
          key = line.substring(start, pos);
          return equal();
        }
        if (c == '"') {
          return skipValue();
        }
        if (c <= ' ') {
          key = line.substring(start, pos);
          return key.indexOf('\uFFFD') < 0;
        }
        pos++;
      }
      key = line.substring(start);
      return key.indexOf('\uFFFD') < 0;
    }

    private boolean equal() {
      int n = line.length();
      pos++;
      if (pos >= n) {
        return true;
      }
      char c = line.charAt(pos);
      if (c <= ' ') {
        return true;
      }
      if (c == '"') {
        return quoted();
      }
      int start = pos;
      while (pos < n) {
        c = line.charAt(pos);
        if (c == '=' || c == '"') {
          return skipValue();
        }
        if (c <= ' ') {
          value = pos > start ? line.substring(start, pos) : null;
          return true;
        }
        pos++;
      }
      value = line.substring(start);
      return true;
    }

    private boolean skipValue() {
      while (pos < line.length() && line.charAt(pos) > ' ') {
        pos++;
      }
      return false;
    }

    private boolean quoted() {
      int start = pos;
      boolean escaped = false;
      boolean hasEscape = false;
      for (int i = pos + 1; i < line.length(); i++) {
        char c = line.charAt(i);
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
          hasEscape = true;
        } else if (c == '"') {
          pos = i + 1;
          if (!hasEscape) {
            value = i > start + 1 ? line.substring(start + 1, i) : null;
            return true;
          }
          value = unquote(line.substring(start + 1, i));
          return value != null;
        }
      }
      pos = line.length();
      return false; // unterminated quoted value
    }

    /** JSON string escapes; null for an invalid one. */
    private static String unquote(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (++i >= s.length()) {
          return null;
        }
        switch (s.charAt(i)) {
          case '"', '\\', '/', '\'' -> sb.append(s.charAt(i));
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            try {
              sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
              return null;
            }
            i += 4;
          }
          default -> {
            return null;
          }
        }
      }
      return sb.toString();
    }
  }
}
