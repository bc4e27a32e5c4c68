package dev.trustproxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer of a {@link ClientResolver}: who the client is, and how that was decided.
 *
 * <p>Immutable and safe to share between threads. {@link #client()} and {@link #ips()} are
 * computed on first use, so a request that never asks for them does not pay for them.
 */
public final class Resolution {

  /**
   * The request attribute under which every adapter (the servlet filter, the Jetty customizer)
   * stores the request's resolution: {@value} (README D44).
   */
  public static final String ATTRIBUTE = "dev.trustproxy.Resolution";

  private final IpAddress peer;
  private final boolean peerTrusted;
  private final boolean headerIgnored;
  private final boolean stoppedOnInvalid;
  // The client, when it came from the header: an IPv4 int, or the bits of an IPv6 address
  // (the walk's parse cursor, never written again: README D72), plus where its entry element
  // starts and ends in the header and how many entries the walk accepted (its index).
  private final int clientV4;
  private final IpAddress.Bits clientV6;
  private final CharSequence header;
  private final int clientStart;
  private final int clientEnd;
  private final int clientIndex;
  private final boolean rfc7239;

  // Racy single-check caches of immutable values: recomputing them is harmless.
  private IpAddress client;
  private List<IpAddress> ips;

  Resolution(IpAddress peer, int clientV4, IpAddress.Bits clientV6,
      CharSequence header, int clientStart, int clientEnd, int clientIndex,
      boolean stoppedOnInvalid, boolean rfc7239) {
    this.peer = peer;
    this.peerTrusted = true;
    this.headerIgnored = false;
    this.stoppedOnInvalid = stoppedOnInvalid;
    this.clientV4 = clientV4;
    this.clientV6 = clientV6;
    this.header = header; // kept, not copied, for ips(): callers pass an immutable String
    this.clientStart = clientStart;
    this.clientEnd = clientEnd;
    this.clientIndex = clientIndex;
    this.rfc7239 = rfc7239;
  }

  private Resolution(IpAddress peer, boolean peerTrusted, boolean headerIgnored,
      boolean stoppedOnInvalid) {
    this.peer = peer;
    this.peerTrusted = peerTrusted;
    this.headerIgnored = headerIgnored;
    this.stoppedOnInvalid = stoppedOnInvalid;
    this.clientV4 = 0;
    this.clientV6 = null;
    this.header = null;
    this.clientStart = 0;
    this.clientEnd = 0;
    this.clientIndex = 0;
    this.rfc7239 = false;
    this.client = peer;
    this.ips = List.of();
  }

  static Resolution ofPeer(IpAddress peer, boolean peerTrusted, boolean headerIgnored,
      boolean stoppedOnInvalid) {
    return new Resolution(peer, peerTrusted, headerIgnored, stoppedOnInvalid);
  }

  /** The client: the peer, or the address a trusted hop reported. Never a host name. */
  public IpAddress client() {
    IpAddress c = client;
    if (c == null) {
      c = clientV6 == null ? IpAddress.ipv4(clientV4) : clientV6.toAddress();
      client = c;
    }
    return c;
  }

  /**
   * The client's canonical text ({@code client().toString()}), formatted from the walk's bits
   * without making the address object, which adapters that only need the text never ask for.
   */
  String clientText() {
    IpAddress c = client;
    if (c != null) {
      return c.toString();
    }
    return clientV6 == null
        ? IpAddress.ipv4ToString(clientV4)
        : IpAddress.ipv6ToString(clientV6.high, clientV6.low);
  }

  /** The TCP peer the request came from (after PROXY protocol processing). */
  public IpAddress peer() {
    return peer;
  }

  /**
   * Express's {@code req.ips}: the header's addresses from the client to the right-most entry,
   * in header order, canonical; empty when the client is the peer.
   */
  public List<IpAddress> ips() {
    List<IpAddress> list = ips;
    if (list == null) {
      list = collectIps();
      ips = list;
    }
    return list;
  }

  /** True when the client was taken from the forwarding header rather than the peer. */
  public boolean fromHeader() {
    return clientIndex > 0;
  }

  /**
   * True when the peer passed the peer gate and is trusted at index 0: only then are forwarding
   * headers (including X-Forwarded-Proto and X-Forwarded-Host) read.
   */
  public boolean peerTrusted() {
    return peerTrusted;
  }

  /** True when a forwarding header was present but ignored, because the peer is not trusted. */
  public boolean headerIgnored() {
    return headerIgnored;
  }

  /**
   * True when the walk stopped at an entry that is not a valid address; the client is then the
   * nearest trusted hop.
   */
  public boolean stoppedOnInvalid() {
    return stoppedOnInvalid;
  }

  /** How many header entries the walk accepted: the client's index in the walk (0 = the peer). */
  public int clientIndex() {
    return clientIndex;
  }

  /**
   * Where the element that names the client starts in the header: just after the comma that
   * ends the element to its left, or 0. Only meaningful when {@link #fromHeader()}.
   */
  int clientElementStart() {
    return clientStart;
  }

  /** Where that element ends: at the comma that starts the element to its right, or the end. */
  int clientElementEnd() {
    return clientEnd;
  }

  @Override
  public String toString() {
    return "Resolution[client=" + client() + ", peer=" + peer + ", index=" + clientIndex
        + (headerIgnored ? ", headerIgnored" : "")
        + (stoppedOnInvalid ? ", stoppedOnInvalid" : "")
        + (peerTrusted ? ", peerTrusted" : "") + "]";
  }

  private List<IpAddress> collectIps() {
    if (clientIndex == 0) {
      return List.of();
    }
    // The walk's cursor again (Entries.elementStart, Entries.value), over the elements from the
    // client's to the right end, which held valid addresses or nothing.
    List<IpAddress> list = new ArrayList<>(clientIndex);
    int end = header.length();
    while (end >= clientStart && list.size() < clientIndex) {
      int rawStart = Entries.elementStart(header, end, rfc7239);
      long span = Entries.value(header, rawStart, end, rfc7239);
      end = rawStart - 1;
      if (span != Entries.EMPTY && span != Entries.INVALID) {
        list.add(Entries.address(header, (int) (span >>> 32), (int) span));
      }
    }
    Collections.reverse(list);
    return Collections.unmodifiableList(list);
  }
}
