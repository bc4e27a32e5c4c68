package dev.trustproxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
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

  /**
   * The canonical text ({@link #toString()}), taking {@code written} itself when it already is
   * exactly that text. A container's or a proxy's text of a peer usually is, so adapters that
   * report it allocate nothing; Tomcat's long IPv6 form ({@code 0:0:0:0:0:0:0:1}), Jetty's
   * brackets, a zone or an IPv4-mapped form are formatted (README D9).
   *
   * @param written any text of this address, or null
   * @return the canonical text; never null
   */
  public String canonicalText(String written) {
    if (written == null) {
      return toString();
    }
    if (ipv4) {
      return parseIpv4(written, 0, written.length()) == low ? written : toString();
    }
    Bits bits = new Bits();
    return parseIpv6(written, 0, written.length(), bits) && bits.high == high && bits.low == low
        && bits.isRfc5952Text() ? written : toString();
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
    long quad = parseIpv4Prefix(text, from, to);
    return quad >= 0 && (int) (quad >>> 32) == to ? quad & 0xffffffffL : -1;
  }

  /**
   * The strict dotted quad at the start of {@code text[from, to)}: the run of digits and dots
   * there, which must be a quad. What follows it is the caller's ({@code :port} in a forwarding
   * entry), so that an entry with a port is read in one pass (README D118).
   *
   * @return the address in the low 32 bits and the index just after the quad in the high 32, or
   *     -1 when the text does not start with a quad
   */
  static long parseIpv4Prefix(CharSequence text, int from, int to) {
    if (to - from < 7) {
      return -1; // shorter than 0.0.0.0
    }
    // One pass. Each part's one to three digits are read without a loop: a loop per part made C2
    // set one up four times per address, which cost more than the digits (README D120).
    long result = 0;
    int i = from;
    for (int part = 0; ; part++) {
      int d = decimalAt(text, i, to);
      if (d < 0) {
        return -1; // an empty part; IPv6 text and names end here at their first bytes
      }
      int value = d;
      i++;
      // Leading zeros are refused: inet_aton reads them as octal, the JDK as decimal. A 0 is a
      // whole part, and a digit after it is refused below like a fourth digit.
      if (d != 0 && (d = decimalAt(text, i, to)) >= 0) {
        value = value * 10 + d;
        i++;
        if ((d = decimalAt(text, i, to)) >= 0) {
          value = value * 10 + d;
          i++;
          if (value > 255) {
            return -1;
          }
        }
      }
      result = (result << 8) | value;
      if (part == 3) {
        break;
      }
      if (i == to || text.charAt(i) != '.') {
        return -1;
      }
      i++;
    }
    if (i < to && (text.charAt(i) == '.' || decimalAt(text, i, to) >= 0)) {
      return -1; // a fifth part, a fourth digit, or a digit after a 0
    }
    return (long) i << 32 | result;
  }

  /** The decimal digit at {@code text[i]}, or -1 when there is none ({@code i == to} too). */
  private static int decimalAt(CharSequence text, int i, int to) {
    if (i >= to) {
      return -1;
    }
    int d = (char) (text.charAt(i) - '0'); // below '0' wraps to a large value
    return d <= 9 ? d : -1;
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
   * The 128 bits {@link #parseIpv6} writes, and what the text it read looked like. A {@link
   * Resolution} is one: the walk runs in its constructor and parses every IPv6 entry into the
   * answer it is building, which ends holding the client's bits and never changes them again
   * (README D72). Not shared while it is being written.
   */
  static class Bits {
    /** {@link #textRun} of text whose digits alone rule RFC 5952 out. */
    static final int NOT_RFC5952 = Integer.MIN_VALUE;

    long high;
    long low;
    /**
     * Where the parsed text had its {@code ::}, as {@link Ipv6Text#zeroRun} encodes a run ({@code
     * start << 4 | length}), -1 when it had none, or {@link #NOT_RFC5952} when it had upper-case
     * hex, a leading zero or a dotted quad. With the bits this says whether the text was RFC
     * 5952's (README D72) without reading it again: {@link #isRfc5952Text}.
     */
    int textRun;

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

    /** Whether the text last parsed into these bits is exactly their RFC 5952 text. */
    final boolean isRfc5952Text() {
      return Ipv6Text.isCanonical(high, low, textRun);
    }

    IpAddress toAddress() {
      return ipv6(high, low);
    }
  }

  /**
   * The one IPv6 grammar, behind both entry points above (README D72): parses RFC 4291 text in
   * {@code text[from, to)} and returns the address, or, when {@code out} is given, writes its
   * 128 bits and {@link Bits#textRun} there and returns {@link #WRITTEN} without allocating.
   *
   * @return null when the region is not IPv6 text
   */
  private static IpAddress readIpv6(CharSequence text, int from, int to, Bits out) {
    if (to - from < 2 || to - from > 45) {
      return null;
    }
    // One 128-bit shift register (high, low) takes 16 bits per group, the head's and the tail's
    // alike; at the end the head is moved up past the zeros of "::" in one shift.
    long high = 0;
    long low = 0;
    int groups = 0;
    int headGroups = -1; // no "::" yet
    // Bit 4 of a digit's table value marks upper case; the flag a leading zero or a quad.
    int upper = 0;
    boolean notRfc5952 = false;
    int i = from;
    if (text.charAt(i) == ':') {
      if (text.charAt(i + 1) != ':') {
        return null;
      }
      headGroups = 0;
      i += 2;
    }
    while (i < to) {
      // A group's one to four digits are read without a loop: a loop per group made C2 set one
      // up for every group, which cost more than reading the digits (README D120).
      int start = i;
      int d = hexAt(text, i, to);
      if (d < 0) {
        return null; // an empty group, a bracket, a zone, any other byte
      }
      upper |= d;
      int value = d & 0xf;
      if ((d = hexAt(text, ++i, to)) >= 0) {
        upper |= d;
        value = (value << 4) | (d & 0xf);
        if ((d = hexAt(text, ++i, to)) >= 0) {
          upper |= d;
          value = (value << 4) | (d & 0xf);
          if ((d = hexAt(text, ++i, to)) >= 0) {
            upper |= d;
            value = (value << 4) | (d & 0xf);
            i++;
          }
        }
      }
      char next = i < to ? text.charAt(i) : ':';
      if (next == '.') {
        // An embedded dotted quad ends the text and fills two groups.
        long v4 = parseIpv4(text, start, to);
        if (v4 < 0) {
          return null;
        }
        high = (high << 32) | (low >>> 32);
        low = (low << 32) | v4;
        groups += 2;
        notRfc5952 = true;
        break;
      }
      if (next != ':') {
        return null; // a fifth digit, a zone ('%'), a bracket, a space or any other byte
      }
      int digits = i - start;
      if (digits > 1 && value >>> (4 * digits - 4) == 0) {
        notRfc5952 = true; // a leading zero
      }
      high = (high << 16) | (low >>> 48);
      low = (low << 16) | value;
      groups++;
      if (i == to) {
        break;
      }
      i++; // the ':'
      if (i < to && text.charAt(i) == ':') {
        if (headGroups >= 0) {
          return null; // a second "::"
        }
        headGroups = groups;
        i++;
      } else if (i == to) {
        return null; // a single trailing ':'
      }
    }
    int textRun;
    if (headGroups < 0) {
      if (groups != 8) {
        return null;
      }
      textRun = -1;
    } else {
      if (groups > 7) {
        return null;
      }
      textRun = headGroups << 4 | (8 - groups);
      // The register holds the head's groups above the tail's: the head moves up by the gap.
      int tailBits = 16 * (groups - headGroups);
      long tailLow = tailBits >= 64 ? low : low & ((1L << tailBits) - 1);
      long tailHigh = tailBits > 64 ? high & ((1L << (tailBits - 64)) - 1) : 0;
      long headHigh = high ^ tailHigh;
      long headLow = low ^ tailLow;
      int gap = 16 * (8 - groups); // 16 to 128; at 128 the head is empty
      if (gap >= 64) {
        headHigh = gap == 128 ? 0 : headLow << (gap - 64);
        headLow = 0;
      } else {
        headHigh = (headHigh << gap) | (headLow >>> (64 - gap));
        headLow <<= gap;
      }
      high = headHigh | tailHigh;
      low = headLow | tailLow;
    }
    if (out == null) {
      return ipv6(high, low);
    }
    out.high = high;
    out.low = low;
    out.textRun = notRfc5952 || (upper & 0x10) != 0 ? Bits.NOT_RFC5952 : textRun;
    return WRITTEN;
  }

  /** The hex digit at {@code text[i]} as {@link #HEX} gives it, or -1 (also at {@code to}). */
  private static int hexAt(CharSequence text, int i, int to) {
    if (i >= to) {
      return -1;
    }
    char c = text.charAt(i);
    return c > 0xff ? -1 : HEX[c];
  }

  /**
   * The value of each hex digit by its character, plus 16 for an upper-case letter (RFC 5952
   * section 4.3 wants lower case); -1 for any other Latin-1 character.
   */
  private static final byte[] HEX = new byte[256];

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int d = 0; d < 16; d++) {
      HEX[Character.forDigit(d, 16)] = (byte) d;
      if (d >= 10) {
        HEX[Character.toUpperCase(Character.forDigit(d, 16))] = (byte) (d | 0x10);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Formatting

  static String ipv4ToString(int a) {
    // String concatenation of ints sizes the result first and writes it once: no builder.
    return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "."
        + (a & 0xff);
  }

  static String ipv6ToString(long high, long low) {
    return Ipv6Text.format(high, low);
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
