package io.sightline.logql.template;

import io.sightline.core.model.GoDuration;
import io.sightline.core.model.GoFormat;
import io.sightline.logql.syntax.GoRegex;
import io.sightline.logql.syntax.GoStrconv;
import io.sightline.logql.syntax.Humanize;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The functions Loki's templates can call: Loki's own ({@code ToUpper}, {@code regexReplaceAll}, {@code __line__},
 * {@code __timestamp__}, {@code unixToTime}, {@code alignLeft}, ...), the Sprig functions Loki registers
 * ({@code lower}, {@code default}, {@code add}, {@code date}, {@code fromJson}, ...) and text/template's built-ins.
 * Arguments convert as in Go: Loki's string functions want strings, Sprig's take anything through its casts.
 */
public final class Funcs {
  /** Per-execution inputs: the labels ({@code .name}), the line and its timestamp. Reused by a stage. */
  public static final class Context {
    private Map<String, String> data = Map.of();
    private String line = "";
    private long timestampNanos;

    public Context set(Map<String, String> data, String line, long timestampNanos) {
      this.data = data;
      this.line = line;
      this.timestampNanos = timestampNanos;
      return this;
    }

    public Map<String, String> data() {
      return data;
    }
  }

  /** Every name a template may call besides the built-ins. */
  public static final Set<String> NAMES = Set.of("ToLower", "ToUpper", "Replace", "Trim", "TrimLeft", "TrimRight",
      "TrimPrefix", "TrimSuffix", "TrimSpace", "regexReplaceAll", "regexReplaceAllLiteral", "count", "urldecode",
      "urlencode", "bytes", "duration", "duration_seconds", "unixEpochMillis", "unixEpochNanos", "toDateInZone",
      "unixToTime", "alignLeft", "alignRight", "b64dec", "b64enc", "lower", "upper", "title", "trunc", "substr",
      "contains", "hasPrefix", "hasSuffix", "indent", "nindent", "replace", "repeat", "trim", "trimAll",
      "trimSuffix", "trimPrefix", "int", "float64", "add", "sub", "mul", "div", "mod", "addf", "subf", "mulf",
      "divf", "max", "min", "maxf", "minf", "ceil", "floor", "round", "fromJson", "date", "toDate", "now",
      "unixEpoch", "default", "__line__", "__timestamp__");

  private Funcs() {}

  private static Exec.Failure wrongType(String expected, Object got) {
    return new Exec.Failure("wrong type for value; expected " + expected + "; got " + Exec.typeName(got));
  }

  private static void arity(String name, List<Object> a, int n) throws Exec.Failure {
    if (a.size() != n) {
      throw new Exec.Failure("wrong number of args for " + name + ": want " + n + " got " + a.size());
    }
  }

  private static void atLeast(String name, List<Object> a, int n) throws Exec.Failure {
    if (a.size() < n) {
      throw new Exec.Failure("wrong number of args for " + name + ": want at least " + n + " got " + a.size());
    }
  }

  private static String str(Object v) throws Exec.Failure {
    if (v instanceof String s) {
      return s;
    }
    throw wrongType("string", v);
  }

  private static long integer(Object v) throws Exec.Failure {
    if (v instanceof Long l) {
      return l;
    }
    throw wrongType("int", v);
  }

  private static GoTime time(Object v) throws Exec.Failure {
    if (v instanceof GoTime t) {
      return t;
    }
    throw wrongType("time.Time", v);
  }

  /** spf13/cast's {@code ToInt64}, which Sprig's arithmetic uses: unparsable values are 0. */
  static long toInt64(Object v) {
    return switch (v) {
      case Long l -> l;
      case Double d -> (long) (double) d;
      case Boolean b -> b ? 1 : 0;
      case String s -> {
        String t = s.strip();
        if (t.matches("-?[0-9]+\\.0*")) {
          t = t.substring(0, t.indexOf('.'));
        }
        try {
          Object n = GoString.number(t);
          yield n instanceof Long l ? l : 0;
        } catch (RuntimeException e) {
          yield 0;
        }
      }
      default -> 0;
    };
  }

  /** spf13/cast's {@code ToFloat64}. */
  static double toFloat64(Object v) {
    return switch (v) {
      case Long l -> l;
      case Double d -> d;
      case Boolean b -> b ? 1 : 0;
      case String s -> {
        try {
          yield GoStrconv.parseFloat(s);
        } catch (NumberFormatException e) {
          yield 0;
        }
      }
      default -> 0;
    };
  }

  private static String toStr(Object v) {
    return v instanceof String s ? s : Exec.print(v);
  }

  static Object call(String name, List<Object> a, Context ctx) throws Exec.Failure {
    switch (name) {
      case "__line__" -> {
        arity(name, a, 0);
        return ctx.line;
      }
      case "__timestamp__" -> {
        arity(name, a, 0);
        return GoTime.ofNanos(ctx.timestampNanos);
      }
      case "ToLower", "lower" -> {
        arity(name, a, 1);
        return str(a.get(0)).toLowerCase(java.util.Locale.ROOT);
      }
      case "ToUpper", "upper" -> {
        arity(name, a, 1);
        return str(a.get(0)).toUpperCase(java.util.Locale.ROOT);
      }
      case "Replace" -> {
        arity(name, a, 4);
        return replaceN(str(a.get(0)), str(a.get(1)), str(a.get(2)), integer(a.get(3)));
      }
      case "replace" -> {
        arity(name, a, 3);
        return replaceN(str(a.get(2)), str(a.get(0)), str(a.get(1)), -1);
      }
      case "Trim" -> {
        arity(name, a, 2);
        return trimSet(str(a.get(0)), str(a.get(1)), true, true);
      }
      case "trimAll" -> {
        arity(name, a, 2);
        return trimSet(str(a.get(1)), str(a.get(0)), true, true);
      }
      case "TrimLeft" -> {
        arity(name, a, 2);
        return trimSet(str(a.get(0)), str(a.get(1)), true, false);
      }
      case "TrimRight" -> {
        arity(name, a, 2);
        return trimSet(str(a.get(0)), str(a.get(1)), false, true);
      }
      case "TrimPrefix" -> {
        arity(name, a, 2);
        String s = str(a.get(0));
        String p = str(a.get(1));
        return s.startsWith(p) ? s.substring(p.length()) : s;
      }
      case "trimPrefix" -> {
        arity(name, a, 2);
        String s = str(a.get(1));
        String p = str(a.get(0));
        return s.startsWith(p) ? s.substring(p.length()) : s;
      }
      case "TrimSuffix" -> {
        arity(name, a, 2);
        String s = str(a.get(0));
        String p = str(a.get(1));
        return s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
      }
      case "trimSuffix" -> {
        arity(name, a, 2);
        String s = str(a.get(1));
        String p = str(a.get(0));
        return s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
      }
      case "TrimSpace", "trim" -> {
        arity(name, a, 1);
        return trimSpace(str(a.get(0)));
      }
      case "regexReplaceAll", "regexReplaceAllLiteral" -> {
        arity(name, a, 3);
        GoRegex re = regex(str(a.get(0)), name);
        String s = str(a.get(1));
        String repl = str(a.get(2));
        return replaceAll(re, s, repl, name.equals("regexReplaceAllLiteral"));
      }
      case "count" -> {
        arity(name, a, 2);
        Matcher m = regex(str(a.get(0)), name).pattern().matcher(str(a.get(1)));
        long n = 0;
        while (m.find()) {
          n++;
        }
        return n;
      }
      case "urldecode" -> {
        arity(name, a, 1);
        return urlDecode(str(a.get(0)));
      }
      case "urlencode" -> {
        arity(name, a, 1);
        return URLEncoder.encode(str(a.get(0)), StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
      }
      case "bytes" -> {
        arity(name, a, 1);
        try {
          return (double) Humanize.parseBytes(str(a.get(0)));
        } catch (IllegalArgumentException e) {
          throw new Exec.Failure("error calling bytes: " + e.getMessage());
        }
      }
      case "duration", "duration_seconds" -> {
        arity(name, a, 1);
        try {
          return GoDuration.parseNanos(str(a.get(0))) / 1e9;
        } catch (IllegalArgumentException e) {
          throw new Exec.Failure("error calling " + name + ": " + e.getMessage());
        }
      }
      case "unixEpochMillis" -> {
        arity(name, a, 1);
        return Long.toString(Math.floorDiv(time(a.get(0)).unixNanos(), 1_000_000L));
      }
      case "unixEpochNanos" -> {
        arity(name, a, 1);
        return Long.toString(time(a.get(0)).unixNanos());
      }
      case "unixEpoch" -> {
        arity(name, a, 1);
        return Long.toString(time(a.get(0)).unixSeconds());
      }
      case "toDateInZone" -> {
        arity(name, a, 3);
        ZoneId zone;
        try {
          zone = ZoneId.of(str(a.get(1)).equals("Local") ? "UTC" : str(a.get(1)));
        } catch (DateTimeException e) {
          zone = ZoneOffset.UTC;
        }
        GoTime t = GoTime.parse(str(a.get(0)), str(a.get(2)), zone);
        return t == null ? GoTime.ZERO : t;
      }
      case "toDate" -> {
        arity(name, a, 2);
        GoTime t = GoTime.parse(str(a.get(0)), str(a.get(1)), ZoneOffset.UTC);
        return t == null ? GoTime.ZERO : t;
      }
      case "unixToTime" -> {
        arity(name, a, 1);
        return unixToTime(str(a.get(0)));
      }
      case "now" -> {
        arity(name, a, 0);
        return GoTime.ofNanos(System.currentTimeMillis() * 1_000_000L);
      }
      case "date" -> {
        arity(name, a, 2);
        String layout = str(a.get(0));
        Object d = a.get(1);
        GoTime t = d instanceof GoTime g ? g : d instanceof Long l ? GoTime.ofNanos(l * 1_000_000_000L)
            : GoTime.ofNanos(System.currentTimeMillis() * 1_000_000L);
        return t.format(layout);
      }
      case "alignLeft", "alignRight" -> {
        arity(name, a, 2);
        return align(integer(a.get(0)), str(a.get(1)), name.equals("alignLeft"));
      }
      case "b64dec" -> {
        arity(name, a, 1);
        return b64dec(str(a.get(0)));
      }
      case "b64enc" -> {
        arity(name, a, 1);
        return Base64.getEncoder().encodeToString(toStr(a.get(0)).getBytes(StandardCharsets.UTF_8));
      }
      case "title" -> {
        arity(name, a, 1);
        return title(str(a.get(0)));
      }
      case "trunc" -> {
        arity(name, a, 2);
        return trunc(integer(a.get(0)), str(a.get(1)));
      }
      case "substr" -> {
        arity(name, a, 3);
        return substring(integer(a.get(0)), integer(a.get(1)), str(a.get(2)));
      }
      case "contains" -> {
        arity(name, a, 2);
        return str(a.get(1)).contains(str(a.get(0)));
      }
      case "hasPrefix" -> {
        arity(name, a, 2);
        return str(a.get(1)).startsWith(str(a.get(0)));
      }
      case "hasSuffix" -> {
        arity(name, a, 2);
        return str(a.get(1)).endsWith(str(a.get(0)));
      }
      case "indent", "nindent" -> {
        arity(name, a, 2);
        String pad = " ".repeat((int) Math.max(0, integer(a.get(0))));
        String s = pad + str(a.get(1)).replace("\n", "\n" + pad);
        return name.equals("nindent") ? "\n" + s : s;
      }
      case "repeat" -> {
        arity(name, a, 2);
        long n = integer(a.get(0));
        if (n < 0) {
          throw new Exec.Failure("error calling repeat: strings: negative Repeat count");
        }
        return str(a.get(1)).repeat((int) n);
      }
      case "int" -> {
        arity(name, a, 1);
        return toInt64(a.get(0));
      }
      case "float64" -> {
        arity(name, a, 1);
        return toFloat64(a.get(0));
      }
      case "add" -> {
        long s = 0;
        for (Object o : a) {
          s += toInt64(o);
        }
        return s;
      }
      case "sub" -> {
        arity(name, a, 2);
        return toInt64(a.get(0)) - toInt64(a.get(1));
      }
      case "mul" -> {
        atLeast(name, a, 1);
        long p = toInt64(a.get(0));
        for (int i = 1; i < a.size(); i++) {
          p *= toInt64(a.get(i));
        }
        return p;
      }
      case "div", "mod" -> {
        arity(name, a, 2);
        long d = toInt64(a.get(1));
        if (d == 0) {
          throw new Exec.Failure("error calling " + name + ": runtime error: integer divide by zero");
        }
        return name.equals("div") ? toInt64(a.get(0)) / d : toInt64(a.get(0)) % d;
      }
      case "addf", "subf", "mulf", "divf" -> {
        if (!name.equals("addf")) {
          atLeast(name, a, 1);
        }
        return decimalOp(name, a);
      }
      case "max", "min" -> {
        atLeast(name, a, 1);
        long best = toInt64(a.get(0));
        for (int i = 1; i < a.size(); i++) {
          long v = toInt64(a.get(i));
          best = name.equals("max") ? Math.max(best, v) : Math.min(best, v);
        }
        return best;
      }
      case "maxf", "minf" -> {
        atLeast(name, a, 1);
        double best = toFloat64(a.get(0));
        for (int i = 1; i < a.size(); i++) {
          double v = toFloat64(a.get(i));
          best = name.equals("maxf") ? Math.max(best, v) : Math.min(best, v);
        }
        return best;
      }
      case "ceil" -> {
        arity(name, a, 1);
        return Math.ceil(toFloat64(a.get(0)));
      }
      case "floor" -> {
        arity(name, a, 1);
        return Math.floor(toFloat64(a.get(0)));
      }
      case "round" -> {
        atLeast(name, a, 2);
        double roundOn = a.size() > 2 ? toFloat64(a.get(2)) : .5;
        double val = toFloat64(a.get(0));
        double pow = Math.pow(10, toFloat64(integer(a.get(1))));
        double digit = pow * val;
        double frac = digit - (long) digit;
        return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
      }
      case "fromJson" -> {
        arity(name, a, 1);
        Object v = JsonValue.parse(str(a.get(0)));
        return v == null ? Exec.NIL : v;
      }
      case "default" -> {
        atLeast(name, a, 1);
        if (a.size() == 1 || !Exec.truth(a.get(1)) || a.get(1) == Exec.NIL) {
          return a.get(0);
        }
        return a.get(1);
      }
      default -> {
        return builtin(name, a);
      }
    }
  }

  private static Object builtin(String name, List<Object> a) throws Exec.Failure {
    switch (name) {
      case "not" -> {
        arity(name, a, 1);
        return !Exec.truth(a.get(0));
      }
      case "len" -> {
        arity(name, a, 1);
        return switch (a.get(0)) {
          case String s -> (long) s.getBytes(StandardCharsets.UTF_8).length;
          case Map<?, ?> m -> (long) m.size();
          case List<?> l -> (long) l.size();
          default -> throw new Exec.Failure("error calling len: len of type " + Exec.typeName(a.get(0)));
        };
      }
      case "index" -> {
        atLeast(name, a, 1);
        Object v = a.get(0);
        for (int i = 1; i < a.size(); i++) {
          Object k = a.get(i);
          if (v instanceof Map<?, ?> m) {
            Object x = m.get(toStr(k));
            v = x == null ? Exec.NIL : x;
          } else if (v instanceof List<?> l && k instanceof Long idx) {
            if (idx < 0 || idx >= l.size()) {
              throw new Exec.Failure("error calling index: index out of range: " + idx);
            }
            v = l.get((int) (long) idx);
          } else {
            throw new Exec.Failure("error calling index: can't index item of type " + Exec.typeName(v));
          }
        }
        return v;
      }
      case "print" -> {
        return sprint(a);
      }
      case "println" -> {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
          if (i > 0) {
            b.append(' ');
          }
          b.append(Exec.print(a.get(i)));
        }
        return b.append('\n').toString();
      }
      case "printf" -> {
        atLeast(name, a, 1);
        return Printf.format(str(a.get(0)), a.subList(1, a.size()));
      }
      case "urlquery" -> {
        return URLEncoder.encode(sprint(a), StandardCharsets.UTF_8);
      }
      case "html", "js" -> {
        String s = sprint(a);
        return name.equals("html") ? s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\"", "&#34;").replace("'", "&#39;") : s.replace("\\", "\\\\").replace("'", "\\'")
            .replace("\"", "\\\"");
      }
      case "eq", "ne", "lt", "le", "gt", "ge" -> {
        return compare(name, a);
      }
      default -> throw new Exec.Failure("function \"" + name + "\" not defined");
    }
  }

  /** {@code fmt.Sprint}: spaces between operands when neither is a string. */
  private static String sprint(List<Object> a) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      if (i > 0 && !(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String)) {
        b.append(' ');
      }
      b.append(Exec.print(a.get(i)));
    }
    return b.toString();
  }

  private static Object compare(String op, List<Object> a) throws Exec.Failure {
    atLeast(op, a, op.equals("eq") ? 1 : 2);
    if (op.equals("eq")) {
      for (int i = 1; i < a.size(); i++) {
        if (cmp(a.get(0), a.get(i), true) == 0) {
          return true;
        }
      }
      return false;
    }
    arity(op, a, 2);
    int c = cmp(a.get(0), a.get(1), op.equals("ne"));
    return switch (op) {
      case "ne" -> c != 0;
      case "lt" -> c < 0;
      case "le" -> c <= 0;
      case "gt" -> c > 0;
      default -> c >= 0;
    };
  }

  private static int cmp(Object x, Object y, boolean equality) throws Exec.Failure {
    if (x instanceof Long a && y instanceof Long b) {
      return Long.compare(a, b);
    }
    if (x instanceof Double a && y instanceof Double b) {
      return Double.compare(a, b);
    }
    if (x instanceof String a && y instanceof String b) {
      return a.compareTo(b);
    }
    if (equality && x instanceof Boolean a && y instanceof Boolean b) {
      return a == b ? 0 : 1;
    }
    if (!equality && x instanceof Boolean) {
      throw new Exec.Failure("error calling lt: invalid type for comparison");
    }
    throw new Exec.Failure("error calling " + (equality ? "eq" : "lt") + ": incompatible types for comparison");
  }

  private static Object decimalOp(String name, List<Object> a) {
    BigDecimal acc = name.equals("addf") ? BigDecimal.ZERO : BigDecimal.valueOf(toFloat64(a.get(0)));
    List<Object> rest = name.equals("addf") ? a : a.subList(1, a.size());
    for (Object o : rest) {
      BigDecimal d = BigDecimal.valueOf(toFloat64(o));
      acc = switch (name) {
        case "addf" -> acc.add(d);
        case "subf" -> acc.subtract(d);
        case "mulf" -> acc.multiply(d);
        default -> d.signum() == 0 ? acc : acc.divide(d, new MathContext(16));
      };
    }
    return acc.doubleValue();
  }

  private static GoRegex regex(String re, String fn) throws Exec.Failure {
    try {
      return GoRegex.parse(re);
    } catch (GoRegex.SyntaxError e) {
      throw new Exec.Failure("error calling " + fn + ": " + e.getMessage());
    }
  }

  /** Go's {@code ReplaceAllString} ({@code $1}, {@code ${name}} expanded) or its literal form. */
  static String replaceAll(GoRegex re, String s, String repl, boolean literal) {
    Matcher m = re.pattern().matcher(s);
    StringBuilder out = new StringBuilder();
    int last = 0;
    int searchFrom = 0;
    while (searchFrom <= s.length() && m.find(searchFrom)) {
      out.append(s, last, m.start());
      if (literal) {
        out.append(repl);
      } else {
        expand(out, repl, m, re.groupNames());
      }
      last = m.end();
      if (m.end() == m.start()) {
        if (m.end() < s.length()) {
          out.append(s, m.end(), s.offsetByCodePoints(m.end(), 1));
          last = s.offsetByCodePoints(m.end(), 1);
        }
        searchFrom = last == m.end() ? m.end() + 1 : last;
      } else {
        searchFrom = m.end();
      }
    }
    if (last < s.length()) {
      out.append(s, last, s.length());
    }
    return out.toString();
  }

  /** Go's {@code Regexp.Expand}: {@code $name} takes the longest run of word characters. */
  private static void expand(StringBuilder out, String t, Matcher m, List<String> names) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c != '$' || i + 1 >= t.length()) {
        out.append(c);
        continue;
      }
      char n = t.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i++;
        continue;
      }
      String name;
      int end;
      if (n == '{') {
        int close = t.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          continue;
        }
        name = t.substring(i + 2, close);
        end = close;
      } else {
        int j = i + 1;
        while (j < t.length() && (Character.isLetterOrDigit(t.charAt(j)) || t.charAt(j) == '_')) {
          j++;
        }
        if (j == i + 1) {
          out.append(c);
          continue;
        }
        name = t.substring(i + 1, j);
        end = j - 1;
      }
      if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
        out.append(c);
        continue;
      }
      int group = -1;
      if (name.chars().allMatch(Character::isDigit)) {
        try {
          group = Integer.parseInt(name);
        } catch (NumberFormatException e) {
          group = -1;
        }
      } else {
        group = names.indexOf(name) + 1;
        if (group == 0) {
          group = -1;
        }
      }
      if (group >= 0 && group <= m.groupCount() && m.group(group) != null) {
        out.append(m.group(group));
      }
      i = end;
    }
  }

  private static String replaceN(String s, String old, String repl, long n) {
    if (n < 0) {
      if (old.isEmpty()) {
        StringBuilder b = new StringBuilder(repl);
        s.codePoints().forEach(cp -> b.appendCodePoint(cp).append(repl));
        return b.toString();
      }
      return s.replace(old, repl);
    }
    StringBuilder b = new StringBuilder();
    int from = 0;
    for (long k = 0; k < n; k++) {
      int i = old.isEmpty() ? (k == 0 ? 0 : from < s.length() ? s.offsetByCodePoints(from, 1) : -1)
          : s.indexOf(old, from);
      if (i < 0) {
        break;
      }
      b.append(s, from, i).append(repl);
      from = i + old.length();
      if (old.isEmpty()) {
        b.append(s, i, from = i < s.length() ? s.offsetByCodePoints(i, 1) : i);
      }
    }
    return b.append(s.substring(Math.min(from, s.length()))).toString();
  }

  private static String trimSet(String s, String cutset, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end && cutset.indexOf(s.codePointAt(start)) >= 0) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (right && end > start && cutset.indexOf(s.codePointBefore(end)) >= 0) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** Go's {@code strings.TrimSpace} (Unicode white space). */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  private static boolean isSpace(int r) {
    return r == ' ' || r >= '\t' && r <= '\r' || r == 0x85 || r == 0xA0 || r > 0xFF && Character.isSpaceChar(r);
  }

  /** Go's {@code url.QueryUnescape}. */
  private static String urlDecode(String s) throws Exec.Failure {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
            || Character.digit(s.charAt(i + 2), 16) < 0) {
          String bad = s.substring(i, Math.min(s.length(), i + 3));
          throw new Exec.Failure("error calling urldecode: invalid URL escape " + GoFormat.quote(bad));
        }
      }
    }
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static GoTime unixToTime(String epoch) throws Exec.Failure {
    long i;
    try {
      i = Long.parseLong(epoch);
    } catch (NumberFormatException e) {
      throw new Exec.Failure("error calling unixToTime: unable to parse time '" + epoch
          + "': strconv.ParseInt: parsing " + GoFormat.quote(epoch) + ": invalid syntax");
    }
    return switch (epoch.length()) {
      case 5 -> GoTime.ofNanos(i * 86400L * 1_000_000_000L);
      case 10 -> GoTime.ofNanos(i * 1_000_000_000L);
      case 13 -> GoTime.ofNanos(i * 1_000_000L);
      case 16 -> GoTime.ofNanos(i * 1_000L);
      case 19 -> GoTime.ofNanos(i);
      default -> throw new Exec.Failure("error calling unixToTime: unable to parse time '" + epoch + "': %!w(<nil>)");
    };
  }

  private static String align(long count, String src, boolean left) {
    int[] runes = src.codePoints().toArray();
    int l = runes.length;
    if (count < 0 || count == l) {
      return src;
    }
    int pad = (int) count - l;
    if (pad > 0) {
      return left ? src + " ".repeat(pad) : " ".repeat(pad) + src;
    }
    return left ? new String(runes, 0, (int) count) : new String(runes, l - (int) count, (int) count);
  }

  /** Loki's {@code base64Decode}: missing padding added; an error becomes the result. */
  private static String b64dec(String v) {
    int rem = v.length() % 4;
    if (rem != 0 && rem != 1) {
      v = v + "=".repeat(4 - rem);
    }
    try {
      return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      int at = 0;
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (!(Character.isLetterOrDigit(c) && c < 128 || c == '+' || c == '/' || c == '=')) {
          at = i;
          break;
        }
        at = i;
      }
      return "illegal base64 data at input byte " + at;
    }
  }

  /** Go's {@code strings.Title}: the first letter of each word upper-cased. */
  private static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    int prev = ' ';
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean sep = prev < 128 ? !(Character.isLetterOrDigit(prev) || prev == '_')
          : Character.isWhitespace(prev);
      b.appendCodePoint(sep ? Character.toTitleCase(cp) : cp);
      prev = cp;
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  private static String trunc(long c, String s) {
    int[] runes = s.codePoints().toArray();
    int l = runes.length;
    if (c < 0 && l + c > 0) {
      return new String(runes, (int) (l + c), (int) -c);
    }
    if (c >= 0 && l > c) {
      return new String(runes, 0, (int) c);
    }
    return s;
  }

  private static String substring(long start, long end, String s) {
    int[] runes = s.codePoints().toArray();
    int l = runes.length;
    if (end > l) {
      end = l;
    }
    if (start > l) {
      start = l;
    }
    if (start < 0) {
      return end < 0 ? "" : new String(runes, 0, (int) end);
    }
    if (end < 0) {
      return new String(runes, (int) start, l - (int) start);
    }
    if (start > end) {
      return "";
    }
    return new String(runes, (int) start, (int) (end - start));
  }

  /** Go's {@code encoding/json} into Go values: objects as maps, numbers as float64. */
  static final class JsonValue {
    private final String s;
    private int i;

    private JsonValue(String s) {
      this.s = s;
    }

    static Object parse(String s) {
      JsonValue p = new JsonValue(s);
      try {
        Object v = p.value();
        p.space();
        return p.i == s.length() ? v : null;
      } catch (RuntimeException e) {
        return null;
      }
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private Object value() {
      space();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          space();
          String k = (String) value();
          space();
          if (s.charAt(i++) != ':') {
            throw new IllegalArgumentException();
          }
          Object v = value();
          m.put(k, v);
          space();
          char d = s.charAt(i++);
          if (d == '}') {
            return m;
          }
          if (d != ',') {
            throw new IllegalArgumentException();
          }
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          space();
          char d = s.charAt(i++);
          if (d == ']') {
            return l;
          }
          if (d != ',') {
            throw new IllegalArgumentException();
          }
        }
      }
      if (c == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (s.charAt(i) != '"') {
          char ch = s.charAt(i++);
          if (ch == '\\') {
            char e = s.charAt(i++);
            switch (e) {
              case 'n' -> b.append('\n');
              case 't' -> b.append('\t');
              case 'r' -> b.append('\r');
              case 'b' -> b.append('\b');
              case 'f' -> b.append('\f');
              case 'u' -> {
                b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                i += 4;
              }
              default -> b.append(e);
            }
          } else {
            b.append(ch);
          }
        }
        i++;
        return b.toString();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return Exec.NIL;
      }
      int st = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      return Double.parseDouble(s.substring(st, i));
    }
  }
}
