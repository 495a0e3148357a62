package io.sightline.rules.template;

import java.util.List;
import java.util.Map;

/**
 * A parsed alert label or annotation template, in the Go {@code text/template} subset that
 * Prometheus uses. As Prometheus does, {@code $labels}, {@code $externalLabels}, {@code $externalURL}
 * and {@code $value} are defined before the text; the function {@code query} parses but fails when run
 * ("function query not supported yet"), since it needs the engine.
 *
 * <pre>{@code
 * Template t = Template.parse("__alert_HighErrors", "{{ $labels.job }}: {{ $value | humanizePercentage }}");
 * t.execute(new TemplateData(Map.of("job", "api"), Map.of(), "http://sightline", 0.1234)); // "api: 12.34%"
 * }</pre>
 */
public final class Template {
  private static final List<String> PREDEFINED = List.of("$labels", "$externalLabels", "$externalURL", "$value");

  /**
   * Prometheus defines the variables by prefixing the text with
   * {@code {{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}},
   * so Go's columns on line 1 are that many bytes further right.
   */
  private static final int HEADER_BYTES = 112;

  private final String name;
  private final List<Node> nodes;

  private Template(String name, List<Node> nodes) {
    this.name = name;
    this.nodes = nodes;
  }

  /** Parses {@code text}; {@code name} appears in messages ({@code template: NAME:LINE: ...}). */
  public static Template parse(String name, String text) throws TemplateException {
    return new Template(name, TemplateParser.parse(name, text, Functions.NAMES, PREDEFINED));
  }

  /** Expands the template for one alert. */
  public String execute(TemplateData data) throws TemplateException {
    Executor ex = new Executor(new Functions.Context(data.externalURL()));
    ex.define("$", data);
    ex.define("$labels", data.labels());
    ex.define("$externalLabels", data.externalLabels());
    ex.define("$externalURL", data.externalURL());
    ex.define("$value", data.value());
    try {
      return ex.run(nodes, data);
    } catch (Executor.ExecError e) {
      int column = e.pos.column() + (e.pos.line() == 1 ? HEADER_BYTES : 0);
      throw new TemplateException("template: " + name + ":" + e.pos.line() + ":" + column + ": executing \"" + name
          + "\" at <" + e.at + ">: " + e.getMessage());
    }
  }

  /** For tests: a template over arbitrary dot data (queries' results, {@code args} maps). */
  static String executeWith(String text, Object dot, Map<String, Object> vars) throws TemplateException {
    Template t = parse("test", text);
    Executor ex = new Executor(new Functions.Context("http://localhost:9090/prefix"));
    ex.define("$", dot);
    vars.forEach(ex::define);
    try {
      return ex.run(t.nodes, dot);
    } catch (Executor.ExecError e) {
      throw new TemplateException("template: test:" + e.pos.line() + ":" + e.pos.column() + ": executing \"test\" at <"
          + e.at + ">: " + e.getMessage());
    }
  }
}
