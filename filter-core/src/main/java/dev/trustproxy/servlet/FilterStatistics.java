package dev.trustproxy.servlet;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.Resolution;
import java.util.concurrent.atomic.LongAdder;

/** The filter's counters: {@link LongAdder}s, cheap under contention, read rarely. */
final class FilterStatistics implements TrustProxyFilterMXBean {

  private final LongAdder requests = new LongAdder();
  private final LongAdder resolvedFromHeader = new LongAdder();
  private final LongAdder headerIgnored = new LongAdder();
  private final LongAdder stoppedOnInvalid = new LongAdder();
  private volatile ClientResolver resolver;
  private volatile String forwardedHeader = "x-forwarded-for";

  void configured(ClientResolver resolver, String forwardedHeader) {
    this.resolver = resolver;
    this.forwardedHeader = forwardedHeader;
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
    return forwardedHeader;
  }

  @Override
  public void resetCounters() {
    requests.reset();
    resolvedFromHeader.reset();
    headerIgnored.reset();
    stoppedOnInvalid.reset();
  }
}
