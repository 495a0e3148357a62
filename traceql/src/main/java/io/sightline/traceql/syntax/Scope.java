package io.sightline.traceql.syntax;

/** Where an attribute lives; {@link #NONE} is the unscoped {@code .attr}, read from the span, then the resource. */
public enum Scope {
  NONE(""), SPAN("span"), RESOURCE("resource"), EVENT("event"), LINK("link"), INSTRUMENTATION("instrumentation");

  private final String keyword;

  Scope(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }
}
