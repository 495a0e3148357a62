package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths of {@code | json a="b.c[0]"} as Loki's {@code jsonexpr} grammar reads them: fields separated by dots,
 * {@code ["quoted key"]} and {@code [index]}. Elements are byte keys (objects) or Integers (arrays).
 */
final class JsonPath {
  private JsonPath() {}

  /** @throws IllegalArgumentException with jsonexpr's message */
  static List<Object> parse(String expr) {
    List<Object> out = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    boolean expectField = true; // a field is allowed at the start and after a dot
    boolean afterDot = false;
    while (i < n) {
      char c = expr.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      if (c == '.') {
        if (out.isEmpty() || afterDot) {
          throw new IllegalArgumentException("syntax error: unexpected DOT");
        }
        afterDot = true;
        expectField = true;
        i++;
        continue;
      }
      if (c == '[') {
        if (afterDot) {
          throw new IllegalArgumentException("syntax error: unexpected LSB, expecting FIELD");
        }
        i++;
        while (i < n && expr.charAt(i) == ' ') {
          i++;
        }
        if (i < n && expr.charAt(i) == '"') {
          int start = ++i;
          while (i < n && expr.charAt(i) != '"' && expr.charAt(i) != ']') {
            i++;
          }
          String key = expr.substring(start, i);
          if (i < n && expr.charAt(i) == '"') {
            i++;
          }
          out.add(key.getBytes(StandardCharsets.UTF_8));
        } else if (i < n && Character.isDigit(expr.charAt(i))) {
          int start = i;
          while (i < n && Character.isDigit(expr.charAt(i))) {
            i++;
          }
          if (i < n && expr.charAt(i) == '.') {
            throw new IllegalArgumentException("cannot use float as array index");
          }
          if (i < n && expr.charAt(i) != ']' && expr.charAt(i) != ' ') {
            throw new IllegalArgumentException("non-integer value: " + expr.charAt(i));
          }
          out.add(Integer.parseInt(expr.substring(start, i)));
        } else {
          throw new IllegalArgumentException("syntax error: unexpected " + (i < n ? "RSB" : "$end")
              + ", expecting STRING or INDEX");
        }
        while (i < n && expr.charAt(i) == ' ') {
          i++;
        }
        if (i >= n || expr.charAt(i) != ']') {
          throw new IllegalArgumentException("syntax error: unexpected $end, expecting RSB");
        }
        i++;
        expectField = false;
        continue;
      }
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
        if (!expectField) {
          throw new IllegalArgumentException("syntax error: unexpected FIELD");
        }
        int start = i;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) && expr.charAt(i) < 128
            || expr.charAt(i) == '_')) {
          i++;
        }
        out.add(expr.substring(start, i).getBytes(StandardCharsets.UTF_8));
        afterDot = false;
        expectField = false;
        continue;
      }
      if (Character.isDigit(c)) {
        throw new IllegalArgumentException("syntax error: unexpected INDEX");
      }
      throw new IllegalArgumentException("unexpected char " + c);
    }
    if (afterDot) {
      throw new IllegalArgumentException("syntax error: unexpected $end, expecting FIELD");
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("syntax error: unexpected $end");
    }
    return out;
  }
}
