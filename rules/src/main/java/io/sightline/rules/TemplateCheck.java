package io.sightline.rules;

import io.sightline.rules.template.Template;
import io.sightline.rules.template.TemplateException;
import java.util.Map;

/**
 * Parses an alerting rule's label and annotation templates, as Prometheus' {@code testTemplateParsing}
 * does: each under the name {@code __alert_<alert>}, labels first.
 */
final class TemplateCheck {
  interface Sink {
    void error(String kind, String key, String message);
  }

  private TemplateCheck() {}

  static void check(Rule rule, Sink sink) {
    String name = "__alert_" + rule.alert();
    check(name, "label", rule.labels(), sink);
    check(name, "annotation", rule.annotations(), sink);
  }

  private static void check(String name, String kind, Map<String, String> templates, Sink sink) {
    for (Map.Entry<String, String> e : templates.entrySet()) {
      try {
        Template.parse(name, e.getValue());
      } catch (TemplateException ex) {
        sink.error(kind, e.getKey(), ex.getMessage());
      }
    }
  }
}
