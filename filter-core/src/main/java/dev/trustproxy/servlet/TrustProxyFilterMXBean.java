package dev.trustproxy.servlet;

/**
 * What a {@link TrustProxyFilter} has done since start (or the last reset), over JMX as {@code
 * dev.trustproxy:type=TrustProxyFilter,name=<filter-name>} and in code through {@link
 * TrustProxyFilter#statistics()}. Counters only grow, except through {@link #resetCounters()}.
 */
public interface TrustProxyFilterMXBean {

  /**
   * Requests the filter resolved (every request whose peer is an IP address).
   *
   * @return the count
   */
  long getRequests();

  /**
   * Requests whose client came from a forwarding header (the peer was trusted and named a client).
   *
   * @return the count
   */
  long getResolvedFromHeader();

  /**
   * Requests that carried a forwarding header from an untrusted peer, which was ignored. A steady
   * rate means clients reach the server without passing your proxies, or a proxy is missing from
   * {@code trust-proxy}.
   *
   * @return the count
   */
  long getHeaderIgnored();

  /**
   * Requests whose walk stopped at an invalid entry ({@code unknown}, a host name, ...): the
   * nearest trusted hop became the client.
   *
   * @return the count
   */
  long getStoppedOnInvalid();

  /**
   * Files of {@code trust-proxy} or {@code trusted-peers} that changed into something that does
   * not parse (or could not be read) at a reload: the last good list stayed in use, and one ERROR
   * was logged for each (README D82).
   *
   * @return the count
   */
  long getRangeReloadFailures();

  /**
   * Whether the setting {@code true} is in use: the left-most, client-written entry is believed.
   *
   * @return true when every hop is trusted
   */
  boolean isTrustsEverything();

  /**
   * The trust setting in its canonical text form.
   *
   * @return the setting
   */
  String getTrustProxy();

  /**
   * The peer gate, or null when there is none.
   *
   * @return the gate's text form
   */
  String getTrustedPeers();

  /**
   * The header family read.
   *
   * @return {@code x-forwarded-for} or {@code forwarded}
   */
  String getForwardedHeader();

  /** Sets every counter to zero. */
  void resetCounters();
}
