package dev.trustproxy.proxyprotocol;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs rejected connections without letting a peer flood the log: at most one WARN per peer
 * address per interval, and at most {@code maxWarningsPerInterval} WARNs per interval in total
 * (a spray of source addresses cannot get around the per-peer limit). Everything else goes to
 * DEBUG. Messages come from the parser or the adapter and never contain received bytes.
 *
 * <p>Memory is bounded: the per-peer table keeps the most recently warned {@code maxPeers}
 * addresses. Thread-safe.
 */
final class RejectionLog {

  private final Logger log;
  private final long intervalNanos;
  private final int maxWarningsPerInterval;
  private final Map<String, Long> lastWarned;
  private long windowStart;
  private int warningsInWindow;
  private long suppressed;

  RejectionLog(Logger log, long intervalNanos, int maxPeers, int maxWarningsPerInterval) {
    this.log = log;
    this.intervalNanos = intervalNanos;
    this.maxWarningsPerInterval = maxWarningsPerInterval;
    this.lastWarned =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > maxPeers;
          }
        };
    this.windowStart = System.nanoTime() - intervalNanos;
  }

  /**
   * Records one rejected connection.
   *
   * @param peer the TCP peer address as text (never header content)
   * @param what a short reason, e.g. "malformed PROXY header"
   * @param detail the parser's message (safe: no raw bytes)
   */
  void rejected(String peer, String what, String detail) {
    long now = System.nanoTime();
    long suppressedBefore;
    synchronized (this) {
      if (now - windowStart >= intervalNanos) {
        windowStart = now;
        warningsInWindow = 0;
      }
      Long last = lastWarned.get(peer);
      boolean peerQuiet = last == null || now - last >= intervalNanos;
      if (!peerQuiet || warningsInWindow >= maxWarningsPerInterval) {
        suppressed++;
        suppressedBefore = -1;
      } else {
        lastWarned.put(peer, now);
        warningsInWindow++;
        suppressedBefore = suppressed;
        suppressed = 0;
      }
    }
    if (suppressedBefore >= 0 && log.isWarnEnabled()) {
      log.warn(
          "Closed connection from {}: {} ({}); further rejections from this peer are logged at"
              + " DEBUG for the next {} s; {} earlier rejections were not logged at WARN",
          peer,
          what,
          detail,
          intervalNanos / 1_000_000_000L,
          suppressedBefore);
    } else if (log.isDebugEnabled()) {
      log.debug("Closed connection from {}: {} ({})", peer, what, detail);
    }
  }
}
