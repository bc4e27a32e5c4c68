package dev.trustproxy.jetty;

import dev.trustproxy.IpAddress;
import dev.trustproxy.IpAddresses;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.RangeReloader;
import dev.trustproxy.RangeSource;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.UntrustedPeers;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Configure before start; the setters are not meant to be called on a running connector. The
 * settings are validated and fixed at start ({@link ProxyProtocolSettings}), the counters are a
 * {@link ProxyProtocolCounters}: both are the container-agnostic PROXY core that other adapters
 * share; this class holds only the Jetty glue.
 */
@ManagedObject("PROXY protocol v1/v2 from trusted peers")
public class ProxyProtocolConnectionFactory extends AbstractConnectionFactory {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolConnectionFactory.class);

  /** The protocol name of this factory in a connector's protocol list. */
  public static final String PROTOCOL = "proxy";

  private final String nextProtocol;
  // Validates each setting as it is set; built into the fixed settings at start.
  private final ProxyProtocolSettings.Builder config = ProxyProtocolSettings.builder();
  private volatile ProxyProtocolSettings settings;
  private RangeReloader reloader;
  private final ProxyProtocolCounters counters = new ProxyProtocolCounters(LOG);
  // Connectors are few and live as long as the server; a strong set is fine.
  private final Set<Connector> customizedConnectors = ConcurrentHashMap.newKeySet();

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
   * presets {@code loopback}, {@code linklocal}, {@code uniquelocal}, and files of them ({@code
   * file:/path}, read now and re-read every {@link #setReloadInterval(String) reloadInterval};
   * README D80). Required: the factory does not start without it.
   *
   * @throws IllegalArgumentException naming {@code trustedSources} and quoting the bad item
   */
  public void setTrustedSources(String text) {
    config.trustedSources(text);
  }

  /** The peers that may send a PROXY header, from a source the application swaps (D82). */
  public void setTrustedSources(RangeSource trustedSources) {
    config.trustedSources(trustedSources);
  }

  /**
   * Seconds between two reads of the files of {@code trustedSources}: 1 to 86400, default 30
   * (README D83).
   *
   * @throws IllegalArgumentException naming {@code reloadInterval} and quoting the text
   */
  public void setReloadInterval(String seconds) {
    config.reloadInterval(seconds);
  }

  @ManagedAttribute("Seconds between reads of the files of trustedSources")
  public long getReloadInterval() {
    return config.reloadInterval().toSeconds();
  }

  /** The peers that may (and must) send a PROXY header. */
  public void setTrustedSources(IpRangeSet trustedSources) {
    config.trustedSources(trustedSources);
  }

  /** The trusted sources, or {@code null} when not set yet. */
  public IpRangeSet getTrustedSources() {
    return config.trustedSources();
  }

  @ManagedAttribute("The trusted PROXY sources")
  public String getTrustedSourcesText() {
    IpRangeSet trustedSources = config.trustedSources();
    return trustedSources == null ? null : trustedSources.toString();
  }

  /** What to do with peers outside the trusted sources; default {@link UntrustedPeers#CLOSE}. */
  public void setUntrustedPeers(UntrustedPeers untrustedPeers) {
    config.untrustedPeers(untrustedPeers);
  }

  /**
   * The text form of {@link #setUntrustedPeers(UntrustedPeers)} for Jetty XML: {@code CLOSE} or
   * {@code PLAIN}, case-insensitive.
   *
   * @throws IllegalArgumentException naming {@code untrustedPeers} and quoting the text
   */
  public void setUntrustedPeers(String text) {
    config.untrustedPeers(text);
  }

  @ManagedAttribute("What happens to connections from untrusted peers")
  public UntrustedPeers getUntrustedPeers() {
    return config.untrustedPeers();
  }

  /**
   * Opt-in, for load balancer health checks that cannot send a header: a trusted peer whose first
   * byte is neither {@code 'P'} (v1) nor CR (v2) is served as a plain connection. A first byte
   * that could start a header still commits the connection to a valid header. Default {@code
   * false}; prefer v2 {@code LOCAL} health checks, which need no such exception.
   */
  public void setOptionalHeader(boolean optionalHeader) {
    config.optionalHeader(optionalHeader);
  }

  @ManagedAttribute("Whether trusted peers may omit the header")
  public boolean isOptionalHeader() {
    return config.optionalHeader();
  }

  /** Accept the v1 text format; default {@code true}. */
  public void setV1Enabled(boolean v1Enabled) {
    config.v1Enabled(v1Enabled);
  }

  @ManagedAttribute("Whether the v1 text format is accepted")
  public boolean isV1Enabled() {
    return config.v1Enabled();
  }

  /** Accept the v2 binary format; default {@code true}. */
  public void setV2Enabled(boolean v2Enabled) {
    config.v2Enabled(v2Enabled);
  }

  @ManagedAttribute("Whether the v2 binary format is accepted")
  public boolean isV2Enabled() {
    return config.v2Enabled();
  }

  /**
   * The largest v2 header accepted, the 16-byte prefix included; default 4096. Checked from the
   * prefix before the rest is read. Raise it for proxies that send the client certificate
   * (PP2_SUBTYPE_SSL_CLIENT_CERT). At most 65551 (16 + 65535).
   *
   * @throws IllegalArgumentException naming {@code maxV2HeaderSize} and quoting the value
   */
  public void setMaxV2HeaderSize(int maxV2HeaderSize) {
    config.maxV2HeaderSize(maxV2HeaderSize);
  }

  @ManagedAttribute("Largest accepted v2 header in bytes")
  public int getMaxV2HeaderSize() {
    return config.maxV2HeaderSize();
  }

  /**
   * How long after accept the whole header must have arrived; default 10 s. An absolute deadline:
   * bytes arriving slowly do not extend it. The specification asks for at least 3 s to cover a TCP
   * retransmit.
   *
   * @throws IllegalArgumentException naming {@code headerTimeout} when it is not positive
   */
  public void setHeaderTimeout(Duration headerTimeout) {
    config.headerTimeout(headerTimeout);
  }

  public Duration getHeaderTimeout() {
    return config.headerTimeout();
  }

  @ManagedAttribute("Header deadline from accept, in milliseconds")
  public long getHeaderTimeoutMillis() {
    return config.headerTimeout().toMillis();
  }

  /**
   * Accept IPv4 text as the destination of a v1 {@code TCP6} line, as nginx's stream module sends
   * it for an IPv6 client reaching an IPv4 listener. Default {@code true}; the source of a {@code
   * TCP6} line must be IPv6 text either way. {@code false} refuses such lines.
   */
  public void setAcceptIpv4InTcp6(boolean acceptIpv4InTcp6) {
    config.acceptIpv4InTcp6(acceptIpv4InTcp6);
  }

  @ManagedAttribute("Whether IPv4 text is accepted as the destination of a v1 TCP6 line")
  public boolean isAcceptIpv4InTcp6() {
    return config.acceptIpv4InTcp6();
  }

  /**
   * When {@code true}, a v2 SSL TLV saying the client used TLS makes the connection secure: its
   * requests report {@code isSecure()} and the {@code https} scheme. Default {@code false}: turn
   * it on only when the proxy terminates TLS for the client, because the flag comes from the
   * proxy, not from this server's own TLS.
   */
  public void setSslTlvMarksSecure(boolean sslTlvMarksSecure) {
    config.sslTlvMarksSecure(sslTlvMarksSecure);
  }

  @ManagedAttribute("Whether an SSL TLV marks requests secure")
  public boolean isSslTlvMarksSecure() {
    return config.sslTlvMarksSecure();
  }

  // ------------------------------------------------------------------ counters

  @ManagedAttribute("Connections accepted with a v1 header")
  public long getAcceptedV1() {
    return counters.count(Outcome.ACCEPTED_V1);
  }

  @ManagedAttribute("Connections accepted with a v2 header")
  public long getAcceptedV2() {
    return counters.count(Outcome.ACCEPTED_V2);
  }

  @ManagedAttribute("Connections from untrusted peers served plain (UntrustedPeers.PLAIN)")
  public long getPlainUntrusted() {
    return counters.count(Outcome.PLAIN_UNTRUSTED);
  }

  @ManagedAttribute("Connections from trusted peers served plain without a header (optional mode)")
  public long getPlainWithoutHeader() {
    return counters.count(Outcome.PLAIN_WITHOUT_HEADER);
  }

  @ManagedAttribute("Connections closed because the peer is not a trusted source")
  public long getRejectedUntrusted() {
    return counters.count(Outcome.REJECTED_UNTRUSTED);
  }

  @ManagedAttribute("Connections closed because the header did not arrive in time")
  public long getRejectedTimeout() {
    return counters.count(Outcome.REJECTED_TIMEOUT);
  }

  @ManagedAttribute("Connections closed for a missing, malformed or unsupported header")
  public long getRejectedMalformed() {
    return counters.count(Outcome.REJECTED_MALFORMED);
  }

  @ManagedAttribute("Connections closed for a header over the size limit")
  public long getRejectedTooLarge() {
    return counters.count(Outcome.REJECTED_TOO_LARGE);
  }

  @ManagedAttribute("Connections closed for a v2 CRC32C mismatch")
  public long getRejectedChecksum() {
    return counters.count(Outcome.REJECTED_CHECKSUM);
  }

  @ManagedAttribute("Files of trustedSources that failed to reload (the last good list stayed)")
  public long getRangeReloadFailures() {
    return counters.rangeReloadFailures();
  }

  /** The counters themselves, for code (the Spring Boot starter's Micrometer meters). */
  public ProxyProtocolCounters getCounters() {
    return counters;
  }

  @ManagedOperation(value = "Resets all counters", impact = "ACTION")
  public void resetCounters() {
    counters.reset();
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  protected void doStart() throws Exception {
    try {
      settings = config.build();
    } catch (IllegalStateException e) {
      throw new IllegalStateException("ProxyProtocolConnectionFactory: " + e.getMessage(), e);
    }
    reloader = settings.startReloader("ProxyProtocolConnectionFactory@"
        + Integer.toHexString(hashCode()), counters);
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    super.doStop();
    if (reloader != null) {
      reloader.close();
      reloader = null;
    }
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    ensureCustomizer(connector);
    ConnectionFactory next = nextFactory(connector, endPoint);
    ProxyProtocolSettings current = settings;
    IpAddress peer = IpAddresses.ofSocket(endPoint.getRemoteSocketAddress());
    switch (current.admit(peer)) {
      case READ_HEADER -> {
        return configure(
            new ProxyProtocolConnection(current, counters, connector, endPoint, next, peer),
            connector,
            endPoint);
      }
      case PLAIN -> {
        counters.plainUntrusted();
        if (LOG.isDebugEnabled()) {
          LOG.debug("Untrusted peer {}: serving as plain {}", peerText(peer, endPoint),
              next.getProtocol());
        }
        return next.newConnection(connector, endPoint);
      }
      default -> {
        counters.untrusted(peerText(peer, endPoint));
        return configure(new ClosingConnection(endPoint, connector), connector, endPoint);
      }
    }
  }

  private static String peerText(IpAddress peer, EndPoint endPoint) {
    return peer == null ? String.valueOf(endPoint.getRemoteSocketAddress()) : peer.toString();
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

  /**
   * Adds a {@link ProxyHeaderCustomizer} to each {@link HttpConfiguration} used by the connector's
   * protocols, once per connector. HTTP/1.1 factories expose it through {@link
   * HttpConfiguration.ConnectionFactory}; HTTP/2 factories only through a public {@code
   * getHttpConfiguration()} method, found reflectively so HTTP/2 stays an optional dependency.
   */
  private void ensureCustomizer(Connector connector) {
    if (customizedConnectors.contains(connector)) {
      return;
    }
    // Locked so that no connection of this connector proceeds before the customizer is in place.
    synchronized (customizedConnectors) {
      if (customizedConnectors.contains(connector)) {
        return;
      }
      for (ConnectionFactory factory : connector.getConnectionFactories()) {
        HttpConfiguration config = httpConfiguration(factory);
        if (config != null && config.getCustomizer(ProxyHeaderCustomizer.class) == null) {
          config.addCustomizer(new ProxyHeaderCustomizer());
        }
      }
      customizedConnectors.add(connector);
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

  @Override
  public String toString() {
    return String.format(
        "%s@%x{%s->%s, trusted=%s}",
        getClass().getSimpleName(), hashCode(), PROTOCOL, nextProtocol, config.trustedSources());
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
