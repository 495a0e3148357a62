package io.sightline.rules.template;

/**
 * A template that does not parse or execute, with Go's message shape:
 * {@code template: __alert_A:1: unclosed action}, or for execution
 * {@code template: __alert_A:1:3: executing "__alert_A" at <humanize>: ...}.
 */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
