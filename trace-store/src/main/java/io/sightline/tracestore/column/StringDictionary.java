package io.sightline.tracestore.column;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The strings of one row group, numbered in order of first use: names, attribute keys and string values, status
 * messages, trace states. Columns hold the numbers. Stored as a page of its own:
 * {@code count <uvarint>, then count × (length <uvarint>, UTF-8 bytes)}.
 */
public final class StringDictionary {
  private final HashMap<String, Integer> ids = new HashMap<>();
  private final List<String> strings = new ArrayList<>();

  public int id(String s) {
    Integer id = ids.get(s);
    if (id == null) {
      id = strings.size();
      ids.put(s, id);
      strings.add(s);
    }
    return id;
  }

  public int size() {
    return strings.size();
  }

  public void clear() {
    ids.clear();
    strings.clear();
  }

  public void writeTo(EncodeBuffer out) {
    out.putUvarint(strings.size());
    for (String s : strings) {
      out.putString(s);
    }
  }

  public static String[] read(byte[] raw) {
    DecodeBuffer in = new DecodeBuffer(raw);
    long n = in.getUvarint();
    if (n > raw.length) {
      throw new IllegalArgumentException("dictionary of " + n + " strings in " + raw.length + " bytes");
    }
    String[] out = new String[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getString();
    }
    return out;
  }
}
