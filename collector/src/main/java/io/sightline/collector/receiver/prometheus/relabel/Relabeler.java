package io.sightline.collector.receiver.prometheus.relabel;

import io.sightline.core.model.Labels;
import io.sightline.core.model.RegexTemplate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/** Applies relabeling rules in order, as Prometheus' {@code relabel.Process} does. */
public final class Relabeler {
  private Relabeler() {}

  /** The relabeled set, or null when a rule dropped it. */
  public static Labels process(Labels labels, List<RelabelConfig> rules) {
    if (rules.isEmpty()) {
      return labels;
    }
    // Insertion-ordered by name, as Prometheus' builder: a small sorted map is enough for a handful of labels.
    TreeMap<String, String> lb = new TreeMap<>(labels.toMap());
    for (RelabelConfig rule : rules) {
      if (!apply(lb, rule)) {
        return null;
      }
    }
    Labels.Builder out = Labels.builder();
    lb.forEach(out::set);
    return out.build();
  }

  private static boolean apply(TreeMap<String, String> lb, RelabelConfig cfg) {
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < cfg.sourceLabels().size(); i++) {
      if (i > 0) {
        joined.append(cfg.separator());
      }
      joined.append(lb.getOrDefault(cfg.sourceLabels().get(i), ""));
    }
    String val = joined.toString();
    switch (cfg.action()) {
      case DROP -> {
        return !cfg.regex().matcher(val).matches();
      }
      case KEEP -> {
        return cfg.regex().matcher(val).matches();
      }
      case DROPEQUAL -> {
        return !lb.getOrDefault(cfg.targetLabel(), "").equals(val);
      }
      case KEEPEQUAL -> {
        return lb.getOrDefault(cfg.targetLabel(), "").equals(val);
      }
      case REPLACE -> {
        Matcher m = cfg.regex().matcher(val);
        if (!m.matches()) {
          return true;
        }
        String target = RegexTemplate.expand(cfg.targetLabel(), m);
        if (!isValidLabelName(target)) {
          return true;
        }
        set(lb, target, RegexTemplate.expand(cfg.replacement(), m));
      }
      case LOWERCASE -> set(lb, cfg.targetLabel(), val.toLowerCase(Locale.ROOT));
      case UPPERCASE -> set(lb, cfg.targetLabel(), val.toUpperCase(Locale.ROOT));
      case HASHMOD -> set(lb, cfg.targetLabel(), Long.toUnsignedString(
          Long.remainderUnsigned(md5Low64(val), cfg.modulus())));
      case LABELMAP -> {
        for (Map.Entry<String, String> e : new TreeMap<>(lb).entrySet()) {
          Matcher m = cfg.regex().matcher(e.getKey());
          if (m.matches()) {
            set(lb, RegexTemplate.expand(cfg.replacement(), m), e.getValue());
          }
        }
      }
      case LABELDROP -> lb.keySet().removeIf(name -> cfg.regex().matcher(name).matches());
      case LABELKEEP -> lb.keySet().removeIf(name -> !cfg.regex().matcher(name).matches());
      default -> throw new IllegalStateException("unhandled relabel action " + cfg.action());
    }
    return true;
  }

  /** An empty value deletes the label, as in Prometheus' label builder. */
  private static void set(TreeMap<String, String> lb, String name, String value) {
    if (value.isEmpty()) {
      lb.remove(name);
    } else {
      lb.put(name, value);
    }
  }

  static boolean isValidLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prometheus' {@code sum64(md5.Sum(...))}: it shifts byte i left by (15 − i) × 8, and Go drops shifts of 64 or more,
   * so only the last eight bytes count, big-endian.
   */
  static long md5Low64(String s) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = (v << 8) | (digest[i] & 0xFF);
    }
    return v;
  }
}
