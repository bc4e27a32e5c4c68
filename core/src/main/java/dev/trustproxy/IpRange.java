package dev.trustproxy;

/**
 * One block of addresses: a base address and a prefix length, written {@code 10.0.0.0/8},
 * {@code 10.0.0.0/255.0.0.0} (IPv4 netmask, contiguous), {@code 2001:db8::/32}, or a bare address
 * (a block of one).
 *
 * <p>Host bits below the prefix are cleared, as Express does: {@code 10.1.2.3/8} is {@code
 * 10.0.0.0/8}. An IPv6 block inside {@code ::ffff:0:0/96} is the IPv4 block it names ({@code
 * ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}); IPv4 and native IPv6 blocks never match an address
 * of the other family (proxy-addr 2.0.8, CVE-2026-90711). A prefix of zero is refused: a block
 * that holds every address is the trust setting {@code true}, not a range.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class IpRange {

  private final IpAddress base;
  private final int prefixLength;
  private final long maskHigh;
  private final long maskLow;

  private IpRange(IpAddress base, int prefixLength) {
    int bits = base.isIpv4() ? 32 : 128;
    this.prefixLength = prefixLength;
    if (base.isIpv4()) {
      maskHigh = 0;
      maskLow = prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
    } else {
      maskHigh = prefixLength >= 64 ? -1L : (prefixLength == 0 ? 0 : -1L << (64 - prefixLength));
      maskLow = prefixLength <= 64 ? 0 : (prefixLength == 128 ? -1L : -1L << (128 - prefixLength));
    }
    assert prefixLength >= 1 && prefixLength <= bits;
    this.base =
        base.isIpv4()
            ? IpAddress.ipv4((int) (base.low() & maskLow))
            : IpAddress.ipv6(base.high() & maskHigh, base.low() & maskLow);
  }

  /**
   * Parses one range.
   *
   * @throws IllegalArgumentException quoting {@code text} and saying what was expected
   */
  public static IpRange parse(CharSequence text) {
    Parsed parsed = parseOrReason(text.toString(), false);
    if (parsed.range() == null) {
      throw new IllegalArgumentException(parsed.reason());
    }
    return parsed.range();
  }

  /** Parses one range, or returns {@code null} when {@code text} is not one. */
  public static IpRange tryParse(CharSequence text) {
    return parseOrReason(text.toString(), false).range();
  }

  /**
   * A range, or why the text is not one: exactly one of the two is non-null.
   *
   * @param range the range, or null
   * @param reason a message that quotes the input and says what was expected, or null
   */
  record Parsed(IpRange range, String reason) {
    static Parsed of(IpRange range) {
      return new Parsed(range, null);
    }

    static Parsed failure(String reason) {
      return new Parsed(null, reason);
    }
  }

  /**
   * The block of {@code prefixLength} leading bits of {@code base}.
   *
   * @throws IllegalArgumentException when the prefix is outside 1..32 (IPv4) or 1..128 (IPv6)
   */
  public static IpRange of(IpAddress base, int prefixLength) {
    int bits = base.isIpv4() ? 32 : 128;
    if (prefixLength < 1 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " for " + base + ": expected 1.." + bits);
    }
    return new IpRange(base, prefixLength);
  }

  /** The first address of the block (host bits cleared). */
  public IpAddress base() {
    return base;
  }

  public int prefixLength() {
    return prefixLength;
  }

  public boolean contains(IpAddress address) {
    if (address.isIpv4() != base.isIpv4()) {
      return false;
    }
    return (address.high() & maskHigh) == base.high() && (address.low() & maskLow) == base.low();
  }

  boolean isIpv4() {
    return base.isIpv4();
  }

  long maskHigh() {
    return maskHigh;
  }

  long maskLow() {
    return maskLow;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange other
        && other.prefixLength == prefixLength
        && other.base.equals(base);
  }

  @Override
  public int hashCode() {
    return base.hashCode() * 31 + prefixLength;
  }

  /** {@code base/prefix}, with the canonical base; parses back to an equal range. */
  @Override
  public String toString() {
    return base + "/" + prefixLength;
  }

  /**
   * Returns the range, or a message that quotes the input and says what was expected.
   *
   * @param presets whether the caller also accepts preset names (mentioned in the message)
   */
  static Parsed parseOrReason(String text, boolean presets) {
    int slash = text.lastIndexOf('/');
    String addressPart = slash < 0 ? text : text.substring(0, slash);
    IpAddress address = IpAddress.tryParse(addressPart);
    if (address == null) {
      return Parsed.failure(
          "'" + text + "' is not an IP address or range: expected an IPv4 literal (four"
          + " decimal parts, no leading zeros), an IPv6 literal (no zone), addr/prefix or"
          + " IPv4 addr/netmask"
          + (presets ? ", or a preset: loopback, linklocal, uniquelocal (case-sensitive)" : ""));
    }
    boolean mapped = address.isIpv4() && addressPart.indexOf(':') >= 0;
    if (slash < 0) {
      return Parsed.of(new IpRange(address, address.isIpv4() ? 32 : 128));
    }
    String prefixPart = text.substring(slash + 1);
    int prefix = parseDecimal(prefixPart);
    if (prefix == -1) {
      long netmask = mapped ? -1 : IpAddress.parseIpv4(prefixPart, 0, prefixPart.length());
      if (!address.isIpv4() || mapped || netmask < 0) {
        return Parsed.failure(
            "'" + text + "' has a bad prefix '" + prefixPart + "': expected a decimal prefix"
            + " length without leading zeros" + (address.isIpv4() && !mapped
                ? " or a contiguous IPv4 netmask like 255.255.0.0" : ""));
      }
      int zeros = Long.numberOfTrailingZeros(netmask | (1L << 32));
      if (((netmask >>> zeros) & ((1L << (32 - zeros)) - 1)) != (1L << (32 - zeros)) - 1) {
        return Parsed.failure(
            "'" + text + "' has a non-contiguous netmask '" + prefixPart
            + "': expected ones followed by zeros, like 255.255.0.0");
      }
      prefix = 32 - zeros;
    } else if (prefix == -2) {
      return Parsed.failure(
          "'" + text + "' has a prefix length that is too long: expected at most "
          + (address.isIpv4() && !mapped ? 32 : 128));
    }
    int bits = mapped || !address.isIpv4() ? 128 : 32;
    if (prefix > bits) {
      return Parsed.failure(
          "'" + text + "' has a prefix length that is too long: expected at most " + bits);
    }
    if (mapped) {
      if (prefix < 96) {
        return Parsed.failure(
            "'" + text + "' is an IPv4-mapped range with a prefix under 96, which names no"
            + " IPv4 range: write the IPv4 range itself (::ffff:10.0.0.0/104 is 10.0.0.0/8)");
      }
      prefix -= 96;
    }
    if (prefix == 0) {
      return Parsed.failure(
          "'" + text + "' is a range of every address (/0): expected a prefix length of 1 or"
          + " more; to trust every hop, use the setting true instead");
    }
    return Parsed.of(new IpRange(address, prefix));
  }

  /** A decimal 0..999 without leading zeros; -1 when not decimal, -2 when longer. */
  private static int parseDecimal(String s) {
    if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (i >= 3) {
        return -2;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
