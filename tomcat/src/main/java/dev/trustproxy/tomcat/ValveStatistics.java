package dev.trustproxy.tomcat;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.TrustProxyFilterMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The valve's counters, with the filter's meaning (the same {@link TrustProxyFilterMXBean}
 * contract): {@link LongAdder}s, cheap under contention, read rarely.
 *
 * <p>This mirrors the servlet package's package-private counters class, which this module cannot
 * reach; it goes away once that class is shared.
 */
final class ValveStatistics implements TrustProxyFilterMXBean {

  private final LongAdder requests = new LongAdder();
  private final LongAdder resolvedFromHeader = new LongAdder();
  private final LongAdder headerIgnored = new LongAdder();
  private final LongAdder stoppedOnInvalid = new LongAdder();
  private volatile ClientResolver resolver;
  private volatile Forwarding.Headers headers = Forwarding.Headers.X_FORWARDED;

  void configured(ClientResolver resolver, Forwarding.Headers headers) {
    this.resolver = resolver;
    this.headers = headers;
  }

  void record(Resolution resolution) {
    requests.increment();
    if (resolution.fromHeader()) {
      resolvedFromHeader.increment();
    }
    if (resolution.headerIgnored()) {
      headerIgnored.increment();
    }
    if (resolution.stoppedOnInvalid()) {
      stoppedOnInvalid.increment();
    }
  }

  @Override
  public long getRequests() {
    return requests.sum();
  }

  @Override
  public long getResolvedFromHeader() {
    return resolvedFromHeader.sum();
  }

  @Override
  public long getHeaderIgnored() {
    return headerIgnored.sum();
  }

  @Override
  public long getStoppedOnInvalid() {
    return stoppedOnInvalid.sum();
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
    requests.reset();
    resolvedFromHeader.reset();
    headerIgnored.reset();
    stoppedOnInvalid.reset();
  }
}
