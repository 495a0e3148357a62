package io.sightline.rules.template;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function table, as data: Go's builtins ({@code text/template/funcs.go}) and Prometheus' own
 * ({@code template/template.go}). Each entry names its parameter types so that a wrong argument fails
 * with Go's message instead of a Java exception.
 */
final class Functions {
  /** A function failed: Go reports {@code error calling NAME: MESSAGE}. */
  static final class CallException extends Exception {
    private static final long serialVersionUID = 1L;

    CallException(String message) {
      super(message);
    }
  }

  enum Param { ANY, STRING, SAMPLE, RESULT }

  interface Impl {
    Object call(List<Object> args, Context ctx) throws CallException;
  }

  /** {@code variadic}: the last param repeats, zero or more times. */
  record Func(String name, List<Param> params, boolean variadic, Impl impl) {}

  /** What functions may need besides their arguments. */
  record Context(String externalURL) {}

  static final Map<String, Func> ALL = new LinkedHashMap<>();

  private static final String[] SI_UP = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SI_DOWN = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] IEC = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

  static {
    // Go builtins
    variadic("and", (a, c) -> {
      for (Object o : a) {
        if (!Executor.isTrue(o)) {
          return o;
        }
      }
      return a.get(a.size() - 1);
    }, Param.ANY, Param.ANY);
    variadic("or", (a, c) -> {
      for (Object o : a) {
        if (Executor.isTrue(o)) {
          return o;
        }
      }
      return a.get(a.size() - 1);
    }, Param.ANY, Param.ANY);
    fixed("not", (a, c) -> !Executor.isTrue(a.get(0)), Param.ANY);
    variadic("eq", (a, c) -> {
      for (int i = 1; i < a.size(); i++) {
        if (compare(a.get(0), a.get(i), true) == 0) {
          return true;
        }
      }
      return false;
    }, Param.ANY, Param.ANY);
    fixed("ne", (a, c) -> compare(a.get(0), a.get(1), true) != 0, Param.ANY, Param.ANY);
    fixed("lt", (a, c) -> compare(a.get(0), a.get(1), false) < 0, Param.ANY, Param.ANY);
    fixed("le", (a, c) -> compare(a.get(0), a.get(1), false) <= 0, Param.ANY, Param.ANY);
    fixed("gt", (a, c) -> compare(a.get(0), a.get(1), false) > 0, Param.ANY, Param.ANY);
    fixed("ge", (a, c) -> compare(a.get(0), a.get(1), false) >= 0, Param.ANY, Param.ANY);
    variadic("printf", (a, c) -> GoFormat.sprintf((String) a.get(0), a.subList(1, a.size())), Param.STRING, Param.ANY);
    variadic("print", (a, c) -> sprint(a), Param.ANY);
    variadic("println", (a, c) -> {
      List<String> parts = new ArrayList<>();
      for (Object o : a) {
        parts.add(GoFormat.print(o));
      }
      return String.join(" ", parts) + "\n";
    }, Param.ANY);
    fixed("len", (a, c) -> {
      Object o = a.get(0);
      if (o instanceof String s) {
        return (long) s.getBytes(StandardCharsets.UTF_8).length;
      }
      if (o instanceof Map<?, ?> m) {
        return (long) m.size();
      }
      if (o instanceof List<?> l) {
        return (long) l.size();
      }
      throw new CallException("len of type " + GoFormat.typeName(o));
    }, Param.ANY);
    fixed("index", (a, c) -> {
      if (a.get(0) instanceof Map<?, ?> m) {
        Object v = m.get(a.get(1));
        return v == null ? "" : v;
      }
      if (a.get(0) instanceof List<?> l && a.get(1) instanceof Long i) {
        if (i < 0 || i >= l.size()) {
          throw new CallException("error calling index: index out of range: " + i);
        }
        return l.get(i.intValue());
      }
      throw new CallException("can't index item of type " + GoFormat.typeName(a.get(0)));
    }, Param.ANY, Param.ANY);
    variadic("html", (a, c) -> sprint(a).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&#34;").replace("'", "&#39;"), Param.ANY);
    variadic("urlquery", (a, c) -> URLEncoder.encode(sprint(a), StandardCharsets.UTF_8), Param.ANY);

    // Prometheus
    fixed("query", (a, c) -> {
      throw new CallException("function query not supported yet");
    }, Param.STRING);
    fixed("first", (a, c) -> {
      List<?> v = (List<?>) a.get(0);
      if (v.isEmpty()) {
        throw new CallException("first() called on vector with no elements");
      }
      return v.get(0);
    }, Param.RESULT);
    fixed("label", (a, c) -> ((Sample) a.get(1)).labels().getOrDefault((String) a.get(0), ""), Param.STRING, Param.SAMPLE);
    fixed("value", (a, c) -> ((Sample) a.get(0)).value(), Param.SAMPLE);
    fixed("strvalue", (a, c) -> ((Sample) a.get(0)).labels().getOrDefault("__value__", ""), Param.SAMPLE);
    fixed("sortByLabel", (a, c) -> {
      String label = (String) a.get(0);
      List<Sample> sorted = new ArrayList<>();
      for (Object o : (List<?>) a.get(1)) {
        sorted.add((Sample) o);
      }
      sorted.sort(Comparator.comparing(s -> s.labels().getOrDefault(label, "")));
      return sorted;
    }, Param.STRING, Param.RESULT);
    fixed("humanize", (a, c) -> humanize(toFloat(a.get(0))), Param.ANY);
    fixed("humanize1024", (a, c) -> humanize1024(toFloat(a.get(0))), Param.ANY);
    fixed("humanizeDuration", (a, c) -> humanizeDuration(toFloat(a.get(0))), Param.ANY);
    fixed("humanizePercentage", (a, c) -> GoFormat.formatG(toFloat(a.get(0)) * 100, 4) + "%", Param.ANY);
    fixed("humanizeTimestamp", (a, c) -> {
      double v = toFloat(a.get(0));
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return GoFormat.formatG(v, 4);
      }
      return GoFormat.time(toInstant(v));
    }, Param.ANY);
    fixed("toTime", (a, c) -> toInstant(toFloat(a.get(0))), Param.ANY);
    fixed("title", (a, c) -> title((String) a.get(0)), Param.STRING);
    fixed("toUpper", (a, c) -> ((String) a.get(0)).toUpperCase(Locale.ROOT), Param.STRING);
    fixed("toLower", (a, c) -> ((String) a.get(0)).toLowerCase(Locale.ROOT), Param.STRING);
    fixed("match", (a, c) -> regex((String) a.get(0)).matcher((String) a.get(1)).find(), Param.STRING, Param.STRING);
    fixed("reReplaceAll", (a, c) -> regex((String) a.get(0)).matcher((String) a.get(2))
        .replaceAll(javaReplacement((String) a.get(1))), Param.STRING, Param.STRING, Param.STRING);
    variadic("args", (a, c) -> {
      ArgsMap m = new ArgsMap();
      for (int i = 0; i < a.size(); i++) {
        m.put("arg" + i, a.get(i));
      }
      return m;
    }, Param.ANY);
    fixed("safeHtml", (a, c) -> a.get(0), Param.STRING);
    fixed("stripPort", (a, c) -> stripPort((String) a.get(0)), Param.STRING);
    fixed("parseDuration", (a, c) -> {
      try {
        return io.sightline.rules.Durations.parse((String) a.get(0)).toMillis() / 1000.0;
      } catch (IllegalArgumentException e) {
        throw new CallException(e.getMessage());
      }
    }, Param.STRING);
    fixed("externalURL", (a, c) -> c.externalURL());
    fixed("pathPrefix", (a, c) -> {
      String p = URI.create(c.externalURL()).getRawPath();
      return p == null ? "" : p;
    });
    fixed("tableLink", (a, c) -> "/graph?g0.expr=" + queryEscape((String) a.get(0)) + "&g0.tab=1", Param.STRING);
    fixed("graphLink", (a, c) -> "/graph?g0.expr=" + queryEscape((String) a.get(0)) + "&g0.tab=0", Param.STRING);
  }

  static final Set<String> NAMES = Set.copyOf(ALL.keySet());

  private Functions() {}

  private static void fixed(String name, Impl impl, Param... params) {
    ALL.put(name, new Func(name, List.of(params), false, impl));
  }

  private static void variadic(String name, Impl impl, Param... params) {
    ALL.put(name, new Func(name, List.of(params), true, impl));
  }

  /** Go's {@code fmt.Sprint}: a space between operands when neither is a string. */
  static String sprint(List<Object> args) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0 && !(args.get(i) instanceof String) && !(args.get(i - 1) instanceof String)) {
        b.append(' ');
      }
      b.append(GoFormat.print(args.get(i)));
    }
    return b.toString();
  }

  /** Go's basic-kind comparison: same kinds only; {@code eq}/{@code ne} also take bools. */
  static int compare(Object a, Object b, boolean equality) throws CallException {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof Double x && b instanceof Double y) {
      return x.equals(y) || x.doubleValue() == y.doubleValue() ? 0 : (x < y ? -1 : 1);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      if (!equality) {
        throw new CallException("invalid type for comparison");
      }
      return x.equals(y) ? 0 : 1;
    }
    if (isBasic(a) && isBasic(b)) {
      throw new CallException("incompatible types for comparison");
    }
    throw new CallException(equality ? "incompatible types for comparison" : "invalid type for comparison");
  }

  private static boolean isBasic(Object o) {
    return o instanceof Long || o instanceof Double || o instanceof String || o instanceof Boolean;
  }

  /** Prometheus' {@code convertToFloat}. */
  static double toFloat(Object o) throws CallException {
    if (o instanceof Double d) {
      return d;
    }
    if (o instanceof Long l) {
      return l;
    }
    if (o instanceof String s) {
      try {
        return io.sightline.core.model.GoFormat.parseFloat(s);
      } catch (NumberFormatException e) {
        throw new CallException("strconv.ParseFloat: parsing " + io.sightline.core.model.GoFormat.quote(s) + ": invalid syntax");
      }
    }
    throw new CallException("can't convert " + GoFormat.typeName(o) + " to float");
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : SI_UP) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
    } else {
      for (String p : SI_DOWN) {
        if (Math.abs(v) >= 1) {
          break;
        }
        prefix = p;
        v *= 1000;
      }
    }
    return GoFormat.formatG(v, 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    String prefix = "";
    for (String p : IEC) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFormat.formatG(v, 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    if (v == 0) {
      return GoFormat.formatG(v, 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = v < 0 ? "-" : "";
      v = Math.abs(v);
      long d = (long) v;
      long seconds = d % 60;
      long minutes = (d / 60) % 60;
      long hours = (d / 60 / 60) % 24;
      long days = d / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFormat.formatG(v, 4) + "s";
    }
    String prefix = "";
    for (String p : SI_DOWN) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.formatG(v, 4) + prefix + "s";
  }

  /** Prometheus' {@code floatToTime}: through nanoseconds as int64, then whole milliseconds (model.Time). */
  private static Instant toInstant(double seconds) throws CallException {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      throw new CallException("value is NaN or Inf");
    }
    double nanos = seconds * 1e9;
    if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
      throw new CallException(GoFormat.formatG(seconds, -1)
          + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    return Instant.ofEpochMilli((long) nanos / 1_000_000);
  }

  /** Go's deprecated {@code strings.Title}: upper-cases each letter that follows a separator. */
  static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean sep = true;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      b.appendCodePoint(sep ? Character.toTitleCase(cp) : cp);
      sep = !(Character.isLetterOrDigit(cp) || cp == '_');
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  private static Pattern regex(String pattern) throws CallException {
    try {
      // RE2 spells named groups (?P<name>...); Java only (?<name>...).
      return Pattern.compile(pattern.replace("(?P<", "(?<"));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new CallException("error parsing regexp: " + e.getDescription() + ": `" + pattern + "`");
    }
  }

  /** Go's {@code $1}, {@code ${1}} and {@code ${name}} expand to groups; a lone {@code $} elsewhere is literal. */
  private static String javaReplacement(String go) {
    StringBuilder b = new StringBuilder();
    Matcher m = Pattern.compile("\\$(?:\\{(\\w+)\\}|(\\w+))|\\$\\$|\\\\").matcher(go);
    int last = 0;
    while (m.find()) {
      b.append(Matcher.quoteReplacement(go.substring(last, m.start())));
      String g = m.group(1) != null ? m.group(1) : m.group(2);
      if (m.group().equals("$$")) {
        b.append("\\$");
      } else if (m.group().equals("\\")) {
        b.append("\\\\");
      } else if (g.chars().allMatch(Character::isDigit)) {
        b.append("$").append(Integer.parseInt(g));
      } else {
        b.append("${").append(g).append("}");
      }
      last = m.end();
    }
    b.append(Matcher.quoteReplacement(go.substring(last)));
    return b.toString();
  }

  /** Go's {@code net.SplitHostPort}, keeping the input when it has no port. */
  static String stripPort(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf("]:");
      return close > 0 && hostPort.indexOf(']') == close ? hostPort.substring(1, close) : hostPort;
    }
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0 || hostPort.indexOf(':') != colon) {
      return hostPort;
    }
    return hostPort.substring(0, colon);
  }

  /** Go's {@code url.QueryEscape}: spaces become {@code +}. */
  private static String queryEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
  }
}
