package dev.trustproxy.jetty;

import dev.trustproxy.IpAddress;
import dev.trustproxy.IpRangeSet;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.ManagedOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PROXY protocol v1 and v2 for a Jetty 12 connector, accepted only from trusted peers and parsed
 * strictly to the specification ({@code haproxy/haproxy:doc/proxy-protocol.txt}).
 *
 * <p>Put it first in the connector's protocol list, naming the protocol that follows:
 *
 * <pre>{@code
 * HttpConnectionFactory http = new HttpConnectionFactory(new HttpConfiguration());
 * ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory(http.getProtocol());
 * proxy.setTrustedSources("10.0.0.0/8, loopback");
 * ServerConnector connector = new ServerConnector(server, proxy, http);
 * }</pre>
 *
 * <p>For TLS the next protocol is the {@code SslConnectionFactory}'s ({@code "ssl"}), which then
 * leads to ALPN, HTTP/2 or HTTP/1.1 as usual; for cleartext HTTP/2 it is {@code "h2c"}.
 *
 * <p>What happens on each accepted connection, decided from the TCP peer address before a byte is
 * read:
 *
 * <ul>
 *   <li>Peer in {@link #setTrustedSources(String) trustedSources}: the connection must start with
 *       a valid PROXY header. A missing, malformed, oversized or late header closes the connection;
 *       the factory never guesses and never falls back to plain HTTP (the one exception is the
 *       opt-in {@link #setOptionalHeader(boolean) optional header} mode for health checks). Exactly
 *       the header's bytes are consumed; everything after it reaches the next protocol unchanged.
 *       The header's addresses become the connection's remote and local addresses, and every
 *       request sees the {@link ProxyHeader} as request attribute {@link ProxyHeader#ATTRIBUTE}.
 *   <li>Any other peer: closed ({@link UntrustedPeers#CLOSE}, the default), or served as a plain
 *       connection without looking at its bytes ({@link UntrustedPeers#PLAIN}); a {@code PROXY}
 *       line it sends is then just bad HTTP.
 * </ul>
 *
 * <p>The header must arrive within {@link #setHeaderTimeout(Duration) headerTimeout} of accept
 * (an absolute deadline, not an idle timer, so a trickle of bytes does not extend it).
 *
 * <p>Request attribute: the factory adds a {@link ProxyHeaderCustomizer} to every {@link
 * HttpConfiguration} of its connector when the first connection arrives (unless one is already
 * there), so {@code request.getAttribute(ProxyHeader.ATTRIBUTE)} works without further setup.
 *
 * <p>Counters (also over JMX) count accepted headers by version and closed connections by reason;
 * rejections are logged at most once per peer per minute at WARN, the rest at DEBUG, never with
 * the received bytes.
 *
 * <p>Configure before start; the setters are not meant to be called on a running connector.
 */
@ManagedObject("PROXY protocol v1/v2 from trusted peers")
public class ProxyProtocolConnectionFactory extends AbstractConnectionFactory {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolConnectionFactory.class);

  /** The protocol name of this factory in a connector's protocol list. */
  public static final String PROTOCOL = "proxy";

  /** What to do with a connection from a peer outside the trusted sources. */
  public enum UntrustedPeers {
    /** Close it at once (for listeners that only proxies reach). */
    CLOSE,
    /**
     * Serve it as a plain connection of the next protocol, without parsing anything (for
     * listeners that also take direct traffic). A PROXY header from such a peer is application
     * data, so HTTP answers 400.
     */
    PLAIN
  }

  private final String nextProtocol;
  private IpRangeSet trustedSources;
  private UntrustedPeers untrustedPeers = UntrustedPeers.CLOSE;
  private boolean optionalHeader;
  private boolean v1Enabled = true;
  private boolean v2Enabled = true;
  private int maxV2HeaderSize = ProxyHeaderParser.DEFAULT_MAX_V2_HEADER_SIZE;
  private Duration headerTimeout = Duration.ofSeconds(10);
  private boolean acceptIpv4InTcp6;
  private boolean sslTlvMarksSecure;

  private volatile ProxyHeaderParser parser;
  private final RejectionLog rejectionLog =
      new RejectionLog(LOG, TimeUnit.SECONDS.toNanos(60), 4096, 100);
  // Connectors are few and live as long as the server; a strong set is fine.
  private final Set<Connector> customizedConnectors = ConcurrentHashMap.newKeySet();

  private final LongAdder acceptedV1 = new LongAdder();
  private final LongAdder acceptedV2 = new LongAdder();
  private final LongAdder plainUntrusted = new LongAdder();
  private final LongAdder plainWithoutHeader = new LongAdder();
  private final LongAdder rejectedUntrusted = new LongAdder();
  private final LongAdder rejectedTimeout = new LongAdder();
  private final LongAdder rejectedMalformed = new LongAdder();
  private final LongAdder rejectedTooLarge = new LongAdder();
  private final LongAdder rejectedChecksum = new LongAdder();

  /**
   * @param nextProtocol the protocol that follows the header, for example {@code "http/1.1"},
   *     {@code "ssl"} or {@code "h2c"}; {@code null} means the next one in the connector's list
   */
  public ProxyProtocolConnectionFactory(String nextProtocol) {
    super(PROTOCOL);
    this.nextProtocol = nextProtocol;
  }

  // ------------------------------------------------------------------ configuration

  /**
   * The peers that may (and must) send a PROXY header, in the library's range syntax: a
   * comma-separated list of addresses, {@code addr/prefix}, IPv4 {@code addr/netmask}, or the
   * presets {@code loopback}, {@code linklocal}, {@code uniquelocal}. Required: the factory does
   * not start without it.
   *
   * @throws IllegalArgumentException naming {@code trustedSources} and quoting the bad item
   */
  public void setTrustedSources(String text) {
    Objects.requireNonNull(text, "trustedSources");
    this.trustedSources = IpRangeSet.parse("trustedSources", text);
  }

  /** The peers that may (and must) send a PROXY header. */
  public void setTrustedSources(IpRangeSet trustedSources) {
    this.trustedSources = Objects.requireNonNull(trustedSources, "trustedSources");
  }

  /** The trusted sources, or {@code null} when not set yet. */
  public IpRangeSet getTrustedSources() {
    return trustedSources;
  }

  @ManagedAttribute("The trusted PROXY sources")
  public String getTrustedSourcesText() {
    return trustedSources == null ? null : trustedSources.toString();
  }

  /** What to do with peers outside the trusted sources; default {@link UntrustedPeers#CLOSE}. */
  public void setUntrustedPeers(UntrustedPeers untrustedPeers) {
    this.untrustedPeers = Objects.requireNonNull(untrustedPeers, "untrustedPeers");
  }

  /**
   * The text form of {@link #setUntrustedPeers(UntrustedPeers)} for Jetty XML: {@code CLOSE} or
   * {@code PLAIN}, case-insensitive.
   *
   * @throws IllegalArgumentException naming {@code untrustedPeers} and quoting the text
   */
  public void setUntrustedPeers(String text) {
    Objects.requireNonNull(text, "untrustedPeers");
    for (UntrustedPeers value : UntrustedPeers.values()) {
      if (value.name().equalsIgnoreCase(text.trim())) {
        setUntrustedPeers(value);
        return;
      }
    }
    throw new IllegalArgumentException(
        "untrustedPeers: '" + text + "' is not one of CLOSE (close the connection) or PLAIN"
            + " (serve it without PROXY parsing)");
  }

  @ManagedAttribute("What happens to connections from untrusted peers")
  public UntrustedPeers getUntrustedPeers() {
    return untrustedPeers;
  }

  /**
   * Opt-in, for load balancer health checks that cannot send a header: a trusted peer whose first
   * byte is neither {@code 'P'} (v1) nor CR (v2) is served as a plain connection. A first byte
   * that could start a header still commits the connection to a valid header. Default {@code
   * false}; prefer v2 {@code LOCAL} health checks, which need no such exception.
   */
  public void setOptionalHeader(boolean optionalHeader) {
    this.optionalHeader = optionalHeader;
  }

  @ManagedAttribute("Whether trusted peers may omit the header")
  public boolean isOptionalHeader() {
    return optionalHeader;
  }

  /** Accept the v1 text format; default {@code true}. */
  public void setV1Enabled(boolean v1Enabled) {
    this.v1Enabled = v1Enabled;
  }

  @ManagedAttribute("Whether the v1 text format is accepted")
  public boolean isV1Enabled() {
    return v1Enabled;
  }

  /** Accept the v2 binary format; default {@code true}. */
  public void setV2Enabled(boolean v2Enabled) {
    this.v2Enabled = v2Enabled;
  }

  @ManagedAttribute("Whether the v2 binary format is accepted")
  public boolean isV2Enabled() {
    return v2Enabled;
  }

  /**
   * The largest v2 header accepted, the 16-byte prefix included; default 4096. Checked from the
   * prefix before the rest is read. Raise it for proxies that send the client certificate
   * (PP2_SUBTYPE_SSL_CLIENT_CERT). At most 65551 (16 + 65535).
   */
  public void setMaxV2HeaderSize(int maxV2HeaderSize) {
    if (maxV2HeaderSize < 16 || maxV2HeaderSize > 16 + 0xFFFF) {
      throw new IllegalArgumentException(
          "maxV2HeaderSize: " + maxV2HeaderSize + " is outside 16..65551 (16-byte prefix plus a"
              + " 16-bit length)");
    }
    this.maxV2HeaderSize = maxV2HeaderSize;
  }

  @ManagedAttribute("Largest accepted v2 header in bytes")
  public int getMaxV2HeaderSize() {
    return maxV2HeaderSize;
  }

  /**
   * How long after accept the whole header must have arrived; default 10 s. An absolute deadline:
   * bytes arriving slowly do not extend it. The specification asks for at least 3 s to cover a TCP
   * retransmit.
   */
  public void setHeaderTimeout(Duration headerTimeout) {
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException(
          "headerTimeout: " + headerTimeout + " must be positive");
    }
    this.headerTimeout = headerTimeout;
  }

  public Duration getHeaderTimeout() {
    return headerTimeout;
  }

  @ManagedAttribute("Header deadline from accept, in milliseconds")
  public long getHeaderTimeoutMillis() {
    return headerTimeout.toMillis();
  }

  /**
   * Compatibility: accept IPv4 text in a v1 {@code TCP6} line (nginx's stream module sends it when
   * the families differ). Default {@code false}, since the specification says the family dictates
   * the format.
   */
  public void setAcceptIpv4InTcp6(boolean acceptIpv4InTcp6) {
    this.acceptIpv4InTcp6 = acceptIpv4InTcp6;
  }

  @ManagedAttribute("Whether IPv4 text is accepted in a v1 TCP6 line")
  public boolean isAcceptIpv4InTcp6() {
    return acceptIpv4InTcp6;
  }

  /**
   * When {@code true}, a v2 SSL TLV saying the client used TLS makes the connection secure: its
   * requests report {@code isSecure()} and the {@code https} scheme. Default {@code false}: turn
   * it on only when the proxy terminates TLS for the client, because the flag comes from the
   * proxy, not from this server's own TLS.
   */
  public void setSslTlvMarksSecure(boolean sslTlvMarksSecure) {
    this.sslTlvMarksSecure = sslTlvMarksSecure;
  }

  @ManagedAttribute("Whether an SSL TLV marks requests secure")
  public boolean isSslTlvMarksSecure() {
    return sslTlvMarksSecure;
  }

  // ------------------------------------------------------------------ counters

  @ManagedAttribute("Connections accepted with a v1 header")
  public long getAcceptedV1() {
    return acceptedV1.sum();
  }

  @ManagedAttribute("Connections accepted with a v2 header")
  public long getAcceptedV2() {
    return acceptedV2.sum();
  }

  @ManagedAttribute("Connections from untrusted peers served plain (UntrustedPeers.PLAIN)")
  public long getPlainUntrusted() {
    return plainUntrusted.sum();
  }

  @ManagedAttribute("Connections from trusted peers served plain without a header (optional mode)")
  public long getPlainWithoutHeader() {
    return plainWithoutHeader.sum();
  }

  @ManagedAttribute("Connections closed because the peer is not a trusted source")
  public long getRejectedUntrusted() {
    return rejectedUntrusted.sum();
  }

  @ManagedAttribute("Connections closed because the header did not arrive in time")
  public long getRejectedTimeout() {
    return rejectedTimeout.sum();
  }

  @ManagedAttribute("Connections closed for a missing, malformed or unsupported header")
  public long getRejectedMalformed() {
    return rejectedMalformed.sum();
  }

  @ManagedAttribute("Connections closed for a header over the size limit")
  public long getRejectedTooLarge() {
    return rejectedTooLarge.sum();
  }

  @ManagedAttribute("Connections closed for a v2 CRC32C mismatch")
  public long getRejectedChecksum() {
    return rejectedChecksum.sum();
  }

  @ManagedOperation(value = "Resets all counters", impact = "ACTION")
  public void resetCounters() {
    for (LongAdder a :
        new LongAdder[] {
          acceptedV1, acceptedV2, plainUntrusted, plainWithoutHeader, rejectedUntrusted,
          rejectedTimeout, rejectedMalformed, rejectedTooLarge, rejectedChecksum
        }) {
      a.reset();
    }
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  protected void doStart() throws Exception {
    if (trustedSources == null || trustedSources.isEmpty()) {
      throw new IllegalStateException(
          "ProxyProtocolConnectionFactory: trustedSources is not set: list the proxies allowed to"
              + " send PROXY headers, e.g. setTrustedSources(\"10.0.0.0/8\"); without it anyone"
              + " could claim any client address");
    }
    parser =
        new ProxyHeaderParser(v1Enabled, v2Enabled, maxV2HeaderSize, acceptIpv4InTcp6);
    super.doStart();
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    ensureCustomizer(connector);
    ConnectionFactory next = nextFactory(connector, endPoint);
    IpAddress peer = peerAddress(endPoint);
    if (peer != null && trustedSources.contains(peer)) {
      return configure(new ProxyProtocolConnection(this, connector, endPoint, next, peer), connector, endPoint);
    }
    String peerText = peer == null ? String.valueOf(endPoint.getRemoteSocketAddress()) : peer.toString();
    if (untrustedPeers == UntrustedPeers.PLAIN) {
      plainUntrusted.increment();
      if (LOG.isDebugEnabled()) {
        LOG.debug("Untrusted peer {}: serving as plain {}", peerText, next.getProtocol());
      }
      return next.newConnection(connector, endPoint);
    }
    rejectedUntrusted.increment();
    rejectionLog.rejected(peerText, "peer is not a trusted PROXY source", "trustedSources");
    return configure(new ClosingConnection(endPoint, connector), connector, endPoint);
  }

  private ConnectionFactory nextFactory(Connector connector, EndPoint endPoint) {
    String protocol = nextProtocol != null ? nextProtocol : findNextProtocol(connector);
    ConnectionFactory next = protocol == null ? null : connector.getConnectionFactory(protocol);
    if (next == null) {
      throw new IllegalStateException(
          "ProxyProtocolConnectionFactory: next protocol '" + protocol + "' is not in the"
              + " connector's protocol list " + connector.getProtocols() + " for " + endPoint);
    }
    return next;
  }

  private static IpAddress peerAddress(EndPoint endPoint) {
    SocketAddress remote = endPoint.getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress inet) {
      InetAddress address = inet.getAddress();
      return address == null ? null : IpAddress.of(address);
    }
    return null;
  }

  /**
   * Adds a {@link ProxyHeaderCustomizer} to each {@link HttpConfiguration} used by the connector's
   * protocols, once per connector. HTTP/1.1 factories expose it through {@link
   * HttpConfiguration.ConnectionFactory}; HTTP/2 factories only through a public {@code
   * getHttpConfiguration()} method, found reflectively so HTTP/2 stays an optional dependency.
   */
  private void ensureCustomizer(Connector connector) {
    if (!customizedConnectors.add(connector)) {
      return;
    }
    for (ConnectionFactory factory : connector.getConnectionFactories()) {
      HttpConfiguration config = httpConfiguration(factory);
      if (config != null) {
        synchronized (config) {
          if (config.getCustomizer(ProxyHeaderCustomizer.class) == null) {
            config.addCustomizer(new ProxyHeaderCustomizer());
          }
        }
      }
    }
  }

  private static HttpConfiguration httpConfiguration(ConnectionFactory factory) {
    if (factory instanceof HttpConfiguration.ConnectionFactory http) {
      return http.getHttpConfiguration();
    }
    try {
      Method getter = factory.getClass().getMethod("getHttpConfiguration");
      if (HttpConfiguration.class.isAssignableFrom(getter.getReturnType())) {
        return (HttpConfiguration) getter.invoke(factory);
      }
    } catch (ReflectiveOperationException | RuntimeException notAnHttpFactory) {
      // Not an HTTP protocol (TLS, ALPN, ...): nothing to customize.
    }
    return null;
  }

  // ------------------------------------------------------------------ package-private hooks

  ProxyHeaderParser parser() {
    return parser;
  }

  boolean optionalHeader() {
    return optionalHeader;
  }

  boolean sslTlvMarksSecure() {
    return sslTlvMarksSecure;
  }

  long headerTimeoutMillis() {
    return headerTimeout.toMillis();
  }

  void accepted(ProxyHeader header) {
    (header.version() == 1 ? acceptedV1 : acceptedV2).increment();
  }

  void plainWithoutHeader() {
    plainWithoutHeader.increment();
  }

  void timedOut(IpAddress peer) {
    rejectedTimeout.increment();
    rejectionLog.rejected(
        peer.toString(), "PROXY header not received in time", "headerTimeout " + headerTimeout);
  }

  void rejected(IpAddress peer, ProxyHeaderParser.Reason reason, String message) {
    switch (reason) {
      case TOO_LARGE -> rejectedTooLarge.increment();
      case CHECKSUM -> rejectedChecksum.increment();
      case MALFORMED, UNSUPPORTED -> rejectedMalformed.increment();
    }
    rejectionLog.rejected(peer.toString(), "bad PROXY header", message);
  }

  @Override
  public String toString() {
    return String.format(
        "%s@%x{%s->%s, trusted=%s}",
        getClass().getSimpleName(), hashCode(), PROTOCOL, nextProtocol, trustedSources);
  }

  /** A connection from an untrusted peer under {@link UntrustedPeers#CLOSE}: closed on open. */
  private static final class ClosingConnection extends AbstractConnection {
    ClosingConnection(EndPoint endPoint, Connector connector) {
      super(endPoint, connector.getExecutor());
    }

    @Override
    public void onOpen() {
      super.onOpen();
      getEndPoint().close();
    }

    @Override
    public void onFillable() {
      getEndPoint().close();
    }
  }
}
