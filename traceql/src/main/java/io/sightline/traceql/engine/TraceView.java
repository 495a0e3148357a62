package io.sightline.traceql.engine;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One trace as Tempo's block format sees it: spans in order, the root, bounds, nested sets and service stats. */
final class TraceView {
  static final String ROOT_NOT_RECEIVED = "<root span not yet received>";

  final List<SpanView> spans = new ArrayList<>();
  final String traceId;
  final long start;
  final long end;
  /** Null when no span qualifies as root. */
  final SpanView root;
  final Map<String, int[]> serviceStats = new TreeMap<>();

  TraceView(TracesData data) {
    long min = 0;
    long max = 0;
    SpanView rootSpan = null;
    ByteString traceIdBytes = ByteString.EMPTY;
    for (ResourceSpans rs : data.getResourceSpansList()) {
      Resource resource = rs.getResource();
      String service = serviceName(resource);
      int[] stats = serviceStats.computeIfAbsent(service, s -> new int[2]);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          SpanView v = new SpanView(this, s, resource, ss.getScope(), spans.size());
          spans.add(v);
          if (traceIdBytes.isEmpty()) {
            traceIdBytes = s.getTraceId();
          }
          if (min == 0 || s.getStartTimeUnixNano() < min) {
            min = s.getStartTimeUnixNano();
          }
          if (s.getEndTimeUnixNano() > max) {
            max = s.getEndTimeUnixNano();
          }
          // The last span without a parent (and without an OpenTracing child_of link) names the trace, as in vParquet.
          if (s.getParentSpanId().isEmpty() && !hasChildOfLink(s)) {
            rootSpan = v;
          }
          stats[0]++;
          if (s.getStatus().getCodeValue() == 2) {
            stats[1]++;
          }
        }
      }
    }
    this.traceId = Hex.traceId(traceIdBytes);
    this.start = min;
    this.end = max;
    this.root = rootSpan;
    assignNestedSets();
  }

  String rootServiceName() {
    return root == null ? "" : serviceName(root.resource);
  }

  String rootSpanName() {
    return root == null ? "" : root.span.getName();
  }

  static String serviceName(Resource r) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }

  private static boolean hasChildOfLink(Span s) {
    for (Span.Link link : s.getLinksList()) {
      if (link.getTraceId().equals(s.getTraceId())) {
        for (KeyValue kv : link.getAttributesList()) {
          if (kv.getKey().equals("opentracing.ref_type") && kv.getValue().getStringValue().equals("child_of")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Depth-first numbering from each root in order, children in span order: Tempo's nested set model. */
  private void assignNestedSets() {
    Map<ByteString, SpanView> byId = new HashMap<>();
    for (SpanView v : spans) {
      byId.putIfAbsent(v.span.getSpanId(), v);
    }
    Map<SpanView, List<SpanView>> children = new HashMap<>();
    List<SpanView> roots = new ArrayList<>();
    for (SpanView v : spans) {
      if (v.span.getParentSpanId().isEmpty()) {
        roots.add(v);
        continue;
      }
      SpanView p = byId.get(v.span.getParentSpanId());
      if (p != null && p != v) {
        v.parent = p;
        p.childCount++;
        children.computeIfAbsent(p, k -> new ArrayList<>()).add(v);
      }
    }
    int bound = 1;
    for (SpanView r : roots) {
      r.nestedSetLeft = bound++;
      r.nestedSetParent = -1;
      Deque<SpanView> stack = new ArrayDeque<>();
      Deque<Integer> next = new ArrayDeque<>();
      stack.push(r);
      next.push(0);
      while (!stack.isEmpty()) {
        SpanView node = stack.peek();
        List<SpanView> kids = children.getOrDefault(node, List.of());
        int i = next.pop();
        if (i < kids.size()) {
          next.push(i + 1);
          SpanView child = kids.get(i);
          child.nestedSetLeft = bound++;
          child.nestedSetParent = node.nestedSetLeft;
          stack.push(child);
          next.push(0);
        } else {
          node.nestedSetRight = bound++;
          stack.pop();
        }
      }
    }
  }
}
