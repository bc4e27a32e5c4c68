package dev.trustproxy.servlet;

import dev.trustproxy.Forwarding;
import dev.trustproxy.IpAddress;

/**
 * What the filter reports for one request: the client's canonical address text and, when a trusted
 * proxy said so, the scheme, host and port. Kept as a request attribute so that a later dispatch
 * of the same container request (ASYNC, ERROR) is wrapped again from this answer, not walked again.
 *
 * @param remoteAddr the client's address, canonical (README D9); never null
 * @param fromHeader whether the client came from a forwarding header (then the port is 0, D13)
 * @param scheme "http"/"https", or null to keep the container's
 * @param serverName the host, or null to keep the container's
 * @param serverPort the port, or -1 to keep the container's
 */
record ClientView(String remoteAddr, boolean fromHeader, String scheme, String serverName,
    int serverPort) {

  /**
   * The view of {@code forwarding}; {@code containerText} is the container's peer text, reused when
   * it already is the canonical form (a dotted quad), so the common case allocates no string.
   */
  static ClientView of(Forwarding forwarding, IpAddress peer, String containerText) {
    String client = forwarding.remoteAddr();
    boolean fromHeader = client != null;
    if (!fromHeader) {
      client = isCanonicalIpv4(peer, containerText) ? containerText : peer.toString();
    }
    return new ClientView(client, fromHeader, forwarding.scheme(), forwarding.serverName(),
        forwarding.serverPort());
  }

  /**
   * A parsed IPv4 peer whose text has no brackets, colon or zone is a strict dotted quad, which
   * is its own canonical form; Jetty's {@code [2001:db8:0:0:0:0:0:7]} or Tomcat's {@code
   * 0:0:0:0:0:0:0:1} are not.
   */
  private static boolean isCanonicalIpv4(IpAddress peer, String text) {
    return peer.isIpv4() && text.charAt(0) != '[' && text.indexOf(':') < 0
        && text.indexOf('%') < 0;
  }
}
