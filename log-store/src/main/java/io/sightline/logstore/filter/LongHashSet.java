package io.sightline.logstore.filter;

import java.util.Arrays;

/**
 * A set of longs by open addressing, without a boxed value per key: a chunk's distinct token keys are collected here
 * before its bloom filter is sized. Zero is kept aside, as it marks a free slot.
 */
public final class LongHashSet {
  private long[] slots;
  private int size;
  private boolean hasZero;

  public LongHashSet(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    slots = new long[cap];
  }

  public int size() {
    return size + (hasZero ? 1 : 0);
  }

  public void clear() {
    Arrays.fill(slots, 0);
    size = 0;
    hasZero = false;
  }

  public boolean add(long key) {
    if (key == 0) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    int mask = slots.length - 1;
    int i = (int) Mixing.mix(key) & mask;
    while (true) {
      long s = slots[i];
      if (s == 0) {
        slots[i] = key;
        if (++size * 2 > slots.length) {
          grow();
        }
        return true;
      }
      if (s == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  public boolean contains(long key) {
    if (key == 0) {
      return hasZero;
    }
    int mask = slots.length - 1;
    int i = (int) Mixing.mix(key) & mask;
    while (true) {
      long s = slots[i];
      if (s == 0) {
        return false;
      }
      if (s == key) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  /** Calls {@code action} with every key, in no particular order. */
  public void forEach(java.util.function.LongConsumer action) {
    if (hasZero) {
      action.accept(0);
    }
    for (long s : slots) {
      if (s != 0) {
        action.accept(s);
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = 0;
    for (long s : old) {
      if (s != 0) {
        add(s);
      }
    }
  }
}
