package dev.trustproxy;

import java.util.Arrays;
import java.util.List;

/**
 * The one matching structure behind {@link IpRangeSet}: the ranges of one family as sorted,
 * merged, non-overlapping intervals of 128-bit keys, found by a bucket index and a binary search,
 * so that a lookup costs about the same for 3 ranges as for 10,000 (README D81).
 *
 * <p>An IPv6 address is its own key; an IPv4 address {@code a} is the key {@code (a << 32, 0)}, so
 * both families share this code and an IPv4 key can never equal an IPv6 one (they live in
 * different tables anyway: an IPv4-mapped address is IPv4, README D80 keeps that as it was).
 *
 * <p>Keys are stored with the sign bit flipped, so unsigned order is the signed order of the
 * stored longs. The bucket index maps {@code bits} bits of the high half, taken after the bits
 * every interval shares, to the first interval that can hold a key of that bucket.
 *
 * <p>Immutable after construction; safe to share between threads.
 */
final class RangeTable {

  private static final RangeTable EMPTY = new RangeTable(new long[0], new long[0], new long[0],
      new long[0], null, 0, 0);
  /** Below this many intervals a plain binary search is as fast as the index. */
  private static final int INDEX_FROM = 16;

  // Interval i is [startHigh[i]:startLow[i], endHigh[i]:endLow[i]], sign bits flipped.
  private final long[] startHigh;
  private final long[] startLow;
  private final long[] endHigh;
  private final long[] endLow;
  private final int[] index;
  private final int shift;
  private final int bits;

  private RangeTable(long[] startHigh, long[] startLow, long[] endHigh, long[] endLow,
      int[] index, int shift, int bits) {
    this.startHigh = startHigh;
    this.startLow = startLow;
    this.endHigh = endHigh;
    this.endLow = endLow;
    this.index = index;
    this.shift = shift;
    this.bits = bits;
  }

  /** The table of the ranges of one family ({@code ipv4} true: only the IPv4 ones are taken). */
  static RangeTable of(List<IpRange> ranges, boolean ipv4) {
    int n = 0;
    long[][] keys = new long[ranges.size()][];
    for (IpRange r : ranges) {
      if (r.isIpv4() != ipv4) {
        continue;
      }
      long sh;
      long sl;
      long eh;
      long el;
      if (ipv4) {
        long base = r.base().low();
        long end = base | (~r.maskLow() & 0xffffffffL);
        sh = base << 32;
        sl = 0;
        eh = (end << 32) | 0xffffffffL;
        el = -1L;
      } else {
        sh = r.base().high();
        sl = r.base().low();
        eh = sh | ~r.maskHigh();
        el = sl | ~r.maskLow();
      }
      keys[n++] = new long[] {sh ^ Long.MIN_VALUE, sl ^ Long.MIN_VALUE,
        eh ^ Long.MIN_VALUE, el ^ Long.MIN_VALUE};
    }
    if (n == 0) {
      return EMPTY;
    }
    long[][] sorted = Arrays.copyOf(keys, n);
    Arrays.sort(sorted, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : Long.compare(a[1], b[1]));
    // Merge overlapping and adjacent intervals: the table only answers "is it in any range".
    long[] sh = new long[n];
    long[] sl = new long[n];
    long[] eh = new long[n];
    long[] el = new long[n];
    int m = 0;
    for (long[] k : sorted) {
      if (m > 0 && !startsAfterNext(k[0], k[1], eh[m - 1], el[m - 1])) {
        if (compare(k[2], k[3], eh[m - 1], el[m - 1]) > 0) {
          eh[m - 1] = k[2];
          el[m - 1] = k[3];
        }
        continue;
      }
      sh[m] = k[0];
      sl[m] = k[1];
      eh[m] = k[2];
      el[m] = k[3];
      m++;
    }
    sh = Arrays.copyOf(sh, m);
    sl = Arrays.copyOf(sl, m);
    eh = Arrays.copyOf(eh, m);
    el = Arrays.copyOf(el, m);
    if (m < INDEX_FROM) {
      return new RangeTable(sh, sl, eh, el, null, 0, 0);
    }
    // Index the bits right after the prefix every key of the table shares.
    int common = Long.numberOfLeadingZeros(sh[0] ^ eh[m - 1]);
    int b = Math.min(16, 33 - Integer.numberOfLeadingZeros(m));
    int s = Math.max(0, 64 - common - b);
    b = Math.min(b, 64 - common);
    int[] idx = new int[(1 << b) + 1];
    int i = 0;
    for (int bucket = 0; bucket <= 1 << b; bucket++) {
      // First interval whose end reaches the bucket's first key.
      while (i < m && bucket(eh[i] ^ Long.MIN_VALUE, s, b) < bucket) {
        i++;
      }
      idx[bucket] = i;
    }
    return new RangeTable(sh, sl, eh, el, idx, s, b);
  }

  /** The bucket of a high half (sign restored), assuming it shares the table's common prefix. */
  private static int bucket(long high, int shift, int bits) {
    return (int) ((high >>> shift) & ((1L << bits) - 1));
  }

  boolean containsIpv4(int address) {
    return contains(((address & 0xffffffffL) << 32) ^ Long.MIN_VALUE, Long.MIN_VALUE);
  }

  boolean containsIpv6(long high, long low) {
    return contains(high ^ Long.MIN_VALUE, low ^ Long.MIN_VALUE);
  }

  /** The lookup, on a key with its sign bits flipped. */
  private boolean contains(long high, long low) {
    int n = startHigh.length;
    if (n == 0 || compare(high, low, startHigh[0], startLow[0]) < 0
        || compare(high, low, endHigh[n - 1], endLow[n - 1]) > 0) {
      return false;
    }
    int lo = 0;
    int hi = n - 1;
    if (index != null) {
      int bucket = bucket(high ^ Long.MIN_VALUE, shift, bits);
      lo = index[bucket];
      hi = Math.min(index[bucket + 1], n - 1);
    }
    // The last interval that starts at or before the key: the only one that can hold it.
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (compare(startHigh[mid], startLow[mid], high, low) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return compare(startHigh[lo], startLow[lo], high, low) <= 0
        && compare(high, low, endHigh[lo], endLow[lo]) <= 0;
  }

  /** Intervals merged: how many the table holds (for tests). */
  int size() {
    return startHigh.length;
  }

  private static int compare(long ah, long al, long bh, long bl) {
    return ah != bh ? Long.compare(ah, bh) : Long.compare(al, bl);
  }

  /** Whether the key {@code s} is past {@code e + 1}: an interval starting there does not touch. */
  private static boolean startsAfterNext(long s1, long s2, long e1, long e2) {
    if (e1 == Long.MAX_VALUE && e2 == Long.MAX_VALUE) {
      return false; // e is the last key: nothing starts after it
    }
    long n2 = e2 + 1;
    long n1 = n2 == Long.MIN_VALUE ? e1 + 1 : e1;
    return compare(s1, s2, n1, n2) > 0;
  }
}
