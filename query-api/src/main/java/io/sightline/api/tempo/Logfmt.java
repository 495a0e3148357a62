package io.sightline.api.tempo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tags} parameter of Tempo's legacy search: logfmt ({@code k=v k2="v 2"}) read as {@code go-logfmt}'s
 * decoder reads it, with Tempo's messages for a syntax error and for a key given twice.
 */
final class Logfmt {
  private Logfmt() {}

  static Map<String, String> decode(String text) throws TempoApi.TempoError {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c <= ' ') {
        i++;
        continue;
      }
      int keyStart = i;
      while (i < n && text.charAt(i) > ' ' && text.charAt(i) != '=' && text.charAt(i) != '"') {
        i++;
      }
      if (i == keyStart) {
        throw syntax(text.charAt(i) == '=' ? "unexpected '='" : "unexpected '\"'", i);
      }
      String key = text.substring(keyStart, i);
      String value = "";
      if (i < n && text.charAt(i) == '"') {
        throw syntax("unexpected '\"'", i);
      }
      if (i < n && text.charAt(i) == '=') {
        i++;
        if (i < n && text.charAt(i) == '"') {
          StringBuilder v = new StringBuilder();
          int open = i++;
          boolean closed = false;
          while (i < n) {
            char d = text.charAt(i++);
            if (d == '\\' && i < n) {
              char e = text.charAt(i++);
              v.append(switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> e;
              });
            } else if (d == '"') {
              closed = true;
              break;
            } else {
              v.append(d);
            }
          }
          if (!closed) {
            throw syntax("unterminated quoted value", open);
          }
          value = v.toString();
        } else {
          int valueStart = i;
          while (i < n && text.charAt(i) > ' ') {
            if (text.charAt(i) == '"' || text.charAt(i) == '=') {
              throw syntax(text.charAt(i) == '=' ? "unexpected '='" : "unexpected '\"'", i);
            }
            i++;
          }
          value = text.substring(valueStart, i);
        }
      }
      if (out.containsKey(key)) {
        throw new TempoApi.TempoError("invalid tags: tag " + key + " has been set twice");
      }
      out.put(key, value);
    }
    return out;
  }

  /** go-logfmt counts positions from 1. */
  private static TempoApi.TempoError syntax(String message, int index) {
    return new TempoApi.TempoError("invalid tags: " + message + " at pos " + (index + 1));
  }
}
