/**
 * Support for the project's own tests (not published): finding the real peers ({@link
 * dev.trustproxy.testsupport.Peer}) on PATH plus {@code /usr/sbin}, {@code /usr/local/sbin} and
 * {@code /sbin}; skipping the tests that need a missing one, or failing them when {@code CI=true}
 * or {@code -Dtrustproxy.peers=required}; running the peers as bounded processes (nginx as the
 * tests configure it, {@link dev.trustproxy.testsupport.Nginx}; one curl request read as {@code
 * key=value} lines, {@link dev.trustproxy.testsupport.CurlLines}); and printing one summary line
 * per test run that skipped something.
 *
 * <p>Everything is stateless except the set of peers found missing in the JVM, which is
 * synchronized, and {@link dev.trustproxy.testsupport.ExternalProcess}, which one test class uses
 * from one thread. No method accepts {@code null}.
 */
package dev.trustproxy.testsupport;
