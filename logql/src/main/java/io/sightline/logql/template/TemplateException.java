package io.sightline.logql.template;

/** A template that does not parse, or fails while executing; the message is worded as Go's text/template's. */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message, null, false, false);
  }
}
