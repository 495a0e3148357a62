package io.sightline.logql.log;

import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The labels of the line being processed, as Loki's {@code LabelsBuilder} keeps them: the stream's labels (fixed
 * for a stream), and per line the labels added in three categories, the names deleted, and the error and its
 * details. A label extracted by a parser hides a structured metadata label of the same name, which hides a stream
 * label; a parser that finds a name the stream or the metadata already has adds it with the suffix
 * {@code _extracted}.
 *
 * <p>One per stream pipeline, reset for each line; not thread-safe. Lists rather than maps: a line has few labels,
 * and clearing lists costs nothing.
 */
public final class LabelsBuilder {
  public static final String ERROR = "__error__";
  public static final String ERROR_DETAILS = "__error_details__";
  static final String DUPLICATE_SUFFIX = "_extracted";

  /** Label categories, in the order Loki looks them up. */
  enum Category { STREAM, STRUCTURED_METADATA, PARSED }

  private final Labels base;
  private final LabelsResult baseResult;
  private final Grouping grouping;
  private final LabelsResult groupedBase;
  private final List<String>[] addNames;
  private final List<String>[] addValues;
  private final List<String> del = new ArrayList<>(4);
  private String err = "";
  private String errDetails = "";
  private LabelsResult lastResult;
  private String[] lastPairs;

  /** How a sample extractor reduces labels: nothing, {@code by} some names, or {@code without} them. */
  record Grouping(String[] names, boolean without, boolean noLabels) {
    static final Grouping NONE = new Grouping(null, false, false);
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays, one list per category
  LabelsBuilder(Labels base, Grouping grouping) {
    this.base = base;
    this.baseResult = LabelsResult.ofStream(base);
    this.grouping = grouping;
    addNames = new List[3];
    addValues = new List[3];
    for (int i = 0; i < 3; i++) {
      addNames[i] = new ArrayList<>(8);
      addValues[i] = new ArrayList<>(8);
    }
    this.groupedBase = grouping.names() == null ? baseResult : baseGroup();
  }

  void reset() {
    del.clear();
    for (int i = 0; i < 3; i++) {
      addNames[i].clear();
      addValues[i].clear();
    }
    err = "";
    errDetails = "";
  }

  LabelsResult baseResult() {
    return baseResult;
  }

  void setErr(String e) {
    err = e;
  }

  String err() {
    return err;
  }

  boolean hasErr() {
    return !err.isEmpty();
  }

  void setErrDetails(String d) {
    errDetails = d;
  }

  String errDetails() {
    return errDetails;
  }

  /** Sets the error and its details unless an error is there already (Loki's label filters do so). */
  void setErrIfNone(String e, String details) {
    if (err.isEmpty()) {
      err = e;
      errDetails = details;
    }
  }

  /** Loki's {@code addErrLabel}. */
  void addError(String e, String details) {
    err = e;
    if (details != null) {
      errDetails = details;
    }
  }

  boolean baseHas(String name) {
    return !base.get(name).isEmpty();
  }

  boolean hasInCategory(String name, Category c) {
    return addNames[c.ordinal()].contains(name);
  }

  /** The name a parser should use for an extracted key: with {@code _extracted} when stream or metadata has it. */
  String extractedName(String name) {
    return baseHas(name) || hasInCategory(name, Category.STRUCTURED_METADATA) ? name + DUPLICATE_SUFFIX : name;
  }

  /** The value of {@code name} ({@code null} when absent), looking at added labels first. */
  String get(String name) {
    for (int c = 0; c < 3; c++) {
      int i = addNames[c].indexOf(name);
      if (i >= 0) {
        return addValues[c].get(i);
      }
    }
    if (del.contains(name)) {
      return null;
    }
    String v = base.get(name);
    return v.isEmpty() ? null : v;
  }

  /** {@code __error__} reads the error, other names their value or {@code ""} (Loki's {@code labelValue}). */
  String valueForFilter(String name) {
    if (name.equals(ERROR)) {
      return err;
    }
    String v = get(name);
    return v == null ? "" : v;
  }

  void del(String name) {
    for (int c = 0; c < 3; c++) {
      remove(c, name);
    }
    del.add(name);
  }

  private void remove(int c, String name) {
    int i = addNames[c].indexOf(name);
    if (i >= 0) {
      addNames[c].remove(i);
      addValues[c].remove(i);
    }
  }

  void set(Category category, String name, String value) {
    int c = category.ordinal();
    if (category == Category.PARSED) {
      remove(Category.STRUCTURED_METADATA.ordinal(), name);
      remove(Category.STREAM.ordinal(), name);
    } else if (category == Category.STRUCTURED_METADATA) {
      remove(Category.STREAM.ordinal(), name);
      if (addNames[Category.PARSED.ordinal()].contains(name)) {
        return;
      }
    } else if (addNames[Category.STRUCTURED_METADATA.ordinal()].contains(name)
        || addNames[Category.PARSED.ordinal()].contains(name)) {
      return;
    }
    int i = addNames[c].indexOf(name);
    if (i >= 0) {
      addValues[c].set(i, value);
    } else {
      addNames[c].add(name);
      addValues[c].add(value);
    }
  }

  /** Structured metadata of the line: a name the stream has gets {@code _extracted}; error labels set the error. */
  void addStructuredMetadata(Labels metadata) {
    if (metadata == null) {
      return;
    }
    for (int i = 0; i < metadata.size(); i++) {
      String name = metadata.name(i);
      if (baseHas(name)) {
        name = name + DUPLICATE_SUFFIX;
      }
      if (name.equals(ERROR)) {
        err = metadata.value(i);
      } else if (name.equals(ERROR_DETAILS)) {
        errDetails = metadata.value(i);
      } else {
        set(Category.STRUCTURED_METADATA, name, metadata.value(i));
      }
    }
  }

  private boolean changed() {
    if (!del.isEmpty()) {
      return true;
    }
    for (int c = 0; c < 3; c++) {
      if (!addNames[c].isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Loki's {@code UnsortedLabels}: the current labels, errors included, as unsorted pairs. */
  List<String> unsorted() {
    List<String> out = new ArrayList<>(base.size() * 2 + 8);
    int meta = Category.STRUCTURED_METADATA.ordinal();
    int parsed = Category.PARSED.ordinal();
    int stream = Category.STREAM.ordinal();
    for (int i = 0; i < base.size(); i++) {
      String n = base.name(i);
      if (del.contains(n) || addNames[meta].contains(n) || addNames[parsed].contains(n)) {
        continue;
      }
      int j = addNames[stream].indexOf(n);
      out.add(n);
      out.add(j >= 0 ? addValues[stream].get(j) : base.value(i));
    }
    for (int i = 0; i < addNames[meta].size(); i++) {
      if (!addNames[parsed].contains(addNames[meta].get(i))) {
        out.add(addNames[meta].get(i));
        out.add(addValues[meta].get(i));
      }
    }
    for (int i = 0; i < addNames[parsed].size(); i++) {
      out.add(addNames[parsed].get(i));
      out.add(addValues[parsed].get(i));
    }
    if (!err.isEmpty()) {
      out.add(ERROR);
      out.add(err);
    }
    if (!errDetails.isEmpty()) {
      out.add(ERROR_DETAILS);
      out.add(errDetails);
    }
    return out;
  }

  /** The labels for a log line. */
  LabelsResult result() {
    if (!changed() && err.isEmpty()) {
      return baseResult;
    }
    String[] pairs = sortPairs(unsorted());
    if (lastResult != null && Arrays.equals(pairs, lastPairs)) {
      return lastResult;
    }
    List<String> stream = new ArrayList<>();
    List<String> meta = new ArrayList<>();
    List<String> parsed = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      String n = pairs[i];
      List<String> to = n.equals(ERROR) || n.equals(ERROR_DETAILS)
          || addNames[Category.PARSED.ordinal()].contains(n) ? parsed
          : addNames[Category.STRUCTURED_METADATA.ordinal()].contains(n) ? meta : stream;
      to.add(n);
      to.add(pairs[i + 1]);
    }
    lastPairs = pairs;
    lastResult = new LabelsResult(pairs, stream.toArray(String[]::new), meta.toArray(String[]::new),
        parsed.toArray(String[]::new));
    return lastResult;
  }

  /** Map view for templates: every current label (errors included) by name. */
  java.util.Map<String, String> asMap() {
    List<String> u = unsorted();
    java.util.Map<String, String> m = new java.util.HashMap<>(u.size());
    for (int i = 0; i < u.size(); i += 2) {
      m.put(u.get(i), u.get(i + 1));
    }
    return m;
  }

  /** Loki's {@code GroupedLabels}: the labels of a sample after by/without; all labels when there is an error. */
  LabelsResult grouped() {
    if (hasErr()) {
      return result();
    }
    if (grouping.noLabels()) {
      return LabelsResult.EMPTY;
    }
    if (!changed()) {
      return groupedBase;
    }
    if (grouping.names() == null) {
      return result();
    }
    List<String> out = new ArrayList<>();
    if (grouping.without()) {
      for (int i = 0; i < base.size(); i++) {
        String n = base.name(i);
        if (del.contains(n) || inAnyAdd(n) || contains(grouping.names(), n)) {
          continue;
        }
        out.add(n);
        out.add(base.value(i));
      }
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < addNames[c].size(); i++) {
          if (!contains(grouping.names(), addNames[c].get(i))) {
            out.add(addNames[c].get(i));
            out.add(addValues[c].get(i));
          }
        }
      }
    } else {
      outer:
      for (String g : grouping.names()) {
        if (del.contains(g)) {
          continue;
        }
        for (int c = 0; c < 3; c++) {
          int i = addNames[c].indexOf(g);
          if (i >= 0) {
            out.add(g);
            out.add(addValues[c].get(i));
            continue outer;
          }
        }
        String v = base.get(g);
        if (!v.isEmpty()) {
          out.add(g);
          out.add(v);
        }
      }
    }
    String[] pairs = sortPairs(out);
    if (lastResult != null && Arrays.equals(pairs, lastPairs)) {
      return lastResult;
    }
    lastPairs = pairs;
    lastResult = new LabelsResult(pairs, pairs, new String[0], new String[0]);
    return lastResult;
  }

  private LabelsResult baseGroup() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      boolean listed = contains(grouping.names(), base.name(i));
      if (listed != grouping.without()) {
        out.add(base.name(i));
        out.add(base.value(i));
      }
    }
    String[] pairs = sortPairs(out);
    return new LabelsResult(pairs, pairs, new String[0], new String[0]);
  }

  private boolean inAnyAdd(String n) {
    for (int c = 0; c < 3; c++) {
      if (addNames[c].contains(n)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(String[] a, String s) {
    for (String x : a) {
      if (x.equals(s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sorted by name as Prometheus' {@code labels.New} sorts; of equal names (a template can produce one twice) both
   * stay, in order.
   */
  static String[] sortPairs(List<String> unsorted) {
    int n = unsorted.size() / 2;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> unsorted.get(2 * a).compareTo(unsorted.get(2 * b)));
    String[] out = new String[2 * n];
    for (int i = 0; i < n; i++) {
      out[2 * i] = unsorted.get(2 * idx[i]);
      out[2 * i + 1] = unsorted.get(2 * idx[i] + 1);
    }
    return out;
  }
}
