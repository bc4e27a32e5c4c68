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
 * thread and the counters are read rarely, so a request increments one {@link LongAdder} (the
 * one of its combination of outcomes): cheap under contention, exact once recording stops. Read
 * while requests run, the four values are not one snapshot, and a {@link #reset()} that races a
 * {@link #record(Resolution)} may or may not keep that request.
 */
public final class ResolutionCounters {

  private static final int FROM_HEADER = 1;
  private static final int HEADER_IGNORED = 2;
  private static final int STOPPED_ON_INVALID = 4;

  // One counter per combination of the three outcomes, so a request costs one increment, not up
  // to four; the rare reads add up the combinations they cover.
  private final LongAdder[] byOutcome = new LongAdder[8];
  private final LongAdder rangeReloadFailures = new LongAdder();

  /** All counters at zero. */
  public ResolutionCounters() {
    for (int i = 0; i < byOutcome.length; i++) {
      byOutcome[i] = new LongAdder();
    }
  }

  /**
   * Counts one resolved request under every outcome it has: a walk can both take its client from
   * the header and stop at an invalid entry further left.
   *
   * @param resolution the request's answer
   */
  public void record(Resolution resolution) {
    byOutcome[(resolution.fromHeader() ? FROM_HEADER : 0)
        | (resolution.headerIgnored() ? HEADER_IGNORED : 0)
        | (resolution.stoppedOnInvalid() ? STOPPED_ON_INVALID : 0)].increment();
  }

  /** The requests recorded with every outcome in {@code outcomes}. */
  private long sum(int outcomes) {
    long sum = 0;
    for (int i = 0; i < byOutcome.length; i++) {
      if ((i & outcomes) == outcomes) {
        sum += byOutcome[i].sum();
      }
    }
    return sum;
  }

  /**
   * Requests recorded: every request whose peer is an IP address.
   *
   * @return the count
   */
  public long requests() {
    return sum(0);
  }

  /**
   * Requests whose client came from a forwarding header ({@link Resolution#fromHeader()}).
   *
   * @return the count
   */
  public long resolvedFromHeader() {
    return sum(FROM_HEADER);
  }

  /**
   * Requests whose forwarding header came from an untrusted peer and was ignored ({@link
   * Resolution#headerIgnored()}): clients that bypass the proxies, or a proxy missing from the
   * trust setting.
   *
   * @return the count
   */
  public long headerIgnored() {
    return sum(HEADER_IGNORED);
  }

  /**
   * Requests whose walk stopped at an invalid entry ({@link Resolution#stoppedOnInvalid()}).
   *
   * @return the count
   */
  public long stoppedOnInvalid() {
    return sum(STOPPED_ON_INVALID);
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
    for (LongAdder counter : byOutcome) {
      counter.reset();
    }
    rangeReloadFailures.reset();
  }

  @Override
  public String toString() {
    return "ResolutionCounters[requests=" + requests() + ", resolvedFromHeader="
        + resolvedFromHeader() + ", headerIgnored=" + headerIgnored() + ", stoppedOnInvalid="
        + stoppedOnInvalid() + ", rangeReloadFailures=" + rangeReloadFailures() + "]";
  }
}
