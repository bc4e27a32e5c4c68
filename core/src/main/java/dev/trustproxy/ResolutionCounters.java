package dev.trustproxy;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the outcomes of the requests an adapter resolved: how many, how many took their client
 * from a forwarding header, how many brought a header from an untrusted peer, how many stopped at
 * an invalid entry. It is the one definition of these counters, so the servlet filter, the Tomcat
 * valve and any later adapter report the same numbers for the same traffic; each adapter only
 * exposes them (JMX, Tomcat MBean attributes).
 *
 * <p>Mutable and safe for concurrent use. {@link #record(Resolution)} runs on every request
 * thread and the counters are read rarely, so each is a {@link LongAdder}: cheap under
 * contention, exact once recording stops. Read while requests run, the four values are not one
 * snapshot, and a {@link #reset()} that races a {@link #record(Resolution)} may keep part of
 * that request.
 */
public final class ResolutionCounters {

  private final LongAdder requests = new LongAdder();
  private final LongAdder resolvedFromHeader = new LongAdder();
  private final LongAdder headerIgnored = new LongAdder();
  private final LongAdder stoppedOnInvalid = new LongAdder();
  private final LongAdder rangeReloadFailures = new LongAdder();

  /** All counters at zero. */
  public ResolutionCounters() {}

  /**
   * Counts one resolved request under every outcome it has: a walk can both take its client from
   * the header and stop at an invalid entry further left.
   *
   * @param resolution the request's answer
   */
  public void record(Resolution resolution) {
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

  /**
   * Requests recorded: every request whose peer is an IP address.
   *
   * @return the count
   */
  public long requests() {
    return requests.sum();
  }

  /**
   * Requests whose client came from a forwarding header ({@link Resolution#fromHeader()}).
   *
   * @return the count
   */
  public long resolvedFromHeader() {
    return resolvedFromHeader.sum();
  }

  /**
   * Requests whose forwarding header came from an untrusted peer and was ignored ({@link
   * Resolution#headerIgnored()}): clients that bypass the proxies, or a proxy missing from the
   * trust setting.
   *
   * @return the count
   */
  public long headerIgnored() {
    return headerIgnored.sum();
  }

  /**
   * Requests whose walk stopped at an invalid entry ({@link Resolution#stoppedOnInvalid()}).
   *
   * @return the count
   */
  public long stoppedOnInvalid() {
    return stoppedOnInvalid.sum();
  }

  /**
   * Counts one trusted-range file that failed to reload (README D82): the last good set stayed in
   * use. Called by the adapter's {@link RangeReloader}.
   */
  public void recordRangeReloadFailure() {
    rangeReloadFailures.increment();
  }

  /**
   * Trusted-range files (of the trust setting or the peer gate) that changed into something that
   * does not parse, or could not be read, since start or the last reset.
   *
   * @return the count
   */
  public long rangeReloadFailures() {
    return rangeReloadFailures.sum();
  }

  /** Sets every counter to zero. */
  public void reset() {
    requests.reset();
    resolvedFromHeader.reset();
    headerIgnored.reset();
    stoppedOnInvalid.reset();
    rangeReloadFailures.reset();
  }

  @Override
  public String toString() {
    return "ResolutionCounters[requests=" + requests() + ", resolvedFromHeader="
        + resolvedFromHeader() + ", headerIgnored=" + headerIgnored() + ", stoppedOnInvalid="
        + stoppedOnInvalid() + ", rangeReloadFailures=" + rangeReloadFailures() + "]";
  }
}
