package dev.trustproxy.servlet;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.ResolutionCounters;
import java.util.Objects;

/**
 * The filter's {@link TrustProxyFilterMXBean}: its counters are the core's {@link
 * ResolutionCounters} (the Tomcat valve's are too), and its settings the filter's configuration,
 * set when the filter is configured. Thread-safe: the settings are published through volatile
 * fields.
 */
final class FilterStatistics implements TrustProxyFilterMXBean {

  private final ResolutionCounters counters;
  private volatile ClientResolver resolver;
  private volatile Forwarding.Headers headers = Forwarding.Headers.X_FORWARDED;

  FilterStatistics(ResolutionCounters counters) {
    this.counters = Objects.requireNonNull(counters, "counters");
  }

  void configured(ClientResolver resolver, Forwarding.Headers headers) {
    this.resolver = resolver;
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  @Override
  public long getRequests() {
    return counters.requests();
  }

  @Override
  public long getResolvedFromHeader() {
    return counters.resolvedFromHeader();
  }

  @Override
  public long getHeaderIgnored() {
    return counters.headerIgnored();
  }

  @Override
  public long getStoppedOnInvalid() {
    return counters.stoppedOnInvalid();
  }

  @Override
  public long getRangeReloadFailures() {
    return counters.rangeReloadFailures();
  }

  @Override
  public boolean isTrustsEverything() {
    ClientResolver r = resolver;
    return r != null && r.trust().trustsEverything();
  }

  @Override
  public String getTrustProxy() {
    ClientResolver r = resolver;
    return r == null ? null : r.trust().toString();
  }

  @Override
  public String getTrustedPeers() {
    ClientResolver r = resolver;
    IpRangeSet peers = r == null ? null : r.trustedPeers();
    return peers == null ? null : peers.toString();
  }

  @Override
  public String getForwardedHeader() {
    return headers.settingText();
  }

  @Override
  public void resetCounters() {
    counters.reset();
  }
}
