package io.sightline.traceql.syntax;

/** Span kind as TraceQL names it, in OTLP's order. */
public enum Kind {
  UNSPECIFIED("unspecified"), INTERNAL("internal"), SERVER("server"), CLIENT("client"), PRODUCER("producer"),
  CONSUMER("consumer");

  private final String keyword;

  Kind(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }

  public static Kind fromOtlp(int kind) {
    Kind[] all = values();
    return kind >= 0 && kind < all.length ? all[kind] : UNSPECIFIED;
  }
}
