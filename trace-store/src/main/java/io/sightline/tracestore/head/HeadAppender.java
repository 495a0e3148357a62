package io.sightline.tracestore.head;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.tracestore.HeadFullException;
import io.sightline.tracestore.SpanAppender;
import io.sightline.tracestore.TraceTooLargeException;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.TraceKey;
import io.sightline.tracestore.wal.WalRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * One request's spans: each append is checked (trace id length, per-trace limit) and prepared (trace keys, encoded
 * sizes, the scope's group) so that commit only writes the WAL and fills the head's maps.
 */
final class HeadAppender implements SpanAppender {
  /**
   * The spans of one scope of one append, with what commit needs of each: encoded once here, outside the head's
   * locks, for both the WAL record and the head.
   */
  record Entry(SpanGroup group, ScopeSpans scope, TraceKey[] keys, byte[][] encoded, long[] starts, long[] ends)
      implements WalRecords.HeadEntry {}

  private final Head head;
  /** Each append's resource spans with the entries of its scopes, in order: one WAL record each. */
  private final List<ResourceSpans> appended = new ArrayList<>();
  private final List<List<Entry>> appendedEntries = new ArrayList<>();
  /** The WAL record of each append that came with its encoding, else null. */
  private final List<byte[]> wireRecords = new ArrayList<>();
  private final List<Entry> batch = new ArrayList<>();
  /** Span bytes this batch holds, for {@code max_live_bytes}. */
  private long batchBytes;
  /** Bytes this batch adds per trace, for the limit; only filled when there is one. */
  private final HashMap<TraceKey, Long> pendingBytes = new HashMap<>();

  HeadAppender(Head head) {
    this.head = head;
  }

  @Override
  public void append(ResourceSpans rs) {
    append(rs, null);
  }

  /**
   * With its encoding, the resource is read from the bytes alone (its spans are never parsed, and the WAL record is
   * the encoding); without, from the message, and the spans are encoded here.
   */
  @Override
  public void append(ResourceSpans rs, byte[] encoding) {
    if (encoding != null) {
      List<WireSpans.Scope> scopes = WireSpans.read(encoding);
      // A cheap check that the encoding is the message's: one that holds other spans is not used.
      if (spanCount(scopes) == spanCount(rs)) {
        appendScopes(scopes, encoding);
        return;
      }
    }
    List<Entry> entries = new ArrayList<>(rs.getScopeSpansCount());
    for (int scope = 0; scope < rs.getScopeSpansCount(); scope++) {
      ScopeSpans ss = rs.getScopeSpans(scope);
      List<Span> spans = ss.getSpansList();
      if (spans.isEmpty()) {
        continue;
      }
      TraceKey[] keys = new TraceKey[spans.size()];
      byte[][] encoded = new byte[spans.size()][];
      long[] starts = new long[spans.size()];
      long[] ends = new long[spans.size()];
      for (int i = 0; i < keys.length; i++) {
        Span span = spans.get(i);
        keys[i] = TraceKey.of(span.getTraceId());
        encoded[i] = span.toByteArray();
        starts[i] = span.getStartTimeUnixNano();
        ends[i] = span.getEndTimeUnixNano();
      }
      entries.add(new Entry(SpanGroup.of(rs, ss), ss, keys, encoded, starts, ends));
    }
    add(entries, rs, null);
  }

  @Override
  public void appendEncoded(byte[] encoding) {
    appendScopes(WireSpans.read(encoding), encoding);
  }

  private static int spanCount(List<WireSpans.Scope> scopes) {
    int n = 0;
    for (WireSpans.Scope s : scopes) {
      n += s.keys().length;
    }
    return n;
  }

  private static int spanCount(ResourceSpans rs) {
    int n = 0;
    for (ScopeSpans ss : rs.getScopeSpansList()) {
      n += ss.getSpansCount();
    }
    return n;
  }

  private void appendScopes(List<WireSpans.Scope> scopes, byte[] encoding) {
    List<Entry> entries = new ArrayList<>(scopes.size());
    for (WireSpans.Scope s : scopes) {
      entries.add(new Entry(s.group(), s.group().scope(), s.keys(), s.encoded(), s.starts(), s.ends()));
    }
    add(entries, null, WalRecords.encode(encoding));
  }

  /**
   * Checks one append's entries against the limits and adds them to the batch: all of them, or (on a refusal)
   * none. {@code rs} is the message to log when there is no {@code wireRecord}.
   */
  private void add(List<Entry> entries, ResourceSpans rs, byte[] wireRecord) {
    if (entries.isEmpty()) {
      return;
    }
    long limit = head.maxBytesPerTrace();
    HashMap<TraceKey, Long> added = new HashMap<>();
    long adding = 0;
    for (Entry e : entries) {
      for (int i = 0; i < e.keys().length; i++) {
        adding += e.encoded()[i].length;
        if (limit > 0) {
          added.merge(e.keys()[i], (long) e.encoded()[i].length, Long::sum);
        }
      }
    }
    long maxLive = head.maxLiveBytes();
    if (maxLive > 0) {
      long inMemory = head.bytes() + batchBytes;
      if (inMemory + adding > maxLive) {
        throw new HeadFullException(inMemory, maxLive);
      }
    }
    if (limit > 0) {
      List<TraceKey> keys = new ArrayList<>(added.keySet());
      long[] inHead = head.bytesOf(keys);
      for (int i = 0; i < inHead.length; i++) {
        long total = inHead[i] + pendingBytes.getOrDefault(keys.get(i), 0L) + added.get(keys.get(i));
        if (total > limit) {
          throw new TraceTooLargeException(keys.get(i).toBytes(), total, limit);
        }
      }
      added.forEach((k, v) -> pendingBytes.merge(k, v, Long::sum));
    }
    batchBytes += maxLive > 0 ? adding : 0;
    appended.add(rs);
    appendedEntries.add(entries);
    wireRecords.add(wireRecord);
    batch.addAll(entries);
  }

  @Override
  public void commit() throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    List<byte[]> records = new ArrayList<>(appended.size());
    for (int i = 0; i < appended.size(); i++) {
      byte[] wire = wireRecords.get(i);
      records.add(wire != null ? wire : WalRecords.encode(appended.get(i), appendedEntries.get(i)));
    }
    head.commit(records, batch);
    rollback();
  }

  @Override
  public void rollback() {
    appended.clear();
    appendedEntries.clear();
    wireRecords.clear();
    batch.clear();
    pendingBytes.clear();
    batchBytes = 0;
  }
}
