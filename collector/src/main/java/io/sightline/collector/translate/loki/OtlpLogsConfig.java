package io.sightline.collector.translate.loki;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.receiver.prometheus.relabel.RelabelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What becomes of OTLP attributes in Loki, with the keys and defaults of Loki 3's {@code limits_config.otlp_config}
 * (plus {@code distributor.otlp_config.default_resource_attributes_as_index_labels}, kept here beside the rules it
 * feeds). Out of the box: the resource attributes of {@link #DEFAULT_INDEX_LABELS} are stream labels, every other
 * resource, scope and log attribute is structured metadata.
 *
 * <p>The rules of a list are tried in order and the first whose {@code attributes} name the attribute (or whose
 * {@code regex}, anchored as in Prometheus' relabeling, matches it) decides; an attribute no rule names is structured
 * metadata. Unless {@code ignore_defaults}, the default index labels come first, as one {@code index_label} rule.
 *
 * @param defaultIndexLabels {@code default_resource_attributes_as_index_labels}
 * @param ignoreDefaults {@code resource_attributes.ignore_defaults}
 * @param resourceAttributes {@code resource_attributes.attributes_config}
 * @param scopeAttributes {@code scope_attributes} ({@code index_label} is refused there, as Loki refuses it)
 * @param logAttributes {@code log_attributes}
 * @param severityTextAsLabel {@code severity_text_as_label}: the record's severity text is also a stream label
 */
public record OtlpLogsConfig(List<String> defaultIndexLabels, boolean ignoreDefaults,
    List<AttributeRule> resourceAttributes, List<AttributeRule> scopeAttributes, List<AttributeRule> logAttributes,
    boolean severityTextAsLabel) {

  /** Loki's code default (its documentation lists 17: it leaves out {@code deployment.environment}). */
  public static final List<String> DEFAULT_INDEX_LABELS = List.of("service.name", "service.namespace",
      "service.instance.id", "deployment.environment", "deployment.environment.name", "cloud.region",
      "cloud.availability_zone", "k8s.cluster.name", "k8s.namespace.name", "k8s.pod.name", "k8s.container.name",
      "container.name", "k8s.replicaset.name", "k8s.deployment.name", "k8s.statefulset.name", "k8s.daemonset.name",
      "k8s.cronjob.name", "k8s.job.name");

  public static final OtlpLogsConfig DEFAULT = new OtlpLogsConfig(DEFAULT_INDEX_LABELS, false, List.of(), List.of(),
      List.of(), false);

  /** Where an attribute goes. */
  public enum Action {
    INDEX_LABEL("index_label"), STRUCTURED_METADATA("structured_metadata"), DROP("drop");

    private final String configName;

    Action(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    static Action fromConfigName(String name) {
      for (Action a : values()) {
        if (a.configName.equals(name)) {
          return a;
        }
      }
      return null;
    }
  }

  /**
   * One {@code attributes_config} entry: exactly one of {@code attributes} (exact names) and {@code regex}.
   *
   * @param regex anchored at both ends, or null
   */
  public record AttributeRule(Action action, List<String> attributes, Pattern regex) {
    public AttributeRule {
      attributes = List.copyOf(attributes);
    }

    boolean matches(String attribute) {
      if (regex != null && regex.matcher(attribute).matches()) {
        return true;
      }
      return attributes.contains(attribute);
    }
  }

  public OtlpLogsConfig {
    defaultIndexLabels = List.copyOf(defaultIndexLabels);
    resourceAttributes = List.copyOf(resourceAttributes);
    scopeAttributes = List.copyOf(scopeAttributes);
    logAttributes = List.copyOf(logAttributes);
  }

  /** The action for a resource attribute, by its OTLP name (dots and all). */
  public Action resourceAction(String attribute) {
    if (!ignoreDefaults && defaultIndexLabels.contains(attribute)) {
      return Action.INDEX_LABEL;
    }
    return actionOf(attribute, resourceAttributes);
  }

  public Action scopeAction(String attribute) {
    return actionOf(attribute, scopeAttributes);
  }

  public Action logAction(String attribute) {
    return actionOf(attribute, logAttributes);
  }

  private static Action actionOf(String attribute, List<AttributeRule> rules) {
    for (AttributeRule rule : rules) {
      if (rule.matches(attribute)) {
        return rule.action();
      }
    }
    return Action.STRUCTURED_METADATA;
  }

  /** Reads an {@code otlp_config} section; fails, located, on unknown keys and on the rules Loki refuses. */
  public static OtlpLogsConfig parse(ConfigMap m) {
    List<String> defaults = m.node("default_resource_attributes_as_index_labels").isPresent()
        ? m.stringList("default_resource_attributes_as_index_labels") : DEFAULT_INDEX_LABELS;
    ConfigMap resource = m.map("resource_attributes");
    boolean ignoreDefaults = resource.bool("ignore_defaults", false);
    List<AttributeRule> resourceRules = rules(resource, "attributes_config", true);
    resource.finish();
    List<AttributeRule> scopeRules = rules(m, "scope_attributes", false);
    List<AttributeRule> logRules = rules(m, "log_attributes", true);
    boolean severityAsLabel = m.bool("severity_text_as_label", false);
    m.finish();
    return new OtlpLogsConfig(defaults, ignoreDefaults, resourceRules, scopeRules, logRules, severityAsLabel);
  }

  private static List<AttributeRule> rules(ConfigMap parent, String key, boolean indexLabelAllowed) {
    List<AttributeRule> rules = new ArrayList<>();
    for (ConfigMap rule : parent.mapList(key)) {
      rules.add(rule(rule, indexLabelAllowed));
    }
    return rules;
  }

  private static AttributeRule rule(ConfigMap m, boolean indexLabelAllowed) {
    String actionName = m.string("action", Action.STRUCTURED_METADATA.configName());
    List<String> attributes = m.stringList("attributes");
    String regexText = m.string("regex", null);
    m.finish();
    Action action = Action.fromConfigName(actionName);
    if (action == null) {
      throw m.error("action", "unsupported action, it must be one of: drop, index_label, structured_metadata");
    }
    if (action == Action.INDEX_LABEL && !indexLabelAllowed) {
      throw m.error("action", "index_label action is only supported for resource_attributes");
    }
    if (attributes.isEmpty() && regexText == null) {
      throw error(m, "attributes or regex must be set");
    }
    if (!attributes.isEmpty() && regexText != null) {
      throw m.error("regex", "only one of attributes or regex must be set");
    }
    Pattern regex = null;
    if (regexText != null) {
      try {
        regex = RelabelConfig.compile(regexText);
      } catch (PatternSyntaxException e) {
        throw m.error("regex", "invalid regex: " + e.getDescription());
      }
    }
    return new AttributeRule(action, attributes, regex);
  }

  private static ConfigException error(ConfigMap m, String problem) {
    return new ConfigException(m.location(), m.path(), problem);
  }
}
