/**
 * The client-address core: strict IP literals ({@link dev.trustproxy.IpAddress}), ranges ({@link
 * dev.trustproxy.IpRange}, {@link dev.trustproxy.IpRangeSet}), the trust setting ({@link
 * dev.trustproxy.TrustPolicy}) and the walk ({@link dev.trustproxy.ClientResolver}, {@link
 * dev.trustproxy.Resolution}), and the counters every adapter keeps of the answers ({@link
 * dev.trustproxy.ResolutionCounters}). No servlet or Jetty type appears here.
 *
 * <p><b>No name resolution.</b> Nothing in this package ever performs a DNS or hosts-file lookup:
 * header and configuration text is parsed as address literals or refused.
 *
 * <p><b>Threat model.</b> X-Forwarded-For is written by whoever sends the request; only entries
 * vouched for by hops you trust are believed, walking from the right. {@code true} believes the
 * left-most, client-written entry; a hop count believes a client that connects directly unless a
 * peer gate is set.
 *
 * <p><b>Lists that change.</b> {@link dev.trustproxy.RangeSource} holds a range setting whose
 * items may name files (a CDN's published list), or a set the application swaps; {@link
 * dev.trustproxy.RangeReloader} is the polling thread an adapter starts and stops with itself.
 *
 * <p><b>Contracts.</b> Every type is immutable and safe for concurrent use, except {@link
 * dev.trustproxy.ResolutionCounters}, {@link dev.trustproxy.RangeSource} (which publishes a new
 * immutable set when it changes), {@link dev.trustproxy.RangeReloader} and {@link
 * dev.trustproxy.PeerAddressCache} (an adapter's memo of its trusted peers' text), which are
 * mutable and safe for concurrent use. Unless stated otherwise, {@code null} arguments cause {@code NullPointerException}. Configuration errors are
 * {@code IllegalArgumentException}s whose message names the setting and quotes the bad input;
 * per-request methods never throw on bad header text.
 *
 * @see <a href="https://expressjs.com/en/guide/behind-proxies.html">Express: behind proxies</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7239">RFC 7239</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5952">RFC 5952</a>
 */
package dev.trustproxy;
