package dev.trustproxy.proxyprotocol;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * What happened to the connections of one listener, counted by {@link Outcome}, with every
 * closed connection also logged: at most once per peer per minute (and 100 times a minute in
 * all) at WARN, the rest at DEBUG, never with the received bytes.
 *
 * <p>One instance per listener, shared by its connections; an adapter exposes {@link
 * #count(Outcome)} under its own names (JMX attributes, ...). Thread-safe: counting is a {@link
 * LongAdder} increment.
 */
public final class ProxyProtocolCounters {

  /** Every way a connection can end its PROXY phase. */
  public enum Outcome {
    /** A valid v1 header was accepted. */
    ACCEPTED_V1,
    /** A valid v2 header was accepted. */
    ACCEPTED_V2,
    /** An untrusted peer was served plain ({@link ProxyProtocolSettings.UntrustedPeers#PLAIN}). */
    PLAIN_UNTRUSTED,
    /** A trusted peer sent no header and was served plain (optional header mode). */
    PLAIN_WITHOUT_HEADER,
    /** Closed: the peer is not a trusted source. */
    REJECTED_UNTRUSTED,
    /** Closed: the header did not arrive before the deadline. */
    REJECTED_TIMEOUT,
    /** Closed: a missing, malformed or unsupported header. */
    REJECTED_MALFORMED,
    /** Closed: a header over the size limit. */
    REJECTED_TOO_LARGE,
    /** Closed: a v2 CRC32C mismatch. */
    REJECTED_CHECKSUM;

    /** The outcome a parser rejection counts as. */
    public static Outcome of(Reason reason) {
      return switch (reason) {
        case TOO_LARGE -> REJECTED_TOO_LARGE;
        case CHECKSUM -> REJECTED_CHECKSUM;
        case MALFORMED, UNSUPPORTED -> REJECTED_MALFORMED;
      };
    }
  }

  private final LongAdder[] counts = new LongAdder[Outcome.values().length];
  private final RejectionLog rejectionLog;
  private final LongAdder rangeReloadFailures = new LongAdder();

  /**
   * @param log where closed connections are reported (the adapter's logger, so operators find
   *     the messages under the connector's name)
   */
  public ProxyProtocolCounters(Logger log) {
    Objects.requireNonNull(log, "log");
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
    this.rejectionLog = new RejectionLog(log, TimeUnit.SECONDS.toNanos(60), 4096, 100);
  }

  /** The number of connections with {@code outcome} since creation or the last {@link #reset}. */
  public long count(Outcome outcome) {
    return counts[outcome.ordinal()].sum();
  }

  /** Sets every count to zero. */
  public void reset() {
    for (LongAdder count : counts) {
      count.reset();
    }
    rangeReloadFailures.reset();
  }

  /**
   * Counts a file of {@code trustedSources} that failed to reload (README D82): the last good
   * list stayed in use. Not a connection outcome.
   */
  public void rangeReloadFailed() {
    rangeReloadFailures.increment();
  }

  /** Files of {@code trustedSources} that failed to reload since creation or the last reset. */
  public long rangeReloadFailures() {
    return rangeReloadFailures.sum();
  }

  /** Counts an accepted header by its version. */
  public void accepted(ProxyHeader header) {
    increment(header.version() == 1 ? Outcome.ACCEPTED_V1 : Outcome.ACCEPTED_V2);
  }

  /** Counts an untrusted peer served plain. */
  public void plainUntrusted() {
    increment(Outcome.PLAIN_UNTRUSTED);
  }

  /** Counts a trusted peer served plain without a header (optional header mode). */
  public void plainWithoutHeader() {
    increment(Outcome.PLAIN_WITHOUT_HEADER);
  }

  /**
   * Counts and logs a connection closed because its peer is not trusted.
   *
   * @param peer the peer as text: the address, or the socket address when it is not IP
   */
  public void untrusted(String peer) {
    increment(Outcome.REJECTED_UNTRUSTED);
    rejectionLog.rejected(peer, "peer is not a trusted PROXY source", "trustedSources");
  }

  /** Counts and logs a connection closed at the header deadline. */
  public void timedOut(IpAddress peer, Duration headerTimeout) {
    increment(Outcome.REJECTED_TIMEOUT);
    rejectionLog.rejected(
        peer.toString(), "PROXY header not received in time", "headerTimeout " + headerTimeout);
  }

  /**
   * Counts and logs a connection closed for a bad header.
   *
   * @param message the parser's (or the adapter's) description; never the received bytes
   */
  public void rejected(IpAddress peer, Reason reason, String message) {
    increment(Outcome.of(reason));
    rejectionLog.rejected(peer.toString(), "bad PROXY header", message);
  }

  private void increment(Outcome outcome) {
    counts[outcome.ordinal()].increment();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ProxyProtocolCounters[");
    for (Outcome outcome : Outcome.values()) {
      b.append(outcome == Outcome.ACCEPTED_V1 ? "" : ", ").append(outcome).append('=')
          .append(count(outcome));
    }
    return b.append(", rangeReloadFailures=").append(rangeReloadFailures()).append(']')
        .toString();
  }
}
