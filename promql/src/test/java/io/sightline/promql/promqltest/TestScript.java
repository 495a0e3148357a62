package io.sightline.promql.promqltest;

import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test script of Prometheus' PromQL suite (its {@code promqltest} format): {@code load}, {@code clear} and
 * {@code eval} commands, read as Prometheus' {@code test.go} reads them. A comment line ends a block as an empty line
 * does.
 */
final class TestScript {

  sealed interface Command permits Load, Clear, Eval {}

  record Load(int line, long intervalMs, boolean withNhcb, List<SeriesDescription> series) implements Command {}

  record Clear(int line) implements Command {}

  enum ExpectType { FAIL, WARN, NO_WARN, INFO, NO_INFO, ORDERED }

  /** An {@code expect} line: the message to equal, or the regex to find, or neither (anything matches). */
  record Expect(String message, Pattern regex) {
    boolean matches(String s) {
      if (message != null) {
        return message.equals(s);
      }
      return regex == null || regex.matcher(s).find();
    }

    @Override
    public String toString() {
      return message != null ? "msg: " + message : regex != null ? "regex: " + regex : "(any)";
    }
  }

  /** An expected series of a result: its position (from 1, for ordered results) and its values. */
  record Expected(int position, List<SeriesDescription.Value> values) {}

  static final class Eval implements Command {
    final int line;
    final String expr;
    final boolean instant;
    long time;
    long start;
    long end;
    long step;
    boolean fail;
    boolean warn;
    boolean info;
    boolean ordered;
    String failMessage;
    Pattern failRegexp;
    final Map<ExpectType, List<Expect>> expects = new EnumMap<>(ExpectType.class);
    boolean expectScalar;
    double scalar;
    String expectedString;
    boolean excludeFromRangeQuery;
    final Map<Labels, Expected> expected = new LinkedHashMap<>();

    Eval(int line, String expr, boolean instant) {
      this.line = line;
      this.expr = expr;
      this.instant = instant;
    }

    boolean isFail() {
      return fail || expects.containsKey(ExpectType.FAIL);
    }

    boolean isOrdered() {
      return ordered || expects.containsKey(ExpectType.ORDERED);
    }
  }

  private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)\\s*$");
  private static final Pattern EVAL_INSTANT = Pattern.compile(
      "^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
  private static final Pattern EVAL_RANGE = Pattern.compile(
      "^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
  private static final Pattern EXPECT = Pattern.compile(
      "^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
  private static final Pattern RANGE_VECTOR = Pattern.compile(
      "^expect range vector\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");

  final List<Command> commands = new ArrayList<>();

  static TestScript parse(String text) {
    String[] raw = text.split("\n", -1);
    String[] lines = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i].strip();
      lines[i] = l.startsWith("#") ? "" : l;
    }
    TestScript script = new TestScript();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      String word = l.split("\\s+", 2)[0].toLowerCase(java.util.Locale.ROOT);
      if (word.equals("clear")) {
        script.commands.add(new Clear(i + 1));
      } else if (word.startsWith("load")) {
        Matcher m = LOAD.matcher(l);
        if (!m.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": invalid load command");
        }
        List<SeriesDescription> series = new ArrayList<>();
        int first = i + 1;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
          series.add(SeriesDescription.parse(lines[++i]));
        }
        script.commands.add(new Load(first, duration(m.group(2)), m.group(1) != null, series));
      } else if (word.startsWith("eval")) {
        i = script.eval(lines, i);
      } else {
        throw new IllegalArgumentException("line " + (i + 1) + ": invalid command " + l);
      }
    }
    return script;
  }

  private int eval(String[] lines, int i) {
    String l = lines[i];
    Matcher instant = EVAL_INSTANT.matcher(l);
    Matcher range = EVAL_RANGE.matcher(l);
    Eval cmd;
    String modifier;
    if (instant.matches()) {
      modifier = instant.group(1);
      cmd = new Eval(i + 1, instant.group(3), true);
      cmd.time = instant.group(2) == null ? 0 : duration(instant.group(2));
    } else if (range.matches()) {
      modifier = range.group(1);
      cmd = new Eval(i + 1, range.group(5), false);
      cmd.start = duration(range.group(2));
      cmd.end = duration(range.group(3));
      cmd.step = duration(range.group(4));
    } else {
      throw new IllegalArgumentException("line " + (i + 1) + ": invalid eval command");
    }
    if (modifier != null) {
      switch (modifier) {
        case "fail" -> cmd.fail = true;
        case "warn" -> cmd.warn = true;
        case "info" -> cmd.info = true;
        case "ordered" -> cmd.ordered = true;
        default -> { }
      }
    }
    int position = 1;
    while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
      String def = lines[++i];
      if (cmd.isFail() && def.startsWith("expected_fail_message")) {
        cmd.failMessage = def.substring("expected_fail_message".length()).strip();
        break;
      }
      if (cmd.isFail() && def.startsWith("expected_fail_regexp")) {
        cmd.failRegexp = Pattern.compile(def.substring("expected_fail_regexp".length()).strip());
        break;
      }
      Matcher rv = RANGE_VECTOR.matcher(def);
      if (rv.matches()) {
        cmd.start = duration(rv.group(1));
        cmd.end = duration(rv.group(2));
        cmd.step = duration(rv.group(3));
        cmd.time = cmd.end;
        cmd.excludeFromRangeQuery = true;
        continue;
      }
      if (def.startsWith("expect string")) {
        cmd.expectedString = SeriesDescription.unquote(def, "expect string ".length(), new int[1]);
        cmd.excludeFromRangeQuery = true;
        continue;
      }
      if (def.split(" ")[0].equals("expect")) {
        Matcher e = EXPECT.matcher(def);
        if (!e.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": invalid expect statement");
        }
        ExpectType type = ExpectType.valueOf(e.group(1).toUpperCase(java.util.Locale.ROOT));
        Expect expect = e.group(2) == null ? new Expect(null, null)
            : e.group(2).equals("msg") ? new Expect(e.group(3).strip(), null)
            : new Expect(null, Pattern.compile(e.group(3).strip()));
        cmd.expects.computeIfAbsent(type, k -> new ArrayList<>()).add(expect);
        continue;
      }
      try {
        cmd.scalar = SeriesDescription.number(def);
        cmd.expectScalar = true;
        break;
      } catch (NumberFormatException notANumber) {
        // a series line
      }
      SeriesDescription series = SeriesDescription.parse(def);
      cmd.expected.put(series.labels(), new Expected(position++, series.values()));
    }
    commands.add(cmd);
    return i;
  }

  /** Prometheus' {@code model.ParseDuration}, plus plain numbers of seconds. */
  static long duration(String s) {
    s = s.strip();
    if (s.matches("-?\\d+(\\.\\d+)?")) {
      return Math.round(Double.parseDouble(s) * 1000);
    }
    Matcher m = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)").matcher(s);
    long total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("bad duration " + s);
      }
      long n = Long.parseLong(m.group(1));
      total += n * switch (m.group(2)) {
        case "y" -> 365 * 86_400_000L;
        case "w" -> 7 * 86_400_000L;
        case "d" -> 86_400_000L;
        case "h" -> 3_600_000L;
        case "m" -> 60_000L;
        case "s" -> 1_000L;
        default -> 1L;
      };
      end = m.end();
    }
    if (end != s.length()) {
      throw new IllegalArgumentException("bad duration " + s);
    }
    return total;
  }
}
