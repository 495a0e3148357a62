package io.sightline.logql.syntax;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LALR(1) parse tables for a {@link Grammar}, built with goyacc's choices so that a syntax error is found in the same
 * state as Loki's generated parser finds it, and its message names the same expected tokens:
 *
 * <ul>
 *   <li>shift/reduce conflicts are settled by precedence, and by shifting where a side has no level;
 *       reduce/reduce conflicts by the lower-numbered rule;
 *   <li>each state's default action is the reduction that covers the most lookaheads (the first such in token
 *       order), except in states that shift {@code error}, whose default is the error;
 *   <li>a syntax error lists the shiftable tokens, then the tokens with their own reduction, at most four, as
 *       goyacc's {@code $$ErrorMessage} does with {@code $$ErrorVerbose}.
 * </ul>
 *
 * <p>Lookaheads are computed with the Dragon book's propagation method over the LR(0) automaton. The tables are
 * built once, when the grammar's class loads (a few milliseconds).
 */
final class LrTables {
  static final int ACCEPT = Integer.MIN_VALUE;

  final Grammar grammar;
  /** [state][terminal]: {@code s+1} shift to s, {@code -r} reduce rule r, {@link #ACCEPT}, or 0 for the default. */
  final int[][] actions;
  /** Per state: the rule reduced by default, or 0 for an error. */
  final int[] defaults;
  /** Per state: whether entries other than shifts remain (goyacc's exception table has the state). */
  final boolean[] exceptions;
  /** [state][nonterminal] → state. */
  final int[][] gotos;

  private final int terminals;
  private final List<Grammar.Rule> rules;
  private final int[] itemRule;
  private final int[] itemDot;
  private final int[] ruleFirstItem;
  private final int[][] rulesOf;
  private final BitSet[] first;
  private final boolean[] nullable;

  LrTables(Grammar g) {
    this.grammar = g;
    this.terminals = g.terminalCount();
    this.rules = g.rules();
    int items = 0;
    ruleFirstItem = new int[rules.size()];
    for (int r = 0; r < rules.size(); r++) {
      ruleFirstItem[r] = items;
      items += rules.get(r).rhs().length + 1;
    }
    itemRule = new int[items];
    itemDot = new int[items];
    for (int r = 0; r < rules.size(); r++) {
      for (int d = 0; d <= rules.get(r).rhs().length; d++) {
        itemRule[ruleFirstItem[r] + d] = r;
        itemDot[ruleFirstItem[r] + d] = d;
      }
    }
    int nts = g.nonterminalCount();
    List<List<Integer>> byLhs = new ArrayList<>();
    for (int i = 0; i < nts; i++) {
      byLhs.add(new ArrayList<>());
    }
    for (int r = 0; r < rules.size(); r++) {
      byLhs.get(rules.get(r).lhs() - terminals).add(r);
    }
    rulesOf = new int[nts][];
    for (int i = 0; i < nts; i++) {
      rulesOf[i] = byLhs.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    first = new BitSet[nts];
    nullable = new boolean[nts];
    computeFirst();

    // LR(0) automaton.
    List<int[]> kernels = new ArrayList<>();
    Map<String, Integer> stateOf = new HashMap<>();
    List<int[]> transitions = new ArrayList<>(); // per state: symbol → state, -1 none
    int symbolCount = terminals + nts;
    int[] start = {ruleFirstItem[0]};
    kernels.add(start);
    stateOf.put(Arrays.toString(start), 0);
    for (int s = 0; s < kernels.size(); s++) {
      int[] closure = closure0(kernels.get(s));
      int[] trans = new int[symbolCount];
      Arrays.fill(trans, -1);
      LinkedHashMap<Integer, List<Integer>> bySymbol = new LinkedHashMap<>();
      for (int item : closure) {
        int x = next(item);
        if (x >= 0 && x != Grammar.END) {
          bySymbol.computeIfAbsent(x, k -> new ArrayList<>()).add(item + 1);
        }
      }
      for (var e : bySymbol.entrySet()) {
        int[] kernel = e.getValue().stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        String key = Arrays.toString(kernel);
        Integer target = stateOf.get(key);
        if (target == null) {
          target = kernels.size();
          kernels.add(kernel);
          stateOf.put(key, target);
        }
        trans[e.getKey()] = target;
      }
      transitions.add(trans);
    }
    int states = kernels.size();

    // LALR(1) lookaheads of kernel items: spontaneous ones, then propagation to a fixed point.
    int marker = terminals; // the "#" of the Dragon book
    BitSet[][] lookahead = new BitSet[states][];
    for (int s = 0; s < states; s++) {
      lookahead[s] = new BitSet[kernels.get(s).length];
      for (int k = 0; k < lookahead[s].length; k++) {
        lookahead[s][k] = new BitSet(terminals + 1);
      }
    }
    List<int[]> links = new ArrayList<>(); // {fromState, fromKernel, toState, toKernel}
    for (int s = 0; s < states; s++) {
      int[] kernel = kernels.get(s);
      for (int k = 0; k < kernel.length; k++) {
        LinkedHashMap<Integer, BitSet> seed = new LinkedHashMap<>();
        BitSet m = new BitSet(terminals + 1);
        m.set(marker);
        seed.put(kernel[k], m);
        closure1(seed);
        for (var e : seed.entrySet()) {
          int x = next(e.getKey());
          if (x < 0 || x == Grammar.END) {
            continue;
          }
          int target = transitions.get(s)[x];
          int targetKernel = Arrays.binarySearch(kernels.get(target), e.getKey() + 1);
          BitSet la = (BitSet) e.getValue().clone();
          if (la.get(marker)) {
            la.clear(marker);
            links.add(new int[] {s, k, target, targetKernel});
          }
          lookahead[target][targetKernel].or(la);
        }
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int[] l : links) {
        BitSet from = lookahead[l[0]][l[1]];
        BitSet to = lookahead[l[2]][l[3]];
        int before = to.cardinality();
        to.or(from);
        if (to.cardinality() != before) {
          changed = true;
        }
      }
    }

    actions = new int[states][terminals];
    defaults = new int[states];
    exceptions = new boolean[states];
    gotos = new int[states][nts];
    for (int s = 0; s < states; s++) {
      int[] trans = transitions.get(s);
      for (int n = 0; n < nts; n++) {
        gotos[s][n] = trans[terminals + n];
      }
      LinkedHashMap<Integer, BitSet> set = new LinkedHashMap<>();
      int[] kernel = kernels.get(s);
      for (int k = 0; k < kernel.length; k++) {
        set.put(kernel[k], (BitSet) lookahead[s][k].clone());
      }
      closure1(set);
      int[] row = actions[s];
      boolean accepting = false;
      for (int item : set.keySet()) {
        int x = next(item);
        if (x == Grammar.END && itemRule[item] == 0) {
          accepting = true;
        } else if (x >= 0 && x < terminals) {
          row[x] = trans[x] + 1;
        }
      }
      if (accepting) {
        row[Grammar.END] = ACCEPT;
      }
      for (var e : set.entrySet()) {
        int item = e.getKey();
        if (next(item) >= 0) {
          continue;
        }
        int r = itemRule[item];
        BitSet la = e.getValue();
        for (int t = la.nextSetBit(0); t >= 0 && t < terminals; t = la.nextSetBit(t + 1)) {
          if (row[t] == 0) {
            row[t] = -r;
          } else if (row[t] < 0 && row[t] != ACCEPT) {
            row[t] = -Math.min(-row[t], r);
          } else {
            resolveByPrecedence(row, t, r);
          }
        }
      }
      chooseDefault(s);
    }
  }

  /** goyacc's {@code precftn}: a shift/reduce conflict goes to the higher level, or by associativity. */
  private void resolveByPrecedence(int[] row, int t, int rule) {
    int tokenLevel = grammar.level(t);
    int ruleLevel = rules.get(rule).precedence();
    if (tokenLevel == 0 || ruleLevel == 0) {
      return; // unresolved: the shift stays
    }
    if (tokenLevel < ruleLevel || tokenLevel == ruleLevel && grammar.associativity(t) == 'L') {
      row[t] = -rule;
    }
  }

  /** goyacc's {@code addActions}: the most frequent reduction becomes the default, and drops out of the row. */
  private void chooseDefault(int s) {
    int[] row = actions[s];
    int best = 0;
    int times = 0;
    for (int t = 0; t < terminals; t++) {
      if (row[t] >= 0 || row[t] == ACCEPT || -row[t] == best) {
        continue;
      }
      int r = -row[t];
      int count = 0;
      for (int a : row) {
        if (a == -r) {
          count++;
        }
      }
      if (count > times) {
        best = r;
        times = count;
      }
    }
    if (row[Grammar.ERROR] > 0) {
      best = 0; // a state that shifts `error` reports errors instead of reducing blindly
    }
    boolean exception = false;
    for (int t = 0; t < terminals; t++) {
      if (best != 0 && row[t] == -best) {
        row[t] = 0;
      }
      if (row[t] < 0) {
        exception = true;
      }
    }
    defaults[s] = best;
    exceptions[s] = exception;
  }

  private int next(int item) {
    int[] rhs = rules.get(itemRule[item]).rhs();
    int d = itemDot[item];
    return d < rhs.length ? rhs[d] : -1;
  }

  private int[] closure0(int[] kernel) {
    LinkedHashMap<Integer, Boolean> seen = new LinkedHashMap<>();
    ArrayDeque<Integer> work = new ArrayDeque<>();
    for (int k : kernel) {
      seen.put(k, true);
      work.add(k);
    }
    while (!work.isEmpty()) {
      int x = next(work.poll());
      if (x >= terminals) {
        for (int r : rulesOf[x - terminals]) {
          if (seen.putIfAbsent(ruleFirstItem[r], true) == null) {
            work.add(ruleFirstItem[r]);
          }
        }
      }
    }
    return seen.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  /** LR(1) closure of items with lookahead sets, in place. */
  private void closure1(LinkedHashMap<Integer, BitSet> set) {
    ArrayDeque<Integer> work = new ArrayDeque<>(set.keySet());
    while (!work.isEmpty()) {
      int item = work.poll();
      int x = next(item);
      if (x < terminals) {
        continue;
      }
      int[] rhs = rules.get(itemRule[item]).rhs();
      BitSet f = new BitSet(terminals + 1);
      boolean restNullable = true;
      for (int i = itemDot[item] + 1; i < rhs.length && restNullable; i++) {
        int y = rhs[i];
        if (y < terminals) {
          f.set(y);
          restNullable = false;
        } else {
          f.or(first[y - terminals]);
          restNullable = nullable[y - terminals];
        }
      }
      if (restNullable) {
        f.or(set.get(item));
      }
      for (int r : rulesOf[x - terminals]) {
        int start = ruleFirstItem[r];
        BitSet cur = set.get(start);
        if (cur == null) {
          set.put(start, (BitSet) f.clone());
          work.add(start);
        } else {
          BitSet missing = (BitSet) f.clone();
          missing.andNot(cur);
          if (!missing.isEmpty()) {
            cur.or(missing);
            work.add(start);
          }
        }
      }
    }
  }

  private void computeFirst() {
    for (int i = 0; i < first.length; i++) {
      first[i] = new BitSet(terminals + 1);
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Grammar.Rule r : rules) {
        int lhs = r.lhs() - terminals;
        boolean allNullable = true;
        for (int y : r.rhs()) {
          int before = first[lhs].cardinality();
          if (y < terminals) {
            first[lhs].set(y);
          } else {
            first[lhs].or(first[y - terminals]);
          }
          if (first[lhs].cardinality() != before) {
            changed = true;
          }
          if (y < terminals || !nullable[y - terminals]) {
            allNullable = false;
            break;
          }
        }
        if (allNullable && !nullable[lhs]) {
          nullable[lhs] = true;
          changed = true;
        }
      }
    }
  }

  int stateCount() {
    return actions.length;
  }

  /**
   * goyacc's verbose message for an unexpected {@code token} in {@code state}: {@code syntax error: unexpected X},
   * with {@code , expecting A or B} when at most four tokens would have been accepted.
   */
  String errorMessage(int state, int token) {
    String res = "syntax error: unexpected " + grammar.displayName(token);
    List<Integer> expected = new ArrayList<>(4);
    int[] row = actions[state];
    // goyacc's TOKSTART: $end, error and $unk are never suggested.
    for (int t = 3; t < terminals; t++) {
      if (row[t] > 0) {
        if (expected.size() == 4) {
          return res;
        }
        expected.add(t);
      }
    }
    if (exceptions[state]) {
      for (int t = 3; t < terminals; t++) {
        if (row[t] < 0 || row[t] == ACCEPT) {
          if (expected.size() == 4) {
            return res;
          }
          expected.add(t);
        }
      }
      if (defaults[state] != 0) {
        return res;
      }
    }
    StringBuilder b = new StringBuilder(res);
    for (int i = 0; i < expected.size(); i++) {
      b.append(i == 0 ? ", expecting " : " or ").append(grammar.displayName(expected.get(i)));
    }
    return b.toString();
  }
}
