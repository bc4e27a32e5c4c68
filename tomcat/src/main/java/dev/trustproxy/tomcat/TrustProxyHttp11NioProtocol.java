package dev.trustproxy.tomcat;

import dev.trustproxy.RangeReloader;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import java.time.Duration;
import java.util.Locale;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.Adapter;
import org.apache.coyote.http11.Http11NioProtocol;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's HTTP/1.1 NIO protocol (cleartext or TLS, with HTTP/2 by upgrade or ALPN) with strict
 * PROXY protocol v1 and v2, accepted only from trusted peers ({@code
 * haproxy/haproxy:doc/proxy-protocol.txt}). Tomcat itself has no PROXY protocol support.
 *
 * <p>In {@code server.xml}:
 *
 * <pre>{@code
 * <Connector port="8080" protocol="dev.trustproxy.tomcat.TrustProxyHttp11NioProtocol"
 *            proxyProtocolTrustedSources="10.0.0.0/8"
 *            proxyProtocolHeaderTimeout="3000" />
 * }</pre>
 *
 * <p>In embedded Tomcat: {@code tomcat.setConnector(TrustProxyHttp11NioProtocol.connector(8080,
 * "10.0.0.0/8"))}, or {@code new Connector(TrustProxyHttp11NioProtocol.class.getName())} and the
 * setters on {@code (TrustProxyHttp11NioProtocol) connector.getProtocolHandler()}.
 *
 * <p>What happens on each accepted connection, decided from the TCP peer before a byte is read:
 * a peer in {@code proxyProtocolTrustedSources} must start with a valid PROXY header (missing,
 * malformed, oversized, failing its CRC32C or late: closed, never served as plain HTTP, unless
 * {@code proxyProtocolOptionalHeader}); any other peer is closed, or with {@code
 * proxyProtocolUntrustedPeers="PLAIN"} served as plain HTTP without looking at its bytes. Exactly
 * the header's bytes are consumed, before TLS; the header's addresses become the connection's
 * remote and local addresses ({@code getRemoteAddr()}, {@code getRemotePort()}, {@code
 * getLocalAddr()}, {@code getLocalPort()}, valves, access log), and every request carries the
 * {@link ProxyHeader} as attribute {@link ProxyHeader#ATTRIBUTE}. v2 LOCAL keeps the real
 * addresses.
 *
 * <p>Attributes map one to one to {@link ProxyProtocolSettings}. Tomcat ignores exceptions from
 * connector attribute setters, so the setters only store the text and {@link #init()} checks it:
 * a bad value stops the connector's start with a message naming the attribute and quoting it.
 *
 * <p>Counters are read-only attributes of the protocol's MBean ({@code
 * type=ProtocolHandler,port=...}), named {@code proxyProtocolAcceptedV1} and so on.
 */
public class TrustProxyHttp11NioProtocol extends Http11NioProtocol {

  private final ProxyProtocolNioEndpoint proxyEndpoint;
  private final ProxyProtocolCounters counters =
      new ProxyProtocolCounters(LoggerFactory.getLogger(TrustProxyHttp11NioProtocol.class));

  /** How every PROXY attribute of the {@code <Connector>} starts. */
  private static final String ATTRIBUTE_PREFIX = "proxyProtocol";

  private String trustedSources;
  private String untrustedPeers = "CLOSE";
  private String optionalHeader = "false";
  private String v1Enabled = "true";
  private String v2Enabled = "true";
  private String maxV2HeaderSize = Integer.toString(ProxyProtocolSettings.DEFAULT_MAX_V2_HEADER_SIZE);
  private String headerTimeout =
      Long.toString(ProxyProtocolSettings.DEFAULT_HEADER_TIMEOUT.toMillis());
  private String acceptIpv4InTcp6 = "true";
  private String sslTlvMarksSecure = "false";
  private String reloadInterval;
  private volatile ProxyProtocolSettings settings;
  private RangeReloader reloader;
  // Set in code (the Spring Boot starter builds them under its property names): wins over the
  // attributes.
  private volatile ProxyProtocolSettings configuredSettings;

  public TrustProxyHttp11NioProtocol() {
    this(new ProxyProtocolNioEndpoint());
  }

  private TrustProxyHttp11NioProtocol(ProxyProtocolNioEndpoint endpoint) {
    super(endpoint);
    this.proxyEndpoint = endpoint;
  }

  /**
   * A connector on {@code port} (0: any free port) using this protocol, for embedded Tomcat.
   *
   * @param trustedSources the peers that must send a PROXY header, e.g. {@code "10.0.0.0/8"}
   */
  public static Connector connector(int port, String trustedSources) {
    Connector connector = new Connector(TrustProxyHttp11NioProtocol.class.getName());
    connector.setPort(port);
    ((TrustProxyHttp11NioProtocol) connector.getProtocolHandler())
        .setProxyProtocolTrustedSources(trustedSources);
    return connector;
  }

  @Override
  public void init() throws Exception {
    if (proxyEndpoint.getUnixDomainSocketPath() != null) {
      throw new IllegalArgumentException(
          "unixDomainSocketPath=\"" + proxyEndpoint.getUnixDomainSocketPath() + "\": the PROXY protocol"
              + " connector decides from the peer's IP address, so it needs a TCP socket");
    }
    ProxyProtocolSettings built =
        configuredSettings != null ? configuredSettings : buildSettings();
    settings = built;
    proxyEndpoint.configure(built, counters);
    // The connector sets its adapter before init; every processor reads it from here.
    Adapter adapter = getAdapter();
    if (adapter instanceof ProxyHeaderAdapter ours) {
      adapter = ours.next();
    }
    if (adapter != null) {
      setAdapter(new ProxyHeaderAdapter(adapter, built.sslTlvMarksSecure()));
    }
    super.init();
  }

  /** Starts polling the files of {@code proxyProtocolTrustedSources}, if any (README D83). */
  @Override
  public void start() throws Exception {
    if (reloader == null && settings != null) {
      reloader = settings.startReloader("TrustProxyHttp11NioProtocol " + getName(), counters);
    }
    super.start();
  }

  @Override
  public void stop() throws Exception {
    try {
      super.stop();
    } finally {
      if (reloader != null) {
        reloader.close();
        reloader = null;
      }
    }
  }

  /**
   * Settings built in code, used instead of the {@code proxyProtocol*} attributes: for callers
   * that validate settings under their own names (the Spring Boot starter). Call before start.
   *
   * @param settings the settings, or null to use the attributes
   */
  public void setProxyProtocolSettings(ProxyProtocolSettings settings) {
    this.configuredSettings = settings;
  }

  /** The settings in effect, or {@code null} before {@link #init()}. */
  public ProxyProtocolSettings getProxyProtocolSettings() {
    return settings;
  }

  private ProxyProtocolSettings buildSettings() {
    // The builder names each setting as server.xml spells it, so a message has one spelling.
    ProxyProtocolSettings.Builder b = ProxyProtocolSettings.builder(
        setting -> ATTRIBUTE_PREFIX + Character.toUpperCase(setting.charAt(0))
            + setting.substring(1));
    if (trustedSources == null) {
      throw new IllegalArgumentException(
          "proxyProtocolTrustedSources is not set: list the proxies allowed to send PROXY"
              + " headers, e.g. proxyProtocolTrustedSources=\"10.0.0.0/8\"; without it anyone"
              + " could claim any client address");
    }
    b.trustedSources(trustedSources);
    if (untrustedPeers != null) {
      b.untrustedPeers(untrustedPeers);
    }
    if (optionalHeader != null) {
      b.optionalHeader(bool("proxyProtocolOptionalHeader", optionalHeader));
    }
    if (v1Enabled != null) {
      b.v1Enabled(bool("proxyProtocolV1Enabled", v1Enabled));
    }
    if (v2Enabled != null) {
      b.v2Enabled(bool("proxyProtocolV2Enabled", v2Enabled));
    }
    if (maxV2HeaderSize != null) {
      b.maxV2HeaderSize(integer("proxyProtocolMaxV2HeaderSize", maxV2HeaderSize));
    }
    if (headerTimeout != null) {
      b.headerTimeout(Duration.ofMillis(integer("proxyProtocolHeaderTimeout", headerTimeout)));
    }
    if (acceptIpv4InTcp6 != null) {
      b.acceptIpv4InTcp6(bool("proxyProtocolAcceptIpv4InTcp6", acceptIpv4InTcp6));
    }
    if (sslTlvMarksSecure != null) {
      b.sslTlvMarksSecure(bool("proxyProtocolSslTlvMarksSecure", sslTlvMarksSecure));
    }
    if (reloadInterval != null) {
      b.reloadInterval(reloadInterval);
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static boolean bool(String attribute, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(
          attribute + ": '" + text + "' is not a boolean: expected true or false");
    };
  }

  private static int integer(String attribute, String text) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(attribute + ": '" + text
          + "' is not a whole number: expected at most 9 decimal digits");
    }
    return Integer.parseInt(t);
  }

  // ------------------------------------------------------------ attributes (server.xml)

  /**
   * The peers that may (and must) send a PROXY header: addresses, {@code addr/prefix}, IPv4
   * {@code addr/netmask} or the presets {@code loopback}, {@code linklocal}, {@code uniquelocal},
   * comma-separated, and files of them ({@code file:/path}, re-read every {@code
   * proxyProtocolReloadInterval}; README D80). Required.
   */
  public void setProxyProtocolTrustedSources(String value) {
    this.trustedSources = value;
  }

  public String getProxyProtocolTrustedSources() {
    return trustedSources;
  }

  /** {@code CLOSE} (default) or {@code PLAIN}: what happens to peers outside the trusted ones. */
  public void setProxyProtocolUntrustedPeers(String value) {
    this.untrustedPeers = value;
  }

  public String getProxyProtocolUntrustedPeers() {
    return untrustedPeers;
  }

  /**
   * {@code true}: a trusted peer whose first byte cannot start a header (health checks) is
   * served plain. Default {@code false}.
   */
  public void setProxyProtocolOptionalHeader(String value) {
    this.optionalHeader = value;
  }

  public String getProxyProtocolOptionalHeader() {
    return optionalHeader;
  }

  /** Accept the v1 text format; default {@code true}. */
  public void setProxyProtocolV1Enabled(String value) {
    this.v1Enabled = value;
  }

  public String getProxyProtocolV1Enabled() {
    return v1Enabled;
  }

  /** Accept the v2 binary format; default {@code true}. */
  public void setProxyProtocolV2Enabled(String value) {
    this.v2Enabled = value;
  }

  public String getProxyProtocolV2Enabled() {
    return v2Enabled;
  }

  /** The largest v2 header in bytes, prefix included: 16..65551, default 4096. */
  public void setProxyProtocolMaxV2HeaderSize(String value) {
    this.maxV2HeaderSize = value;
  }

  public String getProxyProtocolMaxV2HeaderSize() {
    return maxV2HeaderSize;
  }

  /**
   * Milliseconds from accept by which the whole header must have arrived (an absolute deadline,
   * like Tomcat's other timeouts given in milliseconds); default 10000.
   */
  public void setProxyProtocolHeaderTimeout(String value) {
    this.headerTimeout = value;
  }

  public String getProxyProtocolHeaderTimeout() {
    return headerTimeout;
  }

  /** Accept IPv4 text in a v1 {@code TCP6} line (nginx stream); see the README. */
  public void setProxyProtocolAcceptIpv4InTcp6(String value) {
    this.acceptIpv4InTcp6 = value;
  }

  public String getProxyProtocolAcceptIpv4InTcp6() {
    return acceptIpv4InTcp6;
  }

  /**
   * {@code true}: a v2 SSL TLV saying the client used TLS makes requests {@code https} and
   * secure. Only for proxies that terminate TLS. Default {@code false}.
   */
  public void setProxyProtocolSslTlvMarksSecure(String value) {
    this.sslTlvMarksSecure = value;
  }

  public String getProxyProtocolSslTlvMarksSecure() {
    return sslTlvMarksSecure;
  }

  /**
   * Seconds between two reads of the files of {@code proxyProtocolTrustedSources}: 1 to 86400,
   * default 30 (README D83).
   */
  public void setProxyProtocolReloadInterval(String value) {
    this.reloadInterval = value;
  }

  public String getProxyProtocolReloadInterval() {
    return reloadInterval;
  }

  // ------------------------------------------------------------ counters (JMX)

  /** The counters of this connector, for code; JMX shows them as the attributes below. */
  public ProxyProtocolCounters getProxyProtocolCounters() {
    return counters;
  }

  public long getProxyProtocolAcceptedV1() {
    return counters.count(Outcome.ACCEPTED_V1);
  }

  public long getProxyProtocolAcceptedV2() {
    return counters.count(Outcome.ACCEPTED_V2);
  }

  public long getProxyProtocolPlainUntrusted() {
    return counters.count(Outcome.PLAIN_UNTRUSTED);
  }

  public long getProxyProtocolPlainWithoutHeader() {
    return counters.count(Outcome.PLAIN_WITHOUT_HEADER);
  }

  public long getProxyProtocolRejectedUntrusted() {
    return counters.count(Outcome.REJECTED_UNTRUSTED);
  }

  public long getProxyProtocolRejectedTimeout() {
    return counters.count(Outcome.REJECTED_TIMEOUT);
  }

  public long getProxyProtocolRejectedMalformed() {
    return counters.count(Outcome.REJECTED_MALFORMED);
  }

  public long getProxyProtocolRejectedTooLarge() {
    return counters.count(Outcome.REJECTED_TOO_LARGE);
  }

  public long getProxyProtocolRejectedChecksum() {
    return counters.count(Outcome.REJECTED_CHECKSUM);
  }

  /** Files of {@code proxyProtocolTrustedSources} that failed to reload (the last good stayed). */
  public long getProxyProtocolRangeReloadFailures() {
    return counters.rangeReloadFailures();
  }

  /** Sets every counter to zero (a JMX operation). */
  public void resetProxyProtocolCounters() {
    counters.reset();
  }
}
