package io.sightline.logql.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression in Go's syntax ({@code regexp/syntax} with Perl flags, which Loki uses everywhere), parsed
 * once into three things:
 *
 * <ul>
 *   <li>Go's error for an invalid expression, word for word ({@code error parsing regexp: missing closing ):
 *       `(a`}), thrown as {@link SyntaxError};
 *   <li>the shape of Go's parse tree ({@link #tree()}) where Loki's filter simplifier looks at it: literal strings
 *       (adjacent characters joined, with their case-folding flag), {@code .*}, {@code .+}, concatenations and
 *       alternations after Go's factoring of common prefixes and of single characters into classes;
 *   <li>an equivalent {@link Pattern}: Go's {@code $} is the end of the text, {@code .} stops only at {@code \n},
 *       {@code \s} has no vertical tab, POSIX classes, octal escapes, {@code (?U)}, and every group is numbered in
 *       order with its Go name kept in {@link #groupNames()} (Java refuses names such as {@code status_code}).
 * </ul>
 */
public final class GoRegex {
  /** An expression Go's regexp package refuses; the message is Go's {@code Error()}. */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String code, String expr) {
      super("error parsing regexp: " + code + ": `" + expr + "`");
    }
  }

  /** The parts of Go's parse tree that matter to Loki's simplifier. */
  public sealed interface Node {
    /** Characters in a row; {@code fold} when case-insensitive. */
    record Literal(String text, boolean fold) implements Node {}

    /** {@code .} without the s flag. */
    record AnyNotNl() implements Node {}

    /** {@code .} with the s flag. */
    record AnyChar() implements Node {}

    /** {@code sub*}, {@code sub+}, {@code sub?} ({@code min}/{@code max} 0/-1, 1/-1, 0/1) or another repeat. */
    record Repeat(Node sub, int min, int max) implements Node {}

    record Capture(Node sub) implements Node {}

    record Concat(List<Node> subs) implements Node {}

    record Alternate(List<Node> subs) implements Node {}

    record Empty() implements Node {}

    /** A character class: one character, to be merged with others by alternation factoring. */
    record CharClass() implements Node {}

    /** Anything else (anchors, word boundaries). */
    record Other() implements Node {}
  }

  private static final Map<String, String> POSIX = Map.ofEntries(
      Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\x{0}-\\x{7F}"),
      Map.entry("blank", "\\t "), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "0-9"),
      Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "a-z"), Map.entry("print", "\\x{20}-\\x{7E}"),
      Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\t\\n\\x{0B}\\f\\r "), Map.entry("upper", "A-Z"),
      Map.entry("word", "0-9A-Za-z_"), Map.entry("xdigit", "0-9A-Fa-f"));

  private final String source;
  private final Node tree;
  private final List<String> groupNames;
  private final Pattern pattern;

  private GoRegex(String source, Node tree, List<String> groupNames, Pattern pattern) {
    this.source = source;
    this.tree = tree;
    this.groupNames = groupNames;
    this.pattern = pattern;
  }

  public static GoRegex parse(String regex) throws SyntaxError {
    return parse(regex, false);
  }

  /**
   * @param dotNl whether {@code .} matches a newline from the start (Go's {@code DotNL} flag, which Prometheus'
   *     label matchers set)
   */
  public static GoRegex parse(String regex, boolean dotNl) throws SyntaxError {
    Parser p = new Parser(regex);
    p.dotNl = dotNl;
    Node n = p.parseAll();
    Pattern compiled;
    try {
      compiled = Pattern.compile(p.java.toString(), Pattern.UNIX_LINES);
    } catch (PatternSyntaxException e) {
      // Only Unicode class names reach Java unchecked; Go reports those as a bad range.
      throw new SyntaxError("invalid character class range", regex);
    }
    return new GoRegex(regex, n, List.copyOf(p.names), compiled);
  }

  /** As {@link #parse}, for expressions already checked. */
  public static GoRegex of(String regex) {
    try {
      return parse(regex);
    } catch (SyntaxError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public String source() {
    return source;
  }

  public Node tree() {
    return tree;
  }

  /** Names of the capture groups 1..n ({@code ""} for unnamed ones); index 0 is the whole match. */
  public List<String> groupNames() {
    return groupNames;
  }

  /** Finds anywhere; use {@link #anchored()} for a full match. */
  public Pattern pattern() {
    return pattern;
  }

  /** {@code ^(?:re)$} as Go writes it for label matchers, with Go's end-of-text {@code $}. */
  public Pattern anchored() {
    return Pattern.compile("^(?:" + pattern.pattern() + ")\\z", Pattern.UNIX_LINES);
  }

  private static final class Parser {
    private final String s;
    private int pos;
    final StringBuilder java = new StringBuilder();
    final List<String> names = new ArrayList<>();
    private boolean fold;
    private boolean dotNl;
    private boolean multiline;
    private boolean ungreedy;

    Parser(String s) {
      this.s = s;
    }

    Node parseAll() throws SyntaxError {
      Node n = alternation();
      if (pos < s.length()) {
        // Only an unmatched ')' stops the top level early.
        throw new SyntaxError("unexpected )", s);
      }
      return n;
    }

    private Node alternation() throws SyntaxError {
      List<Node> branches = new ArrayList<>();
      branches.add(concat());
      while (pos < s.length() && s.charAt(pos) == '|') {
        pos++;
        java.append('|');
        branches.add(concat());
      }
      return branches.size() == 1 ? branches.get(0) : factor(branches);
    }

    private Node concat() throws SyntaxError {
      List<Node> items = new ArrayList<>();
      int lastRepeatStart = -1;
      int lastAtomJava = -1;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '|' || c == ')') {
          break;
        }
        if (c == '*' || c == '+' || c == '?' || c == '{' && repeatEnd(pos) > 0) {
          int opStart = pos;
          int min;
          int max;
          if (c == '{') {
            int end = repeatEnd(pos);
            int[] mm = repeatBounds(s.substring(pos + 1, end - 1));
            min = mm[0];
            max = mm[1];
            pos = end;
            if (min > 1000 || max > 1000 || max >= 0 && min > max) {
              throw new SyntaxError("invalid repeat count", s.substring(opStart, pos));
            }
          } else {
            pos++;
            min = c == '+' ? 1 : 0;
            max = c == '?' ? 1 : -1;
          }
          boolean lazy = pos < s.length() && s.charAt(pos) == '?';
          if (lazy) {
            pos++;
          }
          if (lastRepeatStart >= 0) {
            throw new SyntaxError("invalid nested repetition operator", s.substring(lastRepeatStart, pos));
          }
          if (items.isEmpty() || lastAtomJava < 0) {
            throw new SyntaxError("missing argument to repetition operator", s.substring(opStart, pos));
          }
          lastRepeatStart = opStart;
          String q = c == '{' ? (max == -1 ? "{" + min + ",}" : min == max ? "{" + min + "}"
              : "{" + min + "," + max + "}") : String.valueOf(c);
          java.append(q);
          if (lazy != ungreedy) {
            java.append('?');
          }
          Node sub = items.remove(items.size() - 1);
          if (sub instanceof Node.Literal l && l.text().codePointCount(0, l.text().length()) > 1) {
            // The operator binds to the last character only, as in Go, where literals merge lazily.
            int last = l.text().offsetByCodePoints(l.text().length(), -1);
            items.add(new Node.Literal(l.text().substring(0, last), l.fold()));
            sub = new Node.Literal(l.text().substring(last), l.fold());
          }
          items.add(simplifyRepeat(sub, min, max));
          continue;
        }
        lastRepeatStart = -1;
        int before = java.length();
        Node atom = atom();
        if (atom == null) {
          lastAtomJava = -1; // a flag group: nothing to repeat
          continue;
        }
        lastAtomJava = before;
        if (atom instanceof Node.Literal l && !items.isEmpty()
            && items.get(items.size() - 1) instanceof Node.Literal prev && prev.fold() == l.fold()) {
          items.set(items.size() - 1, new Node.Literal(prev.text() + l.text(), l.fold()));
        } else {
          items.add(atom);
        }
      }
      if (items.isEmpty()) {
        return new Node.Empty();
      }
      return items.size() == 1 ? items.get(0) : new Node.Concat(items);
    }

    private static Node simplifyRepeat(Node sub, int min, int max) {
      if (min == 1 && max == 1) {
        return sub;
      }
      if (min == 0 && max == 0) {
        return new Node.Empty();
      }
      return new Node.Repeat(sub, min, max);
    }

    /** The end (exclusive) of a valid {@code {n}}, {@code {n,}}, {@code {n,m}} at {@code at}, or -1 (a literal). */
    private int repeatEnd(int at) {
      int i = at + 1;
      int digits = 0;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
        digits++;
      }
      if (digits == 0) {
        return -1;
      }
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
      }
      return i < s.length() && s.charAt(i) == '}' ? i + 1 : -1;
    }

    private static int[] repeatBounds(String inner) {
      int comma = inner.indexOf(',');
      int min = parseBound(comma < 0 ? inner : inner.substring(0, comma));
      int max = comma < 0 ? min : comma == inner.length() - 1 ? -1 : parseBound(inner.substring(comma + 1));
      return new int[] {min, max};
    }

    private static int parseBound(String d) {
      return d.length() > 4 ? 100_000 : Integer.parseInt(d);
    }

    /** One atom; null for a flag group such as {@code (?i)}. */
    private Node atom() throws SyntaxError {
      char c = s.charAt(pos);
      switch (c) {
        case '(' -> {
          return group();
        }
        case '[' -> {
          charClass();
          return new Node.CharClass();
        }
        case '.' -> {
          pos++;
          java.append(dotNl ? "(?s:.)" : "(?-s:.)");
          return dotNl ? new Node.AnyChar() : new Node.AnyNotNl();
        }
        case '^' -> {
          pos++;
          java.append(multiline ? "(?m:^)" : "\\A");
          return new Node.Other();
        }
        case '$' -> {
          pos++;
          java.append(multiline ? "(?m:$)" : "\\z");
          return new Node.Other();
        }
        case '\\' -> {
          return escape();
        }
        default -> {
          int cp = s.codePointAt(pos);
          pos += Character.charCount(cp);
          literal(cp);
          return new Node.Literal(new String(Character.toChars(cp)), fold);
        }
      }
    }

    private void literal(int cp) {
      if (cp < 128 && Character.isLetterOrDigit(cp)) {
        java.appendCodePoint(cp);
      } else {
        java.append("\\x{").append(Integer.toHexString(cp)).append('}');
      }
    }

    private Node group() throws SyntaxError {
      int start = pos;
      pos++;
      boolean saveFold = fold;
      boolean saveDot = dotNl;
      boolean saveMulti = multiline;
      boolean saveUngreedy = ungreedy;
      String name = null;
      boolean capture = true;
      if (pos < s.length() && s.charAt(pos) == '?') {
        if (s.startsWith("?P<", pos) || s.startsWith("?<", pos) && !s.startsWith("?<=", pos)
            && !s.startsWith("?<!", pos)) {
          int nameStart = pos + (s.charAt(pos + 1) == 'P' ? 3 : 2);
          int end = s.indexOf('>', nameStart);
          if (end < 0) {
            throw new SyntaxError("invalid named capture", s.substring(start));
          }
          name = s.substring(nameStart, end);
          if (name.isEmpty() || !name.chars().allMatch(ch -> ch == '_' || ch < 128 && Character.isLetterOrDigit(ch))) {
            throw new SyntaxError("invalid named capture", s.substring(start, end + 1));
          }
          pos = end + 1;
        } else {
          // Flags: (?flags) or (?flags:re)
          int i = pos + 1;
          boolean negate = false;
          boolean any = false;
          boolean f = fold;
          boolean d = dotNl;
          boolean m = multiline;
          boolean u = ungreedy;
          while (true) {
            if (i >= s.length()) {
              throw new SyntaxError("missing closing )", s);
            }
            char c = s.charAt(i);
            if (c == 'i' || c == 's' || c == 'm' || c == 'U') {
              boolean v = !negate;
              switch (c) {
                case 'i' -> f = v;
                case 's' -> d = v;
                case 'm' -> m = v;
                default -> u = v;
              }
              any = true;
              i++;
            } else if (c == '-' && !negate) {
              negate = true;
              any = false;
              i++;
            } else if (c == ')' || c == ':') {
              if (negate && !any) {
                throw new SyntaxError("invalid or unsupported Perl syntax", s.substring(start, i + 1));
              }
              pos = i + 1;
              if (c == ')') {
                fold = f;
                dotNl = d;
                multiline = m;
                ungreedy = u;
                java.append("(?").append(fold ? "iu" : "-iu").append(")");
                return null;
              }
              capture = false;
              fold = f;
              dotNl = d;
              multiline = m;
              ungreedy = u;
              break;
            } else {
              throw new SyntaxError("invalid or unsupported Perl syntax", s.substring(start, i + 1));
            }
          }
        }
      }
      if (capture) {
        names.add(name == null ? "" : name);
        java.append('(');
      } else {
        java.append("(?:");
      }
      java.append("(?").append(fold ? "iu" : "-iu").append(')');
      Node inner = alternation();
      if (pos >= s.length() || s.charAt(pos) != ')') {
        throw new SyntaxError("missing closing )", s);
      }
      pos++;
      java.append(')');
      fold = saveFold;
      dotNl = saveDot;
      multiline = saveMulti;
      ungreedy = saveUngreedy;
      if (capture) {
        return new Node.Capture(inner);
      }
      return inner;
    }

    /** Steps over the backslash at {@code pos} and the code point after it, which it returns. */
    private int afterBackslash() throws SyntaxError {
      pos++;
      if (pos >= s.length()) {
        throw new SyntaxError("trailing backslash at end of expression", "");
      }
      int c = s.codePointAt(pos);
      pos += Character.charCount(c);
      return c;
    }

    private Node escape() throws SyntaxError {
      int start = pos;
      int c = afterBackslash();
      switch (c) {
        case 'A' -> {
          java.append("\\A");
          return new Node.Other();
        }
        case 'z' -> {
          java.append("\\z");
          return new Node.Other();
        }
        case 'b', 'B' -> {
          java.append('\\').appendCodePoint(c);
          return new Node.Other();
        }
        case 'Q' -> {
          int end = s.indexOf("\\E", pos);
          String lit = end < 0 ? s.substring(pos) : s.substring(pos, end);
          pos = end < 0 ? s.length() : end + 2;
          if (lit.isEmpty()) {
            return null;
          }
          lit.codePoints().forEach(this::literal);
          return new Node.Literal(lit, fold);
        }
        case 'd', 'D', 's', 'S', 'w', 'W', 'p', 'P' -> {
          pos = start;
          java.append('[');
          classEscape();
          java.append(']');
          return new Node.CharClass();
        }
        default -> {
          pos = start;
          int cp = escapedChar();
          literal(cp);
          return new Node.Literal(new String(Character.toChars(cp)), fold);
        }
      }
    }

    /** A single-character escape at {@code pos} (which is at the backslash): its code point. */
    private int escapedChar() throws SyntaxError {
      int start = pos;
      int c = afterBackslash();
      switch (c) {
        case '1', '2', '3', '4', '5', '6', '7', '0' -> {
          // Go: a single non-zero digit would be a back-reference, which it refuses; otherwise octal.
          if (c != '0' && (pos >= s.length() || s.charAt(pos) < '0' || s.charAt(pos) > '7')) {
            throw new SyntaxError("invalid escape sequence", s.substring(start, pos));
          }
          int v = c - '0';
          for (int k = 1; k < 3 && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; k++) {
            v = v * 8 + (s.charAt(pos++) - '0');
          }
          return v;
        }
        case 'x' -> {
          if (pos < s.length() && s.charAt(pos) == '{') {
            int end = s.indexOf('}', pos);
            String hex = end < 0 ? "" : s.substring(pos + 1, end);
            if (end < 0 || hex.isEmpty() || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)
                || hex.length() > 8 || Long.parseLong(hex, 16) > 0x10FFFF) {
              pos = end < 0 ? s.length() : end + 1;
              throw new SyntaxError("invalid escape sequence", s.substring(start, pos));
            }
            pos = end + 1;
            return Integer.parseInt(hex, 16);
          }
          if (pos + 2 > s.length() || Character.digit(s.charAt(pos), 16) < 0
              || Character.digit(s.charAt(pos + 1), 16) < 0) {
            pos = Math.min(s.length(), pos + 2);
            throw new SyntaxError("invalid escape sequence", s.substring(start, pos));
          }
          pos += 2;
          return Integer.parseInt(s.substring(pos - 2, pos), 16);
        }
        case 'a' -> {
          return 7;
        }
        case 'f' -> {
          return '\f';
        }
        case 'n' -> {
          return '\n';
        }
        case 'r' -> {
          return '\r';
        }
        case 't' -> {
          return '\t';
        }
        case 'v' -> {
          return 0x0B;
        }
        default -> {
          if (c < 128 && !Character.isLetterOrDigit(c)) {
            return c; // escaped punctuation
          }
          throw new SyntaxError("invalid escape sequence", s.substring(start, pos));
        }
      }
    }

    /** {@code \d \s \w \pX \p{Name}} and negations at {@code pos}, written as class content. */
    private void classEscape() throws SyntaxError {
      int start = pos;
      char c = s.charAt(pos + 1);
      pos += 2;
      switch (c) {
        case 'd' -> java.append("0-9");
        case 'D' -> java.append("[^0-9]");
        case 's' -> java.append("\\t\\n\\f\\r ");
        case 'S' -> java.append("[^\\t\\n\\f\\r ]");
        case 'w' -> java.append("0-9A-Za-z_");
        case 'W' -> java.append("[^0-9A-Za-z_]");
        default -> {
          boolean negate = c == 'P';
          if (pos >= s.length()) {
            throw new SyntaxError("invalid character class range", s.substring(start));
          }
          String name;
          if (s.charAt(pos) == '{') {
            int end = s.indexOf('}', pos);
            if (end < 0) {
              throw new SyntaxError("invalid character class range", s.substring(start));
            }
            name = s.substring(pos + 1, end);
            pos = end + 1;
          } else {
            int cp = s.codePointAt(pos);
            pos += Character.charCount(cp);
            name = new String(Character.toChars(cp));
          }
          if (name.startsWith("^")) {
            negate = !negate;
            name = name.substring(1);
          }
          String javaName = name.equals("Any") ? null : name.length() <= 2 ? name : "Is" + name;
          String cls = javaName == null ? "\\x{0}-\\x{10FFFF}" : "\\p{" + javaName + "}";
          try {
            Pattern.compile("[" + cls + "]");
          } catch (PatternSyntaxException e) {
            throw new SyntaxError("invalid character class range", s.substring(start, pos));
          }
          java.append(negate ? "[^" + cls + "]" : cls);
        }
      }
    }

    private void charClass() throws SyntaxError {
      int start = pos;
      pos++;
      java.append('[');
      if (pos < s.length() && s.charAt(pos) == '^') {
        pos++;
        java.append('^'); // with Perl flags Go's negated classes match \n, as Java's do
      }
      boolean first = true;
      while (true) {
        if (pos >= s.length()) {
          throw new SyntaxError("missing closing ]", s.substring(start));
        }
        char c = s.charAt(pos);
        if (c == ']' && !first) {
          pos++;
          break;
        }
        first = false;
        if (c == '[' && s.startsWith("[:", pos)) {
          int end = s.indexOf(":]", pos + 2);
          if (end >= 0) {
            String name = s.substring(pos + 2, end);
            boolean negate = name.startsWith("^");
            String cls = POSIX.get(negate ? name.substring(1) : name);
            if (cls == null) {
              throw new SyntaxError("invalid character class range", s.substring(pos, end + 2));
            }
            pos = end + 2;
            java.append(negate ? "[^" + cls + "]" : cls);
            continue;
          }
        }
        if (c == '\\' && pos + 1 < s.length() && "dDsSwWpP".indexOf(s.charAt(pos + 1)) >= 0) {
          classEscape();
          continue;
        }
        int rangeStart = pos;
        int lo = classChar();
        int hi = lo;
        if (pos + 1 < s.length() && s.charAt(pos) == '-' && s.charAt(pos + 1) != ']') {
          pos++;
          if (s.charAt(pos) == '\\' && pos + 1 < s.length() && "dDsSwWpP".indexOf(s.charAt(pos + 1)) >= 0) {
            throw new SyntaxError("invalid character class range", s.substring(rangeStart, pos + 2));
          }
          hi = classChar();
          if (hi < lo) {
            throw new SyntaxError("invalid character class range", s.substring(rangeStart, pos));
          }
        }
        java.append("\\x{").append(Integer.toHexString(lo)).append('}');
        if (hi != lo) {
          java.append("-\\x{").append(Integer.toHexString(hi)).append('}');
        }
      }
      java.append(']');
    }

    private int classChar() throws SyntaxError {
      if (s.charAt(pos) == '\\') {
        return escapedChar();
      }
      int cp = s.codePointAt(pos);
      pos += Character.charCount(cp);
      return cp;
    }

    // Go's factoring of alternations (regexp/syntax parse.go factor): the parts that change what the simplifier
    // sees are common literal prefixes (round 1), runs of single characters becoming a class (round 3) and runs of
    // empty branches (round 4).
    private static Node factor(List<Node> branches) {
      List<Node> flat = new ArrayList<>();
      for (Node b : branches) {
        if (b instanceof Node.Alternate a) {
          flat.addAll(a.subs());
        } else {
          flat.add(b);
        }
      }
      List<Node> out = new ArrayList<>();
      int start = 0;
      String str = null;
      boolean strFold = false;
      for (int i = 0; i <= flat.size(); i++) {
        String istr = null;
        boolean ifold = false;
        if (i < flat.size()) {
          Node.Literal lead = leading(flat.get(i));
          if (lead != null) {
            istr = lead.text();
            ifold = lead.fold();
          }
          if (istr != null && str != null && ifold == strFold) {
            int same = commonPrefix(str, istr);
            if (same > 0) {
              str = str.substring(0, same);
              continue;
            }
          }
        }
        if (i - start >= 2 && str != null) {
          List<Node> suffixes = new ArrayList<>();
          for (int j = start; j < i; j++) {
            suffixes.add(removeLeading(flat.get(j), str.length()));
          }
          Node suffix = suffixes.size() == 1 ? suffixes.get(0) : factor(suffixes);
          out.add(new Node.Concat(List.of(new Node.Literal(str, strFold), suffix)));
        } else {
          out.addAll(flat.subList(start, i));
        }
        start = i;
        str = istr;
        strFold = ifold;
      }
      List<Node> classes = new ArrayList<>();
      int run = 0;
      for (int i = 0; i <= out.size(); i++) {
        if (i < out.size() && isCharClass(out.get(i))) {
          run++;
          continue;
        }
        if (run == 1) {
          classes.add(out.get(i - 1));
        } else if (run > 1) {
          classes.add(new Node.CharClass());
        }
        run = 0;
        if (i < out.size()) {
          classes.add(out.get(i));
        }
      }
      List<Node> result = new ArrayList<>();
      for (int i = 0; i < classes.size(); i++) {
        if (i + 1 < classes.size() && classes.get(i) instanceof Node.Empty && classes.get(i + 1) instanceof Node.Empty) {
          continue;
        }
        result.add(classes.get(i));
      }
      return result.size() == 1 ? result.get(0) : new Node.Alternate(result);
    }

    private static boolean isCharClass(Node n) {
      return n instanceof Node.Literal l && l.text().codePointCount(0, l.text().length()) == 1
          || n instanceof Node.CharClass || n instanceof Node.AnyChar || n instanceof Node.AnyNotNl;
    }

    private static Node.Literal leading(Node n) {
      if (n instanceof Node.Concat c && !c.subs().isEmpty()) {
        n = c.subs().get(0);
      }
      return n instanceof Node.Literal l ? l : null;
    }

    private static int commonPrefix(String a, String b) {
      int i = 0;
      while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
        i++;
      }
      if (i > 0 && i < a.length() && Character.isLowSurrogate(a.charAt(i))) {
        i--;
      }
      return i;
    }

    private static Node removeLeading(Node n, int len) {
      if (n instanceof Node.Concat c && !c.subs().isEmpty()) {
        List<Node> subs = new ArrayList<>(c.subs());
        Node.Literal l = (Node.Literal) subs.get(0);
        if (l.text().length() == len) {
          subs.remove(0);
        } else {
          subs.set(0, new Node.Literal(l.text().substring(len), l.fold()));
        }
        return subs.isEmpty() ? new Node.Empty() : subs.size() == 1 ? subs.get(0) : new Node.Concat(subs);
      }
      Node.Literal l = (Node.Literal) n;
      return l.text().length() == len ? new Node.Empty() : new Node.Literal(l.text().substring(len), l.fold());
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
