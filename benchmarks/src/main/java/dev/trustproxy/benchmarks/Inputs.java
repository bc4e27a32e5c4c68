package dev.trustproxy.benchmarks;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpAddress;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.servlet.TrustProxyFilter;
import org.apache.catalina.filters.RemoteIpFilter;

/**
 * The one set of inputs every client-resolution contender gets.
 *
 * <p>The request comes from a trusted peer (10.0.0.1 or fd00::1) whose X-Forwarded-For ends with
 * the real chain {@code client, proxy3, proxy2}; longer headers have public addresses prepended
 * (what a client that writes its own header, or a long chain of unrelated hops, produces). Both
 * trust settings stop the walk at the same entry, so the right answer is always the client
 * 203.0.113.7 (or 2001:db8::7):
 *
 * <ul>
 *   <li>{@code hops}: a hop count of 3 (the peer and the two proxies);
 *   <li>{@code ranges}: the 3-range list {@value #RANGES}.
 * </ul>
 */
public final class Inputs {

  /** The 3-range list of the {@code ranges} trust setting. */
  public static final String RANGES = "10.0.0.0/8, 192.168.0.0/16, fc00::/7";
  /** The hop count of the {@code hops} trust setting. */
  public static final int HOPS = 3;

  /**
   * Tomcat 10.1's {@code internalProxies} for the {@code ranges} setting: the same three ranges
   * as one regular expression over the address text (Tomcat 10.1 has no CIDR syntax).
   */
  public static final String TOMCAT_RANGES_REGEX =
      "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}|f[cd][0-9a-f]{0,2}:.*";
  /**
   * Tomcat has no hop count. Its closest equivalent trusts exactly the hops a hop count of 3
   * trusts in these inputs (the peer and the two proxies), so it walks the same entries and gives
   * the same answer.
   */
  public static final String TOMCAT_HOPS_REGEX =
      "10\\.0\\.0\\.1|10\\.0\\.0\\.2|10\\.0\\.0\\.3|fd00::1|fd00::2|fd00::3";

  private Inputs() {}

  /** One request shape: peer, header, and the answers. */
  public record Scenario(
      String peerText, IpAddress peer, String xForwardedFor, String client, String leftMost) {

    /** A fresh request for this scenario, with the headers a browser behind a proxy sends. */
    public BenchRequest request() {
      return new BenchRequest(
          peerText,
          40000,
          "Host", "app.example:8080",
          "User-Agent", "bench/1.0",
          "Accept", "*/*",
          "X-Forwarded-For", xForwardedFor);
    }
  }

  /**
   * @param entries 1, 3, 10 or 10,000 X-Forwarded-For entries
   * @param family {@code ipv4} or {@code ipv6}
   */
  public static Scenario scenario(int entries, String family) {
    boolean v4 = switch (family) {
      case "ipv4" -> true;
      case "ipv6" -> false;
      default -> throw new IllegalArgumentException(
          "family '" + family + "': expected ipv4 or ipv6");
    };
    if (entries != 1 && entries < 3) {
      throw new IllegalArgumentException("entries " + entries + ": expected 1 or at least 3");
    }
    String peer = v4 ? "10.0.0.1" : "fd00::1";
    String client = v4 ? "203.0.113.7" : "2001:db8::7";
    String tail = entries == 1 ? client
        : v4 ? client + ", 10.0.0.3, 10.0.0.2" : client + ", fd00::3, fd00::2";
    StringBuilder header = new StringBuilder(entries * 16);
    for (int i = 0; i < entries - 3; i++) {
      header.append(v4 ? "198.51.100." + (i % 254 + 1) : "2001:db8::1:" + Integer.toHexString(
          i % 0xfffe + 1)).append(", ");
    }
    header.append(tail);
    String text = header.toString();
    String leftMost = text.substring(0, text.indexOf(',') < 0 ? text.length() : text.indexOf(','));
    return new Scenario(peer, IpAddress.parse(peer), text, client, leftMost);
  }

  /** The core resolver for a trust setting name. */
  public static ClientResolver resolver(String trust) {
    return switch (trust) {
      case "hops" -> ClientResolver.of(TrustPolicy.hops(HOPS));
      case "ranges" -> ClientResolver.of(TrustPolicy.parse("trust-proxy", RANGES));
      default -> throw new IllegalArgumentException(
          "trust '" + trust + "': expected hops or ranges");
    };
  }

  public static TrustProxyFilter trustProxyFilter(String trust) {
    return new TrustProxyFilter(resolver(trust));
  }

  /** Tomcat's filter as configured in code (its setters; {@code init} only reads init-params). */
  public static RemoteIpFilter tomcatFilter(String trust) {
    RemoteIpFilter filter = new RemoteIpFilter();
    filter.setInternalProxies(switch (trust) {
      case "hops" -> TOMCAT_HOPS_REGEX;
      case "ranges" -> TOMCAT_RANGES_REGEX;
      default -> throw new IllegalArgumentException(
          "trust '" + trust + "': expected hops or ranges");
    });
    return filter;
  }
}
