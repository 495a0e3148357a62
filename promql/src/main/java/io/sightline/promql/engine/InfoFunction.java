package io.sightline.promql.engine;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.promql.parser.Expr;
import io.sightline.promql.parser.ParenExpr;
import io.sightline.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code info(v, {data labels})}: each series of {@code v} gains the labels of the info series ({@code target_info}
 * by default, or the {@code *_info} metrics the second argument selects) that share its identifying labels,
 * {@code instance} and {@code job}; with a second argument, only the data labels it names, and a series without a
 * matching info series is dropped unless every data matcher accepts the empty value (Prometheus' {@code info.go}).
 */
final class InfoFunction {
  private static final String TARGET_INFO = "target_info";
  private static final List<String> IDENTIFYING = List.of("instance", "job");

  private InfoFunction() {}

  static List<Steps> eval(Evaluator ev, List<Expr> args) throws QueryException {
    List<Steps> base = ev.eval(args.get(0));
    Map<String, List<LabelMatcher>> dataMatchers = new LinkedHashMap<>();
    List<LabelMatcher> nameMatchers = new ArrayList<>();
    if (args.size() > 1) {
      for (LabelMatcher m : ((VectorSelector) unwrap(args.get(1))).matchers()) {
        dataMatchers.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
        if (m.name().equals(Labels.METRIC_NAME)) {
          nameMatchers.add(m);
        }
      }
    } else {
      nameMatchers.add(LabelMatcher.equal(Labels.METRIC_NAME, TARGET_INFO));
    }
    List<LabelMatcher> effectiveNames = effectiveNameMatchers(nameMatchers);
    // Info series selected by v itself pass through unchanged.
    Set<Steps> ignored = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Map<String, Set<String>> idValues = new LinkedHashMap<>();
    for (Steps s : base) {
      String name = s.labels.metricName();
      if (effectiveNames.stream().allMatch(m -> m.matches(name))) {
        ignored.add(s);
        continue;
      }
      for (String l : IDENTIFYING) {
        if (!s.labels.get(l).isEmpty()) {
          idValues.computeIfAbsent(l, k -> new TreeSet<>()).add(s.labels.get(l));
        }
      }
    }
    dataMatchers.remove(Labels.METRIC_NAME);
    List<Steps> info = List.of();
    if (!idValues.isEmpty()) {
      List<LabelMatcher> matchers = new ArrayList<>();
      idValues.forEach((name, values) -> matchers.add(LabelMatcher.regex(name, String.join("|",
          values.stream().map(Pattern::quote).toList()))));
      dataMatchers.values().forEach(matchers::addAll);
      matchers.addAll(effectiveNames);
      VectorSelector at = io.sightline.promql.parser.Selectors.first(args.get(0)); // its offset and @ apply too
      // each info sample's value is its own timestamp: the newest wins when two match
      info = ev.selectTimestamps(new VectorSelector(null, matchers, at == null ? 0 : at.offsetMs(),
          at == null ? null : at.at()));
    }
    Set<String> infoNames = new LinkedHashSet<>();
    for (Steps s : info) {
      infoNames.add(s.labels.metricName());
    }
    Set<Labels> ignoredLabels = new java.util.HashSet<>();
    ignored.forEach(s -> ignoredLabels.add(s.labels));
    boolean emptyAllowed = dataMatchers.values().stream().flatMap(List::stream).allMatch(LabelMatcher::matchesEmpty);
    return ev.stepwiseOver(List.of(base, info), (t, vectors) -> {
      Map<String, El> bySignature = new HashMap<>();
      for (El i : vectors.get(1)) {
        String sig = signature(i.labels().metricName(), i.labels());
        El existing = bySignature.get(sig);
        if (existing == null || existing.value() < i.value()) {
          bySignature.put(sig, i);
        } else if (existing.value() == i.value()) {
          throw new QueryException(QueryException.Kind.EXECUTION, "found duplicate series for info metric: existing "
              + existing.labels() + " @ " + (long) existing.value() + ", new " + i.labels() + " @ "
              + (long) i.value());
        }
      }
      List<El> out = new ArrayList<>();
      for (El b : vectors.get(0)) {
        if (ignoredLabels.contains(b.labels())) {
          out.add(b);
          continue;
        }
        Map<String, String> added = new LinkedHashMap<>();
        boolean seen = false;
        for (String infoName : infoNames) {
          El i = bySignature.get(signature(infoName, b.labels()));
          if (i == null) {
            continue;
          }
          seen = true;
          for (int k = 0; k < i.labels().size(); k++) {
            String name = i.labels().name(k);
            String value = i.labels().value(k);
            if (name.equals(Labels.METRIC_NAME) || !dataMatchers.isEmpty() && !dataMatchers.containsKey(name)) {
              continue;
            }
            String before = added.get(name);
            if (before != null && !before.equals(value)) {
              throw new QueryException(QueryException.Kind.EXECUTION, "conflicting label: " + name);
            }
            if (b.labels().get(name).isEmpty()) {
              added.put(name, value);
            }
          }
        }
        if (!seen && !emptyAllowed) {
          continue;
        }
        Labels.Builder lb = b.labels().toBuilder();
        added.forEach(lb::set);
        out.add(b.withLabels(lb.build()));
      }
      return out;
    });
  }

  /** The info metric's name and the series' identifying labels: what a series and its info series share. */
  private static String signature(String infoName, Labels labels) {
    StringBuilder sb = new StringBuilder(infoName);
    for (String l : IDENTIFYING) {
      sb.append('\u0000').append(labels.get(l));
    }
    return sb.toString();
  }

  /** Without an equality or regex on the name, the info metrics are the {@code *_info} ones. */
  private static List<LabelMatcher> effectiveNameMatchers(List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (m.type() == LabelMatcher.Type.EQUAL || m.type() == LabelMatcher.Type.REGEX) {
        return matchers;
      }
    }
    if (!matchers.isEmpty()) {
      List<LabelMatcher> out = new ArrayList<>();
      out.add(LabelMatcher.regex(Labels.METRIC_NAME, ".+_info"));
      out.addAll(matchers);
      return out;
    }
    return List.of(LabelMatcher.equal(Labels.METRIC_NAME, TARGET_INFO));
  }

  private static Expr unwrap(Expr e) {
    return e instanceof ParenExpr p ? unwrap(p.expr()) : e;
  }
}
