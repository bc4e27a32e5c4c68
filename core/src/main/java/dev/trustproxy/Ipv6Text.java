package dev.trustproxy;

import java.nio.charset.StandardCharsets;

/**
 * RFC 5952 text of IPv6 bits: the one formatter, and the test of whether some text already is that
 * text, so that a caller holding a proxy's canonical text copies it instead of formatting again
 * (README D72). Both place {@code ::} by the one {@link #zeroRun} (RFC 5952 section 4.2) and
 * want lower-case hex without leading zeros (sections 4.1 and 4.3).
 */
final class Ipv6Text {

  /** The longest IPv6 text: eight groups of four digits and seven colons. */
  private static final int MAX_LENGTH = 39;

  private Ipv6Text() {}

  /** The canonical text, formatted in one array: no builder, no group array. */
  static String format(long high, long low) {
    int run = zeroRun(high, low);
    int runStart = run < 0 ? -1 : run >>> 4;
    byte[] out = new byte[MAX_LENGTH];
    int n = 0;
    for (int i = 0; i < 8; i++) {
      if (i == runStart) {
        out[n++] = ':';
        out[n++] = ':';
        i += (run & 0xf) - 1;
        continue;
      }
      if (n > 0 && out[n - 1] != ':') {
        out[n++] = ':';
      }
      int group = group(high, low, i);
      for (int shift = 4 * (digits(group) - 1); shift >= 0; shift -= 4) {
        out[n++] = (byte) hexDigit((group >>> shift) & 0xf);
      }
    }
    return new String(out, 0, n, StandardCharsets.ISO_8859_1);
  }

  /**
   * Whether text that the IPv6 parser read as these bits is exactly {@link #format}'s text of
   * them, from what the parser recorded of its shape ({@link IpAddress.Bits#textRun}): lower-case
   * hex without leading zeros and no dotted quad, and a {@code ::} exactly where {@link #zeroRun}
   * puts it (or none when it finds no run). The parser records that shape as it reads, so the
   * text is never read a second time.
   */
  static boolean isCanonical(long high, long low, int textRun) {
    return textRun != IpAddress.Bits.NOT_RFC5952 && zeroRun(high, low) == textRun;
  }

  /**
   * RFC 5952 section 4.2: the longest run of two or more zero groups, the first on a tie.
   *
   * @return {@code start << 4 | length}, or -1 when no two adjacent groups are zero
   */
  static int zeroRun(long high, long low) {
    return RUNS[zeroGroups(high) << 4 | zeroGroups(low)];
  }

  /** One bit per zero group of 64 bits, group 0 (the left-most) in bit 3: SWAR, no branch. */
  private static int zeroGroups(long x) {
    long lanes = 0x7fff7fff7fff7fffL;
    // The top bit of each 16-bit lane is set exactly when the lane is zero.
    long zero = ~(((x & lanes) + lanes) | x | lanes);
    return (int) ((zero >>> 60) & 8 | (zero >>> 45) & 4 | (zero >>> 30) & 2 | (zero >>> 15) & 1);
  }

  /** {@link #zeroRun} for each set of zero groups (bit 7 = group 0), computed group by group. */
  private static final int[] RUNS = new int[256];

  static {
    for (int mask = 0; mask < 256; mask++) {
      int bestStart = -1;
      int bestLength = 1;
      int i = 0;
      while (i < 8) {
        if ((mask & (0x80 >>> i)) == 0) {
          i++;
          continue;
        }
        int j = i + 1;
        while (j < 8 && (mask & (0x80 >>> j)) != 0) {
          j++;
        }
        if (j - i > bestLength) {
          bestStart = i;
          bestLength = j - i;
        }
        i = j;
      }
      RUNS[mask] = bestStart < 0 ? -1 : bestStart << 4 | bestLength;
    }
  }

  /** Group {@code i} (0 = the left-most) of the 128 bits. */
  private static int group(long high, long low, int i) {
    return (int) ((i < 4 ? high : low) >>> (48 - 16 * (i & 3))) & 0xffff;
  }

  /** How many hex digits a group prints: no leading zeros, at least one. */
  private static int digits(int group) {
    return group == 0 ? 1 : (35 - Integer.numberOfLeadingZeros(group)) >>> 2;
  }

  /** RFC 5952 section 4.3: lower case. */
  private static char hexDigit(int d) {
    return (char) (d < 10 ? '0' + d : 'a' + d - 10);
  }
}
