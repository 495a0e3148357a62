package io.sightline.tracestore.block;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.tracestore.column.Attributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The distinct (service, span name, kind) of a block: Jaeger's services and operations lists, and what lets a search
 * by name or service skip the block. Stored in the index as {@code count <uvarint>}, then per entry
 * {@code service <string>, name <string>, kind <varint>}.
 */
final class Operations {
  record Entry(String service, String name, int kind) {}

  private Operations() {}

  static void write(Collection<Entry> entries, EncodeBuffer out) {
    out.putUvarint(entries.size());
    for (Entry e : entries) {
      out.putString(e.service()).putString(e.name()).putVarint(e.kind());
    }
  }

  static List<Entry> read(DecodeBuffer in) {
    int n = Attributes.count(in);
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Entry(in.getString(), in.getString(), (int) in.getVarint()));
    }
    return out;
  }
}
