package dev.trustproxy.spring;

import dev.trustproxy.ResolutionCounters;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters;
import dev.trustproxy.servlet.TrustProxyFilterMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/**
 * Where the running adapter's counters are found: the request counters of the valve, the Jetty
 * customizer or the filter (whichever the starter wired), and the PROXY counters of each PROXY
 * connector, which exist only once the web server has made its connector. The Micrometer meters
 * read through this bean, so they do not depend on which came first. The counters themselves stay
 * the adapters' (and their JMX attributes with them).
 *
 * <p>Thread-safe: the sources are published once by the wiring and read by meter polls.
 */
public final class TrustProxyCounters {

  /** Requests, the four numbers every adapter counts. */
  private interface RequestCounts {
    long requests();

    long resolvedFromHeader();

    long headerIgnored();

    long stoppedOnInvalid();
  }

  private volatile RequestCounts requests;
  private final List<ProxyProtocolCounters> proxyProtocol = new CopyOnWriteArrayList<>();

  TrustProxyCounters() {}

  /**
   * The request counters of the valve or the Jetty customizer.
   *
   * @param counters their live counters
   */
  public void useRequestCounters(ResolutionCounters counters) {
    requests = new RequestCounts() {
      @Override
      public long requests() {
        return counters.requests();
      }

      @Override
      public long resolvedFromHeader() {
        return counters.resolvedFromHeader();
      }

      @Override
      public long headerIgnored() {
        return counters.headerIgnored();
      }

      @Override
      public long stoppedOnInvalid() {
        return counters.stoppedOnInvalid();
      }
    };
  }

  /** The filter's counters, read through its JMX view. */
  void useFilterCounters(TrustProxyFilterMXBean filter) {
    requests = new RequestCounts() {
      @Override
      public long requests() {
        return filter.getRequests();
      }

      @Override
      public long resolvedFromHeader() {
        return filter.getResolvedFromHeader();
      }

      @Override
      public long headerIgnored() {
        return filter.getHeaderIgnored();
      }

      @Override
      public long stoppedOnInvalid() {
        return filter.getStoppedOnInvalid();
      }
    };
  }

  /**
   * The counters of one PROXY connector.
   *
   * @param counters its live counters
   */
  public void addProxyProtocolCounters(ProxyProtocolCounters counters) {
    proxyProtocol.add(counters);
  }

  /** Requests resolved; 0 before an adapter is wired. */
  long requests() {
    return read(RequestCounts::requests);
  }

  long resolvedFromHeader() {
    return read(RequestCounts::resolvedFromHeader);
  }

  long headerIgnored() {
    return read(RequestCounts::headerIgnored);
  }

  long stoppedOnInvalid() {
    return read(RequestCounts::stoppedOnInvalid);
  }

  /** The connections with this outcome over every PROXY connector. */
  long proxyProtocol(ProxyProtocolCounters.Outcome outcome) {
    long sum = 0;
    for (ProxyProtocolCounters c : proxyProtocol) {
      sum += c.count(outcome);
    }
    return sum;
  }

  private long read(ToLongFunction<RequestCounts> counter) {
    RequestCounts r = requests;
    return r == null ? 0 : counter.applyAsLong(r);
  }
}
