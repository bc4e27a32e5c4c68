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
   * it already is the canonical form ({@link IpAddress#canonicalText}), so the common case
   * allocates no string.
   */
  static ClientView of(Forwarding forwarding, IpAddress peer, String containerText) {
    String client = forwarding.remoteAddr();
    boolean fromHeader = client != null;
    if (!fromHeader) {
      client = peer.canonicalText(containerText);
    }
    return new ClientView(client, fromHeader, forwarding.scheme(), forwarding.serverName(),
        forwarding.serverPort());
  }
}
