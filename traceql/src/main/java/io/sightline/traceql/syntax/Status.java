package io.sightline.traceql.syntax;

/** Span status as TraceQL names it; the order is Tempo's, not OTLP's. */
public enum Status {
  ERROR("error"), OK("ok"), UNSET("unset");

  private final String keyword;

  Status(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }

  /** From OTLP's status code: 0 unset, 1 ok, 2 error. */
  public static Status fromOtlp(int code) {
    return switch (code) {
      case 1 -> OK;
      case 2 -> ERROR;
      default -> UNSET;
    };
  }
}
