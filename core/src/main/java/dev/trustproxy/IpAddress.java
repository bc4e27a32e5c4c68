package dev.trustproxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address, parsed from its literal text and never from a name.
 *
 * <p>Why not {@link InetAddress}: {@code InetAddress.getByName} resolves anything that is not a
 * literal through DNS, accepts legacy forms ({@code 127.1}, {@code 0177.0.0.1} read as decimal,
 * {@code 2130706433}) that other parsers read differently, and validates zone names against the
 * local host's interfaces. An address that decides who a client is must mean the same thing to
 * every component that reads it, so this class accepts exactly one spelling family:
 *
 * <ul>
 *   <li>IPv4: four decimal parts {@code 0..255}, no leading zeros, ASCII digits only;
 *   <li>IPv6: RFC 4291 text in any case, at most one {@code ::}, an optional trailing dotted quad
 *       under the IPv4 rule; no brackets and no zone ({@code %eth0});
 *   <li>IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}, {@code ::ffff:7f00:1}) <em>is</em> the IPv4
 *       address: it compares equal to it and prints as dotted decimal.
 * </ul>
 *
 * <p>{@link #toString()} is canonical: dotted decimal, or RFC 5952 (lower case, longest zero run
 * compressed). Instances are immutable and safe to share between threads.
 */
public final class IpAddress {

  private static final long MAPPED_PREFIX = 0xffffL;

  /** For IPv6 the high 64 bits; 0 for IPv4. */
  private final long high;
  /** For IPv6 the low 64 bits; for IPv4 the address in the low 32 bits. */
  private final long low;

  private final boolean ipv4;

  private IpAddress(long high, long low, boolean ipv4) {
    this.high = high;
    this.low = low;
    this.ipv4 = ipv4;
  }

  /** True for the 128 bits of {@code ::ffff:a.b.c.d}, the IPv4 address {@code (int) low}. */
  static boolean isMappedIpv4(long high, long low) {
    return high == 0 && (low >>> 32) == MAPPED_PREFIX;
  }

  static IpAddress ipv4(int address) {
    return new IpAddress(0, address & 0xffffffffL, true);
  }

  /** IPv6 from its 128 bits; an IPv4-mapped value becomes the IPv4 address. */
  static IpAddress ipv6(long high, long low) {
    if (isMappedIpv4(high, low)) {
      return ipv4((int) low);
    }
    return new IpAddress(high, low, false);
  }

  /**
   * Parses an address literal.
   *
   * @throws IllegalArgumentException quoting {@code text} when it is not a literal of the accepted
   *     forms (see the class description)
   */
  public static IpAddress parse(CharSequence text) {
    IpAddress address = tryParse(text);
    if (address == null) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an IP address: expected an IPv4 literal like 192.0.2.1 (four"
              + " decimal parts, no leading zeros) or an IPv6 literal like 2001:db8::1 (no"
              + " brackets, no zone)");
    }
    return address;
  }

  /** Parses an address literal, or returns {@code null} when {@code text} is not one. */
  public static IpAddress tryParse(CharSequence text) {
    return tryParse(text, 0, text.length());
  }

  /**
   * Parses the address literal in {@code text[from, to)}, or returns {@code null} when that region
   * is not one. Does not allocate unless it returns an address.
   */
  public static IpAddress tryParse(CharSequence text, int from, int to) {
    if (from < 0 || to > text.length() || from >= to) {
      return null;
    }
    // The dotted quad first, in one pass: it fails within five characters on IPv6 text (a hex
    // letter or a colon), and a dotted quad has no colon, so no text is read both ways.
    long v4 = parseIpv4(text, from, to);
    return v4 >= 0 ? ipv4((int) v4) : tryParseIpv6(text, from, to);
  }

  /**
   * Returns the address in {@code bytes}: 4 bytes for IPv4, 16 for IPv6 (IPv4-mapped values
   * become IPv4).
   *
   * @throws IllegalArgumentException when the array is neither 4 nor 16 bytes long
   */
  public static IpAddress ofBytes(byte[] bytes) {
    if (bytes.length == 4) {
      return ipv4(readInt(bytes, 0));
    }
    if (bytes.length == 16) {
      return ipv6(readLong(bytes, 0), readLong(bytes, 8));
    }
    throw new IllegalArgumentException(
        "an IP address has 4 or 16 bytes, but the array has " + bytes.length);
  }

  /** Returns the address of {@code address}, without any name lookup. */
  public static IpAddress of(InetAddress address) {
    return ofBytes(address.getAddress());
  }

  /** True for IPv4 addresses (including those written in IPv4-mapped IPv6 form). */
  public boolean isIpv4() {
    return ipv4;
  }

  /** True for {@code 0.0.0.0} and {@code ::}, which never name a client. */
  public boolean isUnspecified() {
    return high == 0 && low == 0;
  }

  /**
   * A key that groups one client's addresses for rate limiting (README D95): one host gets a whole
   * IPv6 prefix (a /64 per site, RFC 6177), so keying on the full address lets it change address
   * per request. IPv4 (including IPv4-mapped IPv6) is the address itself.
   *
   * @param ipv6PrefixBits the IPv6 prefix to keep, 1..128 (64 is usual)
   * @return the canonical IPv4 text, or the IPv6 network as {@code 2001:db8:1:2::/64}
   * @throws IllegalArgumentException quoting the prefix when it is outside 1..128
   */
  public String rateLimitKey(int ipv6PrefixBits) {
    if (ipv6PrefixBits < 1 || ipv6PrefixBits > 128) {
      throw new IllegalArgumentException("ipv6PrefixBits: '" + ipv6PrefixBits
          + "' is not an IPv6 prefix length: expected 1..128");
    }
    return ipv4 ? toString() : IpRange.of(this, ipv6PrefixBits).toString();
  }

  /** The address in network byte order: 4 bytes for IPv4, 16 for IPv6. */
  public byte[] toBytes() {
    if (ipv4) {
      byte[] b = new byte[4];
      writeInt(b, 0, (int) low);
      return b;
    }
    byte[] b = new byte[16];
    writeLong(b, 0, high);
    writeLong(b, 8, low);
    return b;
  }

  /** The same address as an {@link InetAddress}, built from bytes (no lookup, no host name). */
  public InetAddress toInetAddress() {
    try {
      return InetAddress.getByAddress(toBytes());
    } catch (UnknownHostException impossible) {
      throw new AssertionError("4 or 16 bytes are always accepted", impossible);
    }
  }

  long high() {
    return high;
  }

  long low() {
    return low;
  }

  int ipv4Bits() {
    return (int) low;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other
        && other.high == high
        && other.low == low
        && other.ipv4 == ipv4;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high) * 31 + Long.hashCode(low) + (ipv4 ? 1 : 0);
  }

  /** The canonical text: dotted decimal, or RFC 5952 compressed lower-case IPv6. */
  @Override
  public String toString() {
    return ipv4 ? ipv4ToString((int) low) : ipv6ToString(high, low);
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing. Package-private primitives so the walk can match IPv4 entries without allocating.

  /**
   * Parses a strict dotted quad in {@code text[from, to)}.
   *
   * @return the address as an unsigned value in the low 32 bits, or -1 when it is not one
   */
  static long parseIpv4(CharSequence text, int from, int to) {
    if (to - from < 7 || to - from > 15) {
      return -1; // shorter than 0.0.0.0 or longer than 255.255.255.255
    }
    // One pass, one read per character: the hot path of every walk and every peer.
    long result = 0;
    int dots = 0;
    int value = 0;
    int digits = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        // Leading zeros are refused: inet_aton reads them as octal, the JDK as decimal.
        if (digits == 1 && value == 0) {
          return -1;
        }
        value = value * 10 + (c - '0');
        digits++;
        if (value > 255) {
          return -1; // also any part of four or more digits, as none has a leading zero
        }
      } else if (c == '.' && digits > 0 && dots < 3) {
        result = (result << 8) | value;
        dots++;
        value = 0;
        digits = 0;
      } else {
        return -1;
      }
    }
    return digits == 0 || dots != 3 ? -1 : (result << 8) | value;
  }

  /** Parses RFC 4291 text in {@code text[from, to)}, or returns null. Allocates only the result. */
  static IpAddress tryParseIpv6(CharSequence text, int from, int to) {
    return readIpv6(text, from, to, null);
  }

  /**
   * Parses RFC 4291 text in {@code text[from, to)} into {@code out}, allocating nothing.
   *
   * @return false when the region is not IPv6 text ({@code out} then holds no meaning)
   */
  static boolean parseIpv6(CharSequence text, int from, int to, Bits out) {
    return readIpv6(text, from, to, Objects.requireNonNull(out)) != null;
  }

  /** What {@link #readIpv6} returns when it wrote its result into the caller's {@link Bits}. */
  private static final IpAddress WRITTEN = new IpAddress(0, 0, false);

  /**
   * The 128 bits {@link #parseIpv6} writes. A {@link Resolution} is one: the walk runs in its
   * constructor and parses every IPv6 entry into the answer it is building, which ends holding the
   * client's bits and never changes them again (README D72). Not shared while it is being written.
   */
  static class Bits {
    long high;
    long low;

    /**
     * Sets the bits of an address as the walk keeps it: an IPv4 address ({@code isV4}, in the low
     * 32 bits of {@code low}) becomes {@code ::ffff:a.b.c.d}, so the bits alone say the family.
     */
    final void setBits(boolean isV4, long high, long low) {
      this.high = isV4 ? 0 : high;
      this.low = isV4 ? (MAPPED_PREFIX << 32) | (low & 0xffffffffL) : low;
    }

    /** True for {@code ::ffff:a.b.c.d}, which is the IPv4 address {@code (int) low}. */
    boolean isMappedIpv4() {
      return IpAddress.isMappedIpv4(high, low);
    }

    IpAddress toAddress() {
      return ipv6(high, low);
    }
  }

  /**
   * The one IPv6 grammar, behind both entry points above (README D72): parses RFC 4291 text in
   * {@code text[from, to)} and returns the address, or, when {@code out} is given, writes its
   * 128 bits there and returns {@link #WRITTEN} without allocating.
   *
   * @return null when the region is not IPv6 text
   */
  private static IpAddress readIpv6(CharSequence text, int from, int to, Bits out) {
    if (to - from < 2 || to - from > 45) {
      return null;
    }
    // Groups before "::" go into (headHigh, headLow), groups after it into (tailHigh, tailLow),
    // each a 128-bit shift register filled 16 bits at a time.
    long headHigh = 0;
    long headLow = 0;
    long tailHigh = 0;
    long tailLow = 0;
    int headCount = 0;
    int tailCount = 0;
    boolean gap = false;
    int i = from;
    if (text.charAt(i) == ':') {
      if (text.charAt(i + 1) != ':') {
        return null;
      }
      gap = true;
      i += 2;
    }
    while (i < to) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 5) {
        int d = hexValue(text.charAt(i));
        if (d < 0) {
          break;
        }
        value = (value << 4) | d;
        i++;
      }
      int digits = i - start;
      long w1;
      long w2 = -1;
      if (i < to && text.charAt(i) == '.') {
        // An embedded dotted quad ends the text and fills two groups.
        long v4 = parseIpv4(text, start, to);
        if (v4 < 0) {
          return null;
        }
        w1 = v4 >>> 16;
        w2 = v4 & 0xffff;
        i = to;
      } else if (digits == 0 || digits > 4) {
        return null;
      } else {
        w1 = value;
      }
      for (int k = w2 < 0 ? 1 : 2; k > 0; k--) {
        long w = k == 2 ? w1 : (w2 < 0 ? w1 : w2);
        if (headCount + tailCount == 8) {
          return null;
        }
        if (gap) {
          tailHigh = (tailHigh << 16) | (tailLow >>> 48);
          tailLow = (tailLow << 16) | w;
          tailCount++;
        } else {
          headHigh = (headHigh << 16) | (headLow >>> 48);
          headLow = (headLow << 16) | w;
          headCount++;
        }
      }
      if (i == to) {
        break;
      }
      if (text.charAt(i) != ':') {
        return null; // a zone ('%'), a bracket, a space or any other byte
      }
      i++;
      if (i < to && text.charAt(i) == ':') {
        if (gap) {
          return null; // a second "::"
        }
        gap = true;
        i++;
      } else if (i == to) {
        return null; // a single trailing ':'
      }
    }
    int groups = headCount + tailCount;
    if (gap ? groups > 7 : groups != 8) {
      return null;
    }
    // Move the head groups to the top of the 128 bits; the gap between is zeros.
    for (int shift = 8 - headCount; shift > 0; shift--) {
      headHigh = (headHigh << 16) | (headLow >>> 48);
      headLow <<= 16;
    }
    if (out == null) {
      return ipv6(headHigh | tailHigh, headLow | tailLow);
    }
    out.high = headHigh | tailHigh;
    out.low = headLow | tailLow;
    return WRITTEN;
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------
  // Formatting

  static String ipv4ToString(int a) {
    // String concatenation of ints sizes the result first and writes it once: no builder.
    return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "."
        + (a & 0xff);
  }

  static String ipv6ToString(long high, long low) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (high >>> (16 * (3 - i))) & 0xffff;
      g[i + 4] = (int) (low >>> (16 * (3 - i))) & 0xffff;
    }
    // RFC 5952 4.2: compress the longest run of two or more zero groups, the first on a tie.
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      appendHex(sb, g[i]);
    }
    return sb.toString();
  }

  /** Lower-case hex without leading zeros, straight into {@code sb}. */
  private static void appendHex(StringBuilder sb, int group) {
    boolean started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int digit = (group >>> shift) & 0xf;
      if (digit != 0 || started || shift == 0) {
        sb.append((char) (digit < 10 ? '0' + digit : 'a' + digit - 10));
        started = true;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Bytes

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static long readLong(byte[] b, int at) {
    return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xffffffffL);
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void writeLong(byte[] b, int at, long v) {
    writeInt(b, at, (int) (v >>> 32));
    writeInt(b, at + 4, (int) v);
  }
}
