package dev.trustproxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer of a {@link ClientResolver}: who the client is, and how that was decided.
 *
 * <p>Immutable and safe to share between threads. {@link #client()} and {@link #ips()} are
 * computed on first use, so a request that never asks for them does not pay for them.
 *
 * <p>A resolution is also the walk's IPv6 parse target ({@link IpAddress.Bits}, README D72): the
 * walk runs in its constructor, so the answer is the only object a walk allocates.
 */
public final class Resolution extends IpAddress.Bits {

  /**
   * The request attribute under which every adapter (the servlet filter, the Jetty customizer)
   * stores the request's resolution: {@value} (README D44).
   */
  public static final String ATTRIBUTE = "dev.trustproxy.Resolution";

  /**
   * Why a trusted peer's single-address header (README D90) was not believed, so the client is
   * the peer (README D92).
   */
  public enum Rejection {
    /** The header came in more than one field line. */
    SEVERAL_FIELD_LINES,
    /** The value is a list (it has a comma): these headers hold one address. */
    LIST,
    /** The address has a port ({@code 192.0.2.1:443}, {@code [2001:db8::1]:443}). */
    PORT,
    /** The value is empty or only spaces and tabs. */
    EMPTY,
    /** The value is not an IP literal (a name, {@code unknown}, {@code 0.0.0.0}, a zone). */
    NOT_AN_ADDRESS
  }

  /** The IPv6 prefix length of {@link #rateLimitKey()}: a /64 is one site (README D95). */
  public static final int DEFAULT_IPV6_PREFIX = 64;

  private final IpAddress peer;
  private final boolean peerTrusted;
  private final boolean headerIgnored;
  private final boolean stoppedOnInvalid;
  // The client, when it came from a header: its 128 bits (IPv4 as ::ffff:a.b.c.d) and the shape
  // of its text are this object's Bits, the walk's parse target, never written after the
  // constructor (README D72).
  // They are not final, so they are read only through this final field: a thread that gets this
  // object through a data race then sees them as the constructor left them (JLS 17.5.1).
  private final IpAddress.Bits clientBits = this;
  // Where the client's element starts and ends in the header, and how many entries the walk
  // accepted (the client's index).
  private final CharSequence header;
  private final int clientStart;
  private final int clientEnd;
  private final int clientIndex;
  private final boolean rfc7239;
  // A single-address header: its lower-case name when it named the client; the reason otherwise.
  private final String singleHeader;
  private final Rejection rejection;

  // Racy single-check caches of immutable values: recomputing them is harmless.
  private IpAddress client;
  private List<IpAddress> ips;

  /**
   * The answer of {@code resolver} for {@code peer} and its forwarding header: the walk ({@link
   * ClientResolver}'s class description) when the peer may send the header. It runs here so that
   * the one IPv6 parser writes each IPv6 entry's 128 bits into this object's {@link
   * IpAddress.Bits}: Java cannot return 128 bits without an object, and this one is the answer
   * anyway (README D72). Locals instead of objects: an entry is matched and kept as its bits (an
   * IPv4 int in clientLow, or IPv6's 128), so nothing is allocated per entry. Deciding here
   * whether to read the header keeps the caller small: when that decision was in the caller, C2
   * inlined it (with the range lookup) into the filter, which then allocated 24 B/op more
   * (measured: JMH trustproxyFilter, IPv4, ranges).
   *
   * @param header kept, not copied, for {@link #ips()}: callers pass an immutable String; null
   *     when the request has none
   */
  Resolution(ClientResolver resolver, IpAddress peer, CharSequence header, boolean rfc7239) {
    // One read of a changing trust setting per walk (README D82): every hop is judged by it.
    TrustPolicy trust = resolver.trust().current();
    boolean peerTrusted = resolver.trustsPeer(trust, peer);
    boolean read = peerTrusted && header != null;
    // The current hop, trusted so far, starts at the peer (index 0).
    int index = 0;
    boolean clientIsV4 = false;
    long clientHigh = 0;
    long clientLow = 0;
    int clientTextRun = 0;
    int clientStart = 0;
    int clientEnd = 0;
    int end = read ? header.length() : 0;
    boolean stoppedOnInvalid = false;
    while (read) { // left only by a break
      if (!Entries.hasContentBefore(header, end)) {
        break; // no entry left: the current hop (left-most entry, or the peer) is the client
      }
      // Express never asks about the left-most entry, so trust is checked only now.
      if (index > 0 && !trust.trusts(clientIsV4, clientHigh, clientLow, index)) {
        break; // the current hop is not trusted: it is the client
      }
      // The next non-empty element to the left (one exists); empty elements are not hops.
      long span = Entries.EMPTY;
      int rawStart = 0;
      int rawEnd = end;
      while (end >= 0 && span == Entries.EMPTY) {
        rawEnd = end;
        rawStart = Entries.elementStart(header, end, rfc7239);
        span = Entries.value(header, rawStart, end, rfc7239);
        end = rawStart - 1; // -1 once the left end is reached
      }
      boolean isV4;
      long high = 0;
      long low;
      int textRun = 0;
      if (span == Entries.INVALID) {
        low = 0; // unspecified: refused below
        isV4 = true;
      } else {
        int from = (int) (span >>> 32);
        int to = (int) span;
        long v4 = Entries.ipv4(header, from, to);
        if (v4 >= 0) {
          isV4 = true;
          low = v4 & 0xffffffffL;
          textRun = v4 == low ? 0 : IpAddress.Bits.NOT_RFC5952; // with a port, the text is more
        } else if (!Entries.ipv6(header, from, to, this)) {
          isV4 = true;
          low = 0;
        } else if (isMappedIpv4()) {
          isV4 = true;
          low = this.low & 0xffffffffL;
          textRun = IpAddress.Bits.NOT_RFC5952; // ::ffff:a.b.c.d prints as a.b.c.d
        } else {
          isV4 = false;
          high = this.high;
          low = this.low;
          textRun = this.textRun;
        }
      }
      if (high == 0 && low == 0) {
        stoppedOnInvalid = true; // not an address, or 0.0.0.0 or ::, which never name a client
        break;
      }
      index++;
      clientStart = rawStart;
      clientEnd = rawEnd;
      clientIsV4 = isV4;
      clientHigh = high;
      clientLow = low;
      clientTextRun = textRun;
    }
    // A later entry may have been parsed into the bits after the client's: set them again.
    setBits(clientIsV4, clientHigh, clientLow);
    this.textRun = clientTextRun;
    boolean walked = index > 0; // otherwise the client is the peer, as for ofPeer
    this.peer = peer;
    this.peerTrusted = peerTrusted;
    this.headerIgnored = ignores(peerTrusted, header);
    this.stoppedOnInvalid = stoppedOnInvalid;
    this.header = walked ? header : null;
    this.clientStart = walked ? clientStart : 0;
    this.clientEnd = walked ? clientEnd : 0;
    this.clientIndex = index;
    this.rfc7239 = walked && rfc7239;
    this.singleHeader = null;
    this.rejection = null;
    if (!walked) {
      this.client = peer;
      this.ips = List.of();
    }
  }

  private Resolution(IpAddress peer, boolean peerTrusted, boolean headerIgnored,
      boolean stoppedOnInvalid) {
    this(peer, peerTrusted, headerIgnored, stoppedOnInvalid, null);
  }

  /** The client is the peer; a single-address header's rejection counts as stopping (D92). */
  private Resolution(IpAddress peer, boolean peerTrusted, boolean headerIgnored,
      boolean stoppedOnInvalid, Rejection rejection) {
    this.peer = peer;
    this.peerTrusted = peerTrusted;
    this.headerIgnored = headerIgnored;
    this.stoppedOnInvalid = stoppedOnInvalid;
    this.header = null;
    this.clientStart = 0;
    this.clientEnd = 0;
    this.clientIndex = 0;
    this.rfc7239 = false;
    this.singleHeader = null;
    this.rejection = rejection;
    this.client = peer;
    this.ips = List.of();
  }

  /** A trusted peer's single-address header named {@code client} (README D90). */
  private Resolution(IpAddress peer, IpAddress client, String singleHeader) {
    this.peer = peer;
    this.peerTrusted = true;
    this.headerIgnored = false;
    this.stoppedOnInvalid = false;
    // In the bits too, so that a thread that misses the cache below rebuilds the same.
    setBits(client.isIpv4(), client.high(), client.low());
    this.header = null;
    this.clientStart = 0;
    this.clientEnd = 0;
    this.clientIndex = 1;
    this.rfc7239 = false;
    this.singleHeader = singleHeader;
    this.rejection = null;
    this.client = client;
    this.ips = List.of(client);
  }

  static Resolution ofSingle(IpAddress peer, IpAddress client, String headerName) {
    return new Resolution(peer, client, headerName);
  }

  static Resolution rejected(IpAddress peer, Rejection rejection) {
    return new Resolution(peer, true, false, true, rejection);
  }

  static Resolution ofPeer(IpAddress peer, boolean peerTrusted, boolean headerIgnored,
      boolean stoppedOnInvalid) {
    return new Resolution(peer, peerTrusted, headerIgnored, stoppedOnInvalid);
  }

  /** Whether a header is present but ignored: its peer may not send one (README D17). */
  static boolean ignores(boolean peerTrusted, CharSequence header) {
    return !peerTrusted && header != null && Entries.hasContent(header);
  }

  /** The client: the peer, or the address a trusted hop reported. Never a host name. */
  public IpAddress client() {
    IpAddress c = client;
    if (c == null) {
      c = clientIsPeer() ? peer : clientBits.toAddress();
      client = c;
    }
    return c;
  }

  /** No walk named a client and no single-address header did: the client is the peer. */
  private boolean clientIsPeer() {
    return header == null && singleHeader == null;
  }

  /**
   * The client's canonical text ({@code client().toString()}), formatted from the walk's bits
   * without making the address object, which adapters that only need the text never ask for.
   */
  String clientText() {
    IpAddress c = client;
    if (c != null || clientIsPeer()) {
      return client().toString();
    }
    IpAddress.Bits bits = clientBits;
    boolean v4 = bits.isMappedIpv4();
    if (!rfc7239) {
      // An X-Forwarded-For entry that already is its canonical text is copied, not formatted: a
      // bare dotted quad always is (the grammar has no leading zeros), and IPv6 text is when the
      // parser found it RFC 5952's (what proxies write). With a port, brackets or as ::ffff:a.b.c.d
      // it is formatted. The walk recorded which (D115, D116): the text is not read again.
      long span = Entries.trim(header, clientStart, clientEnd);
      int from = (int) (span >>> 32);
      int to = (int) span;
      if (span != Entries.EMPTY && (v4
          ? bits.textRun != IpAddress.Bits.NOT_RFC5952
          : bits.isRfc5952Text())) {
        return header.subSequence(from, to).toString();
      }
    }
    if (!v4) {
      return IpAddress.ipv6ToString(bits.high, bits.low);
    }
    return IpAddress.ipv4ToString((int) bits.low);
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

  /**
   * The header the client came from, in lower case: {@code x-forwarded-for}, {@code forwarded},
   * or the configured single-address header (README D90).
   *
   * @return the header's name, or null when the client is the peer
   */
  public String clientHeader() {
    if (clientIndex == 0) {
      return null;
    }
    return singleHeader != null ? singleHeader : rfc7239 ? "forwarded" : "x-forwarded-for";
  }

  /**
   * Why a trusted peer's single-address header was not believed (README D92); such a request
   * also counts as {@link #stoppedOnInvalid()}.
   *
   * @return the reason, or null when there was none (any family walk, or a believed value)
   */
  public Rejection rejection() {
    return rejection;
  }

  /**
   * The client's rate-limit key with an IPv6 /64 ({@link IpAddress#rateLimitKey(int)}, README
   * D95).
   *
   * @return the IPv4 address, or the client's IPv6 /64 network
   */
  public String rateLimitKey() {
    return client().rateLimitKey(DEFAULT_IPV6_PREFIX);
  }

  /** How many header entries the walk accepted: the client's index in the walk (0 = the peer). */
  public int clientIndex() {
    return clientIndex;
  }

  /** The header the walk read, kept when it named the client; null otherwise. */
  CharSequence header() {
    return header;
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
        + (singleHeader != null ? ", header=" + singleHeader : "")
        + (rejection != null ? ", rejected " + rejection : "")
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
