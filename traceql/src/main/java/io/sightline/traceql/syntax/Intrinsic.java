package io.sightline.traceql.syntax;

import java.util.List;

/**
 * The intrinsic fields, as data: Tempo's printed name (which is also the key of the attribute in search results),
 * the value type, the bare keyword of the legacy form if there is one, and the {@code scope:word} forms.
 */
public enum Intrinsic {
  DURATION("duration", StaticType.DURATION, "duration", List.of("span:duration")),
  NAME("name", StaticType.STRING, "name", List.of("span:name")),
  STATUS("status", StaticType.STATUS, "status", List.of("span:status")),
  STATUS_MESSAGE("statusMessage", StaticType.STRING, "statusMessage", List.of("span:statusMessage")),
  KIND("kind", StaticType.KIND, "kind", List.of("span:kind")),
  SPAN_ID("span:id", StaticType.STRING, null, List.of("span:id")),
  PARENT_ID("span:parentID", StaticType.STRING, null, List.of("span:parentID")),
  CHILD_COUNT("span:childCount", StaticType.INT, null, List.of("span:childCount")),
  TRACE_DURATION("traceDuration", StaticType.DURATION, "traceDuration", List.of("trace:duration")),
  TRACE_ROOT_NAME("rootName", StaticType.STRING, "rootName", List.of("trace:rootName")),
  TRACE_ROOT_SERVICE("rootServiceName", StaticType.STRING, "rootServiceName", List.of("trace:rootService")),
  TRACE_ID("trace:id", StaticType.STRING, null, List.of("trace:id")),
  EVENT_NAME("event:name", StaticType.STRING, null, List.of("event:name")),
  EVENT_TIME_SINCE_START("event:timeSinceStart", StaticType.DURATION, null, List.of("event:timeSinceStart")),
  LINK_TRACE_ID("link:traceID", StaticType.STRING, null, List.of("link:traceID")),
  LINK_SPAN_ID("link:spanID", StaticType.STRING, null, List.of("link:spanID")),
  INSTRUMENTATION_NAME("instrumentation:name", StaticType.STRING, null, List.of("instrumentation:name")),
  INSTRUMENTATION_VERSION("instrumentation:version", StaticType.STRING, null, List.of("instrumentation:version")),
  /** Tempo parses the bare {@code parent} and refuses it in validation. */
  PARENT("parent", StaticType.NIL, "parent", List.of()),
  NESTED_SET_LEFT("nestedSetLeft", StaticType.INT, "nestedSetLeft", List.of()),
  NESTED_SET_RIGHT("nestedSetRight", StaticType.INT, "nestedSetRight", List.of()),
  NESTED_SET_PARENT("nestedSetParent", StaticType.INT, "nestedSetParent", List.of());

  private final String printed;
  private final StaticType type;
  private final String legacy;
  private final List<String> scoped;

  Intrinsic(String printed, StaticType type, String legacy, List<String> scoped) {
    this.printed = printed;
    this.type = type;
    this.legacy = legacy;
    this.scoped = scoped;
  }

  /** The name Tempo prints and uses as the key of the value in search results. */
  public String printed() {
    return printed;
  }

  public StaticType type() {
    return type;
  }

  /** Whether the field belongs to the trace rather than to a span. */
  public boolean traceLevel() {
    return this == TRACE_DURATION || this == TRACE_ROOT_NAME || this == TRACE_ROOT_SERVICE || this == TRACE_ID;
  }

  /** The intrinsic written bare ({@code duration}), or null. */
  static Intrinsic fromLegacy(String word) {
    for (Intrinsic i : values()) {
      if (word.equals(i.legacy)) {
        return i;
      }
    }
    return null;
  }

  /** The intrinsic written {@code scope:word}, or null when that scope has no such intrinsic. */
  static Intrinsic fromScoped(String scope, String word) {
    String full = scope + ":" + word;
    for (Intrinsic i : values()) {
      if (i.scoped.contains(full)) {
        return i;
      }
    }
    return null;
  }

  /**
   * Tempo reads an unscoped {@code .name} whose name is an intrinsic's printed or scoped spelling as that intrinsic
   * ({@code intrinsicFromString}); so {@code .duration} is the span's duration, not an attribute.
   */
  static Intrinsic fromUnscopedName(String name) {
    for (Intrinsic i : values()) {
      if (name.equals(i.printed) || i.scoped.contains(name)) {
        return i;
      }
    }
    return null;
  }
}
