package io.sightline.logql.syntax;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A yacc grammar as data: terminals in declaration order (after goyacc's three built-ins {@code $end}, {@code error}
 * and {@code $unk}), precedence levels, and rules with their semantic actions. {@link LrTables} turns it into parse
 * tables. Symbols are numbered terminals first ({@code 0..terminals-1}), then nonterminals; rule 0 is
 * {@code $accept: start $end}, as goyacc adds it.
 */
final class Grammar {
  static final int END = 0;
  static final int ERROR = 1;

  /** A rule's semantic action: the values of its right-hand side in, the value of its left-hand side out. */
  @FunctionalInterface
  interface Action {
    Object reduce(Object[] values);
  }

  record Rule(int lhs, int[] rhs, int precedence, Action action) {}

  private final List<String> terminals = new ArrayList<>();
  private final List<String> displayNames = new ArrayList<>();
  private final List<Integer> levels = new ArrayList<>();
  private final List<Character> associativity = new ArrayList<>();
  private final List<String> nonterminals = new ArrayList<>();
  private final Map<String, Integer> symbols = new HashMap<>();
  private final List<Rule> rules = new ArrayList<>();
  private final List<String[]> pendingRules = new ArrayList<>();
  private final List<Action> pendingActions = new ArrayList<>();
  private int level;

  Grammar() {
    token("$end", "$end");
    token("error", "error");
    token("$unk", "$unk");
  }

  /** Declares a terminal; {@code display} is how error messages name it. Returns its number. */
  int token(String name, String display) {
    symbols.put(name, terminals.size());
    terminals.add(name);
    displayNames.add(display);
    levels.add(0);
    associativity.add(' ');
    return terminals.size() - 1;
  }

  /** Declares terminals of one precedence level, higher than the previous call's ({@code %left}/{@code %right}). */
  void precedence(char assoc, String... names) {
    level++;
    for (String n : names) {
      Integer t = symbols.get(n);
      if (t == null) {
        t = token(n, n);
      }
      levels.set(t, level);
      associativity.set(t, assoc);
    }
  }

  /** Renames a terminal in error messages (Loki names most punctuation by its text). */
  void display(String name, String display) {
    displayNames.set(symbols.get(name), display);
  }

  /** {@code lhs: body} where body is a space-separated list of symbol names, empty for an empty rule. */
  void rule(String lhs, String body, Action action) {
    pendingRules.add(new String[] {lhs, body});
    pendingActions.add(action);
  }

  /** Resolves names once all rules are in: nonterminals are the rules' left-hand sides, numbered in order. */
  void complete(String start) {
    nonterminals.add("$accept");
    for (String[] r : pendingRules) {
      if (!symbols.containsKey(r[0])) {
        symbols.put(r[0], -1);
        nonterminals.add(r[0]);
      }
    }
    int t = terminals.size();
    for (int i = 0; i < nonterminals.size(); i++) {
      symbols.put(nonterminals.get(i), t + i);
    }
    rules.add(new Rule(t, new int[] {symbol(start), END}, 0, null));
    for (int i = 0; i < pendingRules.size(); i++) {
      String[] r = pendingRules.get(i);
      String[] names = r[1].isBlank() ? new String[0] : r[1].trim().split("\\s+");
      int[] rhs = new int[names.length];
      int prec = 0;
      for (int j = 0; j < names.length; j++) {
        rhs[j] = symbol(names[j]);
        if (rhs[j] < t) {
          // goyacc: a rule takes the level of the last terminal in its body, even one without a level.
          prec = levels.get(rhs[j]);
        }
      }
      rules.add(new Rule(symbol(r[0]), rhs, prec, pendingActions.get(i)));
    }
  }

  private int symbol(String name) {
    Integer s = symbols.get(name);
    if (s == null || s < 0) {
      throw new IllegalArgumentException("unknown symbol " + name);
    }
    return s;
  }

  int terminal(String name) {
    return symbol(name);
  }

  int terminalCount() {
    return terminals.size();
  }

  int nonterminalCount() {
    return nonterminals.size();
  }

  String name(int terminal) {
    return terminals.get(terminal);
  }

  String displayName(int terminal) {
    return displayNames.get(terminal);
  }

  int level(int terminal) {
    return levels.get(terminal);
  }

  char associativity(int terminal) {
    return associativity.get(terminal);
  }

  List<Rule> rules() {
    return rules;
  }
}
