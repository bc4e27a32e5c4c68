package dev.trustproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the client of a request from its TCP peer and its forwarding header, the way Express's
 * {@code req.ip} does, with the corrections listed in the README's "Decisions".
 *
 * <p>The walk is {@code [peer, xff_n, ..., xff_1]}: the peer first, then the X-Forwarded-For
 * entries from right to left. Each trusted hop vouches for the entry to its left; the first hop
 * that is not trusted is the client. Concretely:
 *
 * <ol>
 *   <li>If the peer is not trusted at index 0, or is outside the trusted peers (the peer gate),
 *       the header is ignored and the client is the peer.
 *   <li>Empty list elements are not hops. An entry that is not a valid address ({@code unknown},
 *       {@code _hidden}, {@code 127.1}, a host name, {@code 0.0.0.0}) stops the walk; the client
 *       is then the nearest trusted hop, never text chosen by whoever wrote the entry.
 *   <li>When every hop is trusted the left-most entry is the client, as in Express.
 * </ol>
 *
 * <p>Work is bounded by the entries walked, not the header's length: the header is scanned from
 * its right end and nothing left of the answer is read. No name is ever resolved.
 *
 * <p>Immutable and safe to share between threads; build one at start-up and reuse it.
 */
public final class ClientResolver {

  private final TrustPolicy trust;
  private final RangeSource trustedPeers;

  private ClientResolver(TrustPolicy trust, RangeSource trustedPeers) {
    this.trust = trust;
    this.trustedPeers = trustedPeers;
  }

  /** A resolver that applies {@code trust}, with no peer gate. */
  public static ClientResolver of(TrustPolicy trust) {
    return new ClientResolver(Objects.requireNonNull(trust, "trust"), null);
  }

  /**
   * The same resolver, but no forwarding header is read unless the peer is in {@code peers}.
   *
   * <p>This is beyond Express, and recommended with hop counts: a hop count alone trusts any
   * client that connects directly and writes the header itself.
   */
  public ClientResolver withTrustedPeers(IpRangeSet peers) {
    Objects.requireNonNull(peers, "peers");
    return new ClientResolver(trust, RangeSource.fixed(peers));
  }

  /** The same peer gate (if any) with another trust setting. */
  public ClientResolver withTrust(TrustPolicy trust) {
    return new ClientResolver(Objects.requireNonNull(trust, "trust"), trustedPeers);
  }

  /** The same resolver with a peer gate whose set can change (files, or swapped; README D82). */
  public ClientResolver withTrustedPeers(RangeSource peers) {
    Objects.requireNonNull(peers, "peers");
    return new ClientResolver(trust, peers);
  }

  /**
   * The sources of the trust setting and the peer gate that can change, for an adapter to poll
   * with a {@link RangeReloader}; empty when both are fixed.
   */
  public List<RangeSource> rangeSources() {
    List<RangeSource> sources = new ArrayList<>(2);
    if (trust.source() != null) {
      sources.add(trust.source());
    }
    if (trustedPeers != null && trustedPeers.isDynamic()) {
      sources.add(trustedPeers);
    }
    return List.copyOf(sources);
  }

  public TrustPolicy trust() {
    return trust;
  }

  /** The peer gate's current set, or {@code null} when there is none. */
  public IpRangeSet trustedPeers() {
    return trustedPeers == null ? null : trustedPeers.current();
  }

  /**
   * Whether forwarding headers from this peer may be read at all: it passes the peer gate and is
   * trusted at index 0. This is also the rule for X-Forwarded-Proto and X-Forwarded-Host.
   */
  public boolean trustsPeer(IpAddress peer) {
    return trustsPeer(trust.current(), peer);
  }

  /** {@link #trustsPeer(IpAddress)} under {@code trust}, a {@link TrustPolicy#current()} read. */
  boolean trustsPeer(TrustPolicy trust, IpAddress peer) {
    return (trustedPeers == null || trustedPeers.current().contains(peer))
        && trust.isTrusted(peer, 0);
  }

  /**
   * Resolves the client from X-Forwarded-For.
   *
   * @param peer the TCP peer (after PROXY protocol processing)
   * @param xForwardedFor every X-Forwarded-For field line joined in arrival order with {@code ", "},
   *     or {@code null} when the request has none. It is kept by the result for {@link
   *     Resolution#ips()}, not copied: pass a {@code String} or text that does not change.
   */
  public Resolution resolve(IpAddress peer, CharSequence xForwardedFor) {
    return walk(peer, xForwardedFor, false);
  }

  /**
   * Resolves the client from the {@code for=} parameters of an RFC 7239 {@code Forwarded} header,
   * with the same rules as {@link #resolve}. Elements are delimited from the right and each is read
   * with the one strict element reader; an element that does not parse (an unclosed quote, a bad
   * token, a repeated {@code for}, {@code by}, {@code host} or {@code proto}) stops the walk like
   * an invalid entry (README D20, D42). The result keeps the client's element span, from which
   * {@link Forwarding} reads {@code proto=} and {@code host=}.
   *
   * @param forwarded every Forwarded field line joined in arrival order with {@code ", "}, or
   *     {@code null} when the request has none
   */
  public Resolution resolveForwarded(IpAddress peer, CharSequence forwarded) {
    return walk(peer, forwarded, true);
  }

  /**
   * Resolves the client from a header that holds one address (README D90-D92): believed only when
   * {@link #trustsPeer} (a hop count or range list is asked about the peer alone, index 0), and
   * only when the value is exactly one address; otherwise the client is the peer and {@link
   * Resolution#rejection()} says why.
   *
   * @param headerName the header's name in lower case, for {@link Resolution#clientHeader()}
   * @param value every field line joined in arrival order with {@code ", "}, or null when none
   * @param severalLines whether the request had more than one field line of the header
   */
  Resolution resolveSingle(IpAddress peer, String headerName, String value,
      boolean severalLines) {
    Resolution unread = unread(peer, value);
    return unread != null ? unread : SingleAddress.read(peer, headerName, value, severalLines);
  }

  /**
   * The answer when the header is not read: there is none, or the peer may not send one (its
   * presence is recorded, README D17); null when the header must be read.
   */
  private Resolution unread(IpAddress peer, CharSequence header) {
    Objects.requireNonNull(peer, "peer");
    boolean peerTrusted = trustsPeer(peer);
    return peerTrusted && header != null ? null
        : Resolution.ofPeer(peer, peerTrusted, Resolution.ignores(peerTrusted, header), false);
  }

  private Resolution walk(IpAddress peer, CharSequence header, boolean rfc7239) {
    // The answer's constructor decides whether to read the header and walks it, so that the
    // answer is the walk's one allocation and its IPv6 parse target (README D72).
    return new Resolution(this, Objects.requireNonNull(peer, "peer"), header, rfc7239);
  }

  @Override
  public String toString() {
    return "ClientResolver[trust=" + trust
        + (trustedPeers == null ? "" : ", trustedPeers=" + trustedPeers) + "]";
  }
}
