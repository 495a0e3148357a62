package io.sightline.logstore.stream;

/** A stable sort of entry indexes by time, without boxing: merge sort over int arrays. */
final class Sorting {
  private Sorting() {}

  static void byTime(int[] order, long[] ts) {
    int n = order.length;
    int[] tmp = new int[n];
    int[] src = order;
    int[] dst = tmp;
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          dst[k++] = ts[src[j]] < ts[src[i]] ? src[j++] : src[i++];
        }
        while (i < mid) {
          dst[k++] = src[i++];
        }
        while (j < hi) {
          dst[k++] = src[j++];
        }
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    if (src != order) {
      System.arraycopy(src, 0, order, 0, n);
    }
  }
}
