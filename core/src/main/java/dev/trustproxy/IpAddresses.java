package dev.trustproxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@link IpAddress} values from what container adapters hold: the raw bits of a binary protocol
 * (PROXY v2 address blocks), a connection's {@link SocketAddress}, and text whose family a
 * protocol has already fixed (PROXY v1 fields, as characters or as the bytes of a receive
 * buffer), parsed by the same grammar as {@link IpAddress#tryParse(CharSequence, int, int)}
 * without first looking for a colon.
 *
 * <p>None of these resolves a name. Stateless and thread-safe.
 */
public final class IpAddresses {

  private IpAddresses() {}

  /** The IPv4 address whose 32 bits, in network order, are {@code bits}. */
  public static IpAddress ofIpv4(int bits) {
    return IpAddress.ipv4(bits);
  }

  /**
   * The IPv6 address of these 128 bits (network order, high half first); an IPv4-mapped value
   * ({@code ::ffff:a.b.c.d}) is the IPv4 address, as everywhere in the library.
   */
  public static IpAddress ofIpv6(long high, long low) {
    return IpAddress.ipv6(high, low);
  }

  /**
   * The dotted quad in {@code text[from, to)} (four decimal parts 0..255, no leading zeros), or
   * {@code null} when that region is not one.
   */
  public static IpAddress tryParseIpv4(CharSequence text, int from, int to) {
    if (from < 0 || to > text.length() || from >= to) {
      return null;
    }
    long v4 = IpAddress.parseIpv4(text, from, to);
    return v4 < 0 ? null : IpAddress.ipv4((int) v4);
  }

  /**
   * The RFC 4291 IPv6 text in {@code text[from, to)} (no brackets, no zone; an IPv4-mapped value
   * is the IPv4 address), or {@code null} when that region is not one.
   */
  public static IpAddress tryParseIpv6(CharSequence text, int from, int to) {
    if (from < 0 || to > text.length() || from >= to) {
      return null;
    }
    return IpAddress.tryParseIpv6(text, from, to);
  }

  /**
   * {@link #tryParseIpv4(CharSequence, int, int)} on {@code bytes[from, to)} read as ISO-8859-1
   * characters in place (a protocol's receive buffer), without a {@code String} or a copy.
   */
  public static IpAddress tryParseIpv4(byte[] bytes, int from, int to) {
    return tryParseIpv4(new Latin1View(bytes), from, to);
  }

  /**
   * {@link #tryParseIpv6(CharSequence, int, int)} on {@code bytes[from, to)} read as ISO-8859-1
   * characters in place, without a {@code String} or a copy.
   */
  public static IpAddress tryParseIpv6(byte[] bytes, int from, int to) {
    return tryParseIpv6(new Latin1View(bytes), from, to);
  }

  /**
   * The IP address of a connection endpoint, or {@code null} when it has none: not an {@link
   * InetSocketAddress} (a Unix domain socket, a test double), or an unresolved one (which holds
   * only a name, never looked up here).
   */
  public static IpAddress ofSocket(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      InetAddress ip = inet.getAddress();
      return ip == null ? null : IpAddress.of(ip);
    }
    return null;
  }
}
