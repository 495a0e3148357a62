package io.sightline.tracestore.block;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.Condition;
import io.sightline.tracestore.column.Attributes;
import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.SpanMatcher;
import io.sightline.tracestore.model.TraceKey;
import java.io.IOException;
import java.util.List;

/**
 * A search over one block: first whether the block can match at all (its time range, tag summary, operations and
 * resource and scope tables), then, row group by row group, which of its traces may match, reading only the columns
 * the conditions name.
 *
 * <pre>
 *   conditions ──▶ block skip? ──▶ group skip (time)? ──▶ TRACE, START, DURATION pages ─▶ per-trace time range
 *                                                      └─▶ one page per condition (NAME, KIND, STATUS, GROUP, ATTRS,
 *                                                          EVENTS, LINKS) ─▶ per-row mask ─▶ per-trace OR
 * </pre>
 */
public final class BlockSearch {
  /** Receives a trace of the block that may match. */
  @FunctionalInterface
  public interface Hit {
    void accept(TraceKey key, long minStart, long maxEnd) throws IOException;
  }

  private BlockSearch() {}

  /** False when some condition holds for no span of the block. */
  public static boolean mayMatch(Block block, SpanMatcher matcher) {
    List<Condition> conditions = matcher.conditions();
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      SpanMatcher.ValueMatcher v = matcher.value(i);
      boolean may;
      if (c.intrinsic() != null) {
        may = switch (c.intrinsic()) {
          case NAME -> block.hasSpanName(c.equalsValue());
          case SERVICE_NAME -> block.services().contains(c.equalsValue());
          case STATUS, KIND -> true;
        };
      } else if (c.scope() == null) {
        may = summaryMay(block.tags(), AttributeScope.SPAN, c.key(), v) || resourcesMay(block, matcher, i);
      } else {
        may = switch (c.scope()) {
          case RESOURCE -> resourcesMay(block, matcher, i);
          case INSTRUMENTATION -> {
            boolean any = false;
            for (ScopeSpans s : block.scopes()) {
              any |= (matcher.groupMask(new SpanGroup(ResourceSpans.getDefaultInstance(), s)) & (1L << i)) != 0;
            }
            yield any;
          }
          case SPAN, EVENT, LINK -> summaryMay(block.tags(), c.scope(), c.key(), v);
        };
      }
      if (!may) {
        return false;
      }
    }
    return true;
  }

  private static boolean resourcesMay(Block block, SpanMatcher matcher, int i) {
    for (ResourceSpans r : block.resources()) {
      if ((matcher.groupMask(new SpanGroup(r, ScopeSpans.getDefaultInstance())) & (1L << i)) != 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean summaryMay(TagSummary tags, AttributeScope scope, String key, SpanMatcher.ValueMatcher v) {
    TagSummary.Values values = tags.keys(scope).get(key);
    if (values == null) {
      return false;
    }
    if (!values.complete()) {
      return true;
    }
    for (AnyValue value : values.values()) {
      if (v.matches(value)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Finds the traces of the block with a span overlapping [start, end] whose spans in this block meet every condition
   * and whose duration in this block lies in [minDuration, maxDuration] (0 = no bound).
   */
  public static void search(Block block, SpanMatcher matcher, long start, long end, long minDuration,
      long maxDuration, Hit hit) throws IOException {
    int resources = block.resources().size();
    int scopes = block.scopes().size();
    long[] resourceMask = new long[resources];
    long[] scopeMask = new long[scopes];
    for (int r = 0; r < resources; r++) {
      resourceMask[r] = matcher.groupMask(new SpanGroup(block.resource(r), ScopeSpans.getDefaultInstance()));
    }
    for (int s = 0; s < scopes; s++) {
      scopeMask[s] = matcher.groupMask(new SpanGroup(ResourceSpans.getDefaultInstance(), block.scope(s)));
    }
    List<Condition> conditions = matcher.conditions();
    for (int g = 0; g < block.groupCount(); g++) {
      if (!block.groupOverlaps(g, start, end)) {
        continue;
      }
      RowGroup rg = block.group(g);
      block.decode(() -> {
        searchGroup(block, rg, matcher, conditions, resourceMask, scopeMask, start, end, minDuration, maxDuration,
            hit);
        return null;
      });
    }
  }

  private static void searchGroup(Block block, RowGroup rg, SpanMatcher matcher, List<Condition> conditions,
      long[] resourceMask, long[] scopeMask, long start, long end, long minDuration, long maxDuration, Hit hit)
      throws IOException {
    int rows = rg.rows();
    long[] starts = rg.starts();
    long[] ends = rg.ends(starts);
    long[] mask = new long[rows];
    if (!conditions.isEmpty()) {
      boolean needGroup = false;
      for (Condition c : conditions) {
        needGroup |= c.intrinsic() == Condition.Intrinsic.SERVICE_NAME || c.intrinsic() == null
            && (c.scope() == null || c.scope() == AttributeScope.RESOURCE || c.scope() == AttributeScope.INSTRUMENTATION);
      }
      if (needGroup) {
        DecodeBuffer in = rg.column(Columns.GROUP);
        for (int r = 0; r < rows; r++) {
          int res = (int) in.getUvarint();
          int sc = (int) in.getUvarint();
          if (res >= resourceMask.length || sc >= scopeMask.length) {
            throw new IllegalArgumentException("row " + r + " names a resource or scope outside the tables");
          }
          mask[r] |= resourceMask[res] | scopeMask[sc];
        }
      }
      for (int i = 0; i < conditions.size(); i++) {
        rowMatches(rg, conditions.get(i), matcher.value(i), 1L << i, mask);
      }
    }
    TraceKey[] keys = rg.keys();
    int[] traceStart = rg.traceStart();
    long all = matcher.all();
    for (int t = 0; t < keys.length; t++) {
      long m = 0;
      long minStart = Long.MAX_VALUE;
      long maxEnd = Long.MIN_VALUE;
      boolean inRange = false;
      for (int r = traceStart[t]; r < traceStart[t + 1]; r++) {
        m |= mask[r];
        minStart = Math.min(minStart, starts[r]);
        maxEnd = Math.max(maxEnd, ends[r]);
        inRange |= starts[r] <= end && ends[r] >= start;
      }
      long duration = maxEnd - minStart;
      if (inRange && (m & all) == all && (minDuration == 0 || duration >= minDuration)
          && (maxDuration == 0 || duration <= maxDuration)) {
        hit.accept(keys[t], minStart, maxEnd);
      }
    }
  }

  private static void rowMatches(RowGroup rg, Condition c, SpanMatcher.ValueMatcher v, long bit, long[] mask)
      throws IOException {
    int rows = rg.rows();
    if (c.intrinsic() != null) {
      switch (c.intrinsic()) {
        case NAME -> {
          String[] dict = rg.dict();
          DecodeBuffer in = rg.column(Columns.NAME);
          for (int r = 0; r < rows; r++) {
            if (Attributes.string(dict, in.getUvarint()).equals(c.equalsValue())) {
              mask[r] |= bit;
            }
          }
        }
        case KIND -> {
          DecodeBuffer in = rg.column(Columns.KIND);
          int code = c.code();
          for (int r = 0; r < rows; r++) {
            if (in.getVarint() == code) {
              mask[r] |= bit;
            }
          }
        }
        case STATUS -> {
          DecodeBuffer in = rg.column(Columns.STATUS);
          int code = c.code();
          for (int r = 0; r < rows; r++) {
            long value = 0;
            if (in.getByte() == 1) {
              value = in.getVarint();
              in.getUvarint();
            }
            if (value == code) {
              mask[r] |= bit;
            }
          }
        }
        case SERVICE_NAME -> { } // from the resource masks
      }
      return;
    }
    AttributeScope scope = c.scope();
    if (scope == AttributeScope.RESOURCE || scope == AttributeScope.INSTRUMENTATION) {
      return; // from the resource and scope masks
    }
    String[] dict = rg.dict();
    Attributes.Visitor visitor = (key, tag, in) -> {
      if (!key.equals(c.key())) {
        Attributes.skipValue(tag, in);
        return false;
      }
      return valueMatches(tag, in, dict, v);
    };
    if (scope == null || scope == AttributeScope.SPAN) {
      DecodeBuffer in = rg.column(Columns.ATTRS);
      for (int r = 0; r < rows; r++) {
        if (Attributes.walk(in, dict, visitor)) {
          mask[r] |= bit;
        }
      }
    } else if (scope == AttributeScope.EVENT) {
      DecodeBuffer in = rg.column(Columns.EVENTS);
      for (int r = 0; r < rows; r++) {
        int n = Attributes.count(in);
        boolean hit = false;
        for (int e = 0; e < n; e++) {
          in.getVarint();
          in.getUvarint();
          in.getUvarint();
          hit |= Attributes.walk(in, dict, visitor);
        }
        if (hit) {
          mask[r] |= bit;
        }
      }
    } else {
      DecodeBuffer in = rg.column(Columns.LINKS);
      for (int r = 0; r < rows; r++) {
        int n = Attributes.count(in);
        boolean hit = false;
        for (int l = 0; l < n; l++) {
          Attributes.skipBytes(in);
          Attributes.skipBytes(in);
          in.getUvarint();
          in.getUvarint();
          in.getUvarint();
          hit |= Attributes.walk(in, dict, visitor);
        }
        if (hit) {
          mask[r] |= bit;
        }
      }
    }
  }

  /** Reads one value (consuming it) and compares it as {@link Condition} says. */
  private static boolean valueMatches(int tag, DecodeBuffer in, String[] dict, SpanMatcher.ValueMatcher v) {
    return switch (tag) {
      case Attributes.STRING -> Attributes.string(dict, in.getUvarint()).equals(v.text());
      case Attributes.INT -> v.matchesInt(in.getVarint());
      case Attributes.DOUBLE -> v.matchesDouble(Double.longBitsToDouble(in.getLongBE()));
      case Attributes.TRUE -> v.matchesBool(true);
      case Attributes.FALSE -> v.matchesBool(false);
      case Attributes.BYTES, Attributes.ARRAY, Attributes.KVLIST -> {
        Attributes.skipBytes(in);
        yield true;
      }
      case Attributes.NONE, Attributes.EMPTY -> false;
      default -> throw new IllegalArgumentException("unknown attribute value tag " + tag);
    };
  }
}
