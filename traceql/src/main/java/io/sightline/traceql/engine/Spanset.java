package io.sightline.traceql.engine;

import io.sightline.traceql.syntax.Static;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Spans of one trace that matched together, with the attributes pipeline stages attached ({@code by}, aggregates). */
final class Spanset {
  final List<SpanView> spans;
  final List<Map.Entry<String, Static>> attributes;
  Static scalar = Static.NIL;

  Spanset(List<SpanView> spans, List<Map.Entry<String, Static>> attributes) {
    this.spans = spans;
    this.attributes = attributes;
  }

  Spanset withSpans(List<SpanView> newSpans) {
    Spanset s = new Spanset(newSpans, new ArrayList<>(attributes));
    s.scalar = scalar;
    return s;
  }

  void addAttribute(String name, Static value) {
    attributes.add(Map.entry(name, value));
  }
}
