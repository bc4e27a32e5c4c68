package dev.trustproxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@link IpAddress} values from what container adapters hold instead of text: the raw bits of a
 * binary protocol (PROXY v2 address blocks) and a connection's {@link SocketAddress}.
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
