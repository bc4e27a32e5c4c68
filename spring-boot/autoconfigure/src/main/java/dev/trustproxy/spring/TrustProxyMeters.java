package dev.trustproxy.spring;

import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Micrometer function counters over the adapters' own counters (README D104), read at each poll.
 *
 * <ul>
 *   <li>{@code trustproxy.requests}, tag {@code outcome}: {@code from_header} (the client came
 *       from a forwarding header), {@code header_ignored} (a header from an untrusted peer was
 *       ignored), {@code peer} (the client is the TCP peer, no header ignored). The three add up to
 *       every resolved request.
 *   <li>{@code trustproxy.requests.invalid}: requests whose walk stopped at an invalid entry; each
 *       is also counted in one outcome above (a walk can take its client from the header and stop
 *       further left), so it is its own meter rather than a fourth outcome.
 *   <li>{@code trustproxy.proxy.connections}, tags {@code outcome} ({@code accepted}, {@code
 *       plain}, {@code rejected}), {@code version} ({@code 1}, {@code 2}, {@code none}) and {@code
 *       reason} ({@code none}, {@code untrusted}, {@code no_header}, {@code timeout}, {@code
 *       malformed}, {@code too_large}, {@code checksum}): only with PROXY protocol enabled.
 * </ul>
 */
final class TrustProxyMeters implements MeterBinder {

  private final TrustProxyCounters counters;
  private final boolean proxyProtocol;

  TrustProxyMeters(TrustProxyCounters counters, boolean proxyProtocol) {
    this.counters = counters;
    this.proxyProtocol = proxyProtocol;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    request(registry, "from_header", "Requests whose client came from a forwarding header",
        TrustProxyCounters::resolvedFromHeader);
    request(registry, "header_ignored",
        "Requests whose forwarding header came from an untrusted peer and was ignored",
        TrustProxyCounters::headerIgnored);
    request(registry, "peer", "Requests whose client is the TCP peer",
        c -> Math.max(0, c.requests() - c.resolvedFromHeader() - c.headerIgnored()));
    FunctionCounter.builder("trustproxy.requests.invalid", counters,
            c -> c.stoppedOnInvalid())
        .description("Requests whose walk stopped at an invalid forwarding entry")
        .register(registry);
    if (proxyProtocol) {
      for (Outcome outcome : Outcome.values()) {
        String[] tags = tags(outcome);
        FunctionCounter.builder("trustproxy.proxy.connections", counters,
                c -> c.proxyProtocol(outcome))
            .description("Connections by the outcome of their PROXY protocol phase")
            .tags("outcome", tags[0], "version", tags[1], "reason", tags[2])
            .register(registry);
      }
    }
  }

  private void request(MeterRegistry registry, String outcome, String description,
      ToLongFunction<TrustProxyCounters> count) {
    FunctionCounter.builder("trustproxy.requests", counters, c -> count.applyAsLong(c))
        .description(description)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** outcome, version, reason: every meter of the name carries the same three tag keys. */
  static String[] tags(Outcome outcome) {
    return switch (outcome) {
      case ACCEPTED_V1 -> new String[] {"accepted", "1", "none"};
      case ACCEPTED_V2 -> new String[] {"accepted", "2", "none"};
      case PLAIN_UNTRUSTED -> new String[] {"plain", "none", "untrusted"};
      case PLAIN_WITHOUT_HEADER -> new String[] {"plain", "none", "no_header"};
      default -> new String[] {"rejected", "none",
          outcome.name().substring("REJECTED_".length()).toLowerCase(Locale.ROOT)};
    };
  }
}
