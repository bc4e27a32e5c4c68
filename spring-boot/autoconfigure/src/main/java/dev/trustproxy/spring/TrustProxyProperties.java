package dev.trustproxy.spring;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.RangeReloader;
import dev.trustproxy.RangeSource;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's settings, {@code trustproxy.*}. The text settings keep the library's text forms
 * and are parsed by the library's own parsers under these property names, so a bad value stops
 * the application with the library's message naming, for example, {@code trustproxy.trust-proxy}.
 * Nothing set: nothing is trusted, and every request only gains its {@code Resolution}.
 */
@ConfigurationProperties(prefix = TrustProxyProperties.PREFIX)
public class TrustProxyProperties {

  /** The property namespace. */
  public static final String PREFIX = "trustproxy";

  /** Whether the starter does anything at all. */
  private boolean enabled = true;

  /**
   * Which peers may speak for the client: false (trust nothing), true (the left-most entry), a
   * hop count, or a comma-separated list of addresses, ranges and presets (loopback, linklocal,
   * uniquelocal). The forwarding headers are walked from the right.
   */
  private String trustProxy = "false";

  /**
   * Forwarding headers are read only from peers in this list (addresses, ranges, presets). Empty:
   * no gate beyond trust-proxy.
   */
  private String trustedPeers;

  /**
   * Which header to read: x-forwarded-for (X-Forwarded-For, -Proto, -Host, -Port), forwarded
   * (RFC 7239), or the name of one header holding one address (x-real-ip, cf-connecting-ip,
   * true-client-ip, fastly-client-ip, ...); never two.
   */
  private String forwardedHeader = "x-forwarded-for";

  /**
   * An SLF4J MDC key (for example client.address) that holds the client's address while the
   * request is served, then its previous value. Empty: off.
   */
  private String mdcKey;

  /**
   * How often the range files named in trust-proxy and trusted-peers (file:/path items) are read
   * again: whole seconds, 1s to 86400s.
   */
  private Duration reloadInterval = Duration.ofSeconds(30);

  /** PROXY protocol v1/v2 on the server's connector. */
  private final ProxyProtocol proxyProtocol = new ProxyProtocol();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getTrustProxy() {
    return trustProxy;
  }

  public void setTrustProxy(String trustProxy) {
    this.trustProxy = trustProxy;
  }

  public String getTrustedPeers() {
    return trustedPeers;
  }

  public void setTrustedPeers(String trustedPeers) {
    this.trustedPeers = trustedPeers;
  }

  public String getForwardedHeader() {
    return forwardedHeader;
  }

  public void setForwardedHeader(String forwardedHeader) {
    this.forwardedHeader = forwardedHeader;
  }

  public String getMdcKey() {
    return mdcKey;
  }

  public void setMdcKey(String mdcKey) {
    this.mdcKey = mdcKey;
  }

  public Duration getReloadInterval() {
    return reloadInterval;
  }

  public void setReloadInterval(Duration reloadInterval) {
    this.reloadInterval = reloadInterval;
  }

  public ProxyProtocol getProxyProtocol() {
    return proxyProtocol;
  }

  /**
   * {@code reload-interval} in the adapters' text form, whole seconds.
   *
   * @throws IllegalArgumentException naming {@code trustproxy.reload-interval} and quoting it
   */
  public String reloadIntervalSeconds() {
    Duration d = reloadInterval;
    if (d == null || d.getNano() != 0 || d.getSeconds() < 1
        || d.getSeconds() > RangeReloader.MAX_INTERVAL_SECONDS) {
      throw new IllegalArgumentException(PREFIX + ".reload-interval: '" + d + "' is not whole"
          + " seconds from 1s to " + RangeReloader.MAX_INTERVAL_SECONDS + "s, such as 30s");
    }
    return String.valueOf(d.getSeconds());
  }

  /**
   * The resolver these settings describe.
   *
   * @throws IllegalArgumentException naming the property and quoting the bad item
   */
  ClientResolver clientResolver() {
    ClientResolver resolver =
        ClientResolver.of(TrustPolicy.parse(PREFIX + ".trust-proxy", trustProxy));
    return trustedPeers == null || trustedPeers.isBlank()
        ? resolver
        : resolver.withTrustedPeers(RangeSource.parse(PREFIX + ".trusted-peers", trustedPeers));
  }

  /**
   * The header family these settings name.
   *
   * @return the family
   * @throws IllegalArgumentException naming {@code trustproxy.forwarded-header}
   */
  public Forwarding.Headers headers() {
    return Forwarding.Headers.parse(PREFIX + ".forwarded-header", forwardedHeader);
  }

  /** {@code trustproxy.proxy-protocol.*}: off unless {@code enabled}. */
  public static class ProxyProtocol {

    private static final String PREFIX = TrustProxyProperties.PREFIX + ".proxy-protocol";

    /** Whether the server's connector requires PROXY headers from the trusted sources. */
    private boolean enabled;

    /**
     * The peers that may (and must) send a PROXY header: addresses, ranges and presets,
     * comma-separated. Required when enabled.
     */
    private String trustedSources;

    /** CLOSE (default): close every other peer; PLAIN: serve it as plain HTTP, unparsed. */
    private String untrustedPeers = "CLOSE";

    /** Serve a trusted peer that sends no header (a health check) as plain HTTP. */
    private boolean optionalHeader;

    /** Accept the v1 text format. */
    private boolean v1Enabled = true;

    /** Accept the v2 binary format. */
    private boolean v2Enabled = true;

    /** The largest v2 header in bytes, prefix included: 16..65551. */
    private int maxV2HeaderSize = ProxyProtocolSettings.DEFAULT_MAX_V2_HEADER_SIZE;

    /** How long after accept the whole header must have arrived (a deadline, not idle time). */
    private Duration headerTimeout = ProxyProtocolSettings.DEFAULT_HEADER_TIMEOUT;

    /** Accept IPv4 text as the addresses of a v1 TCP6 line (nginx stream does this). */
    private boolean acceptIpv4InTcp6 = true;

    /** A v2 SSL TLV saying the client used TLS makes requests https (TLS-terminating proxies). */
    private boolean sslTlvMarksSecure;

    /** How often the range files in trusted-sources (file:/path items) are read again. */
    private Duration reloadInterval = Duration.ofSeconds(30);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getTrustedSources() {
      return trustedSources;
    }

    public void setTrustedSources(String trustedSources) {
      this.trustedSources = trustedSources;
    }

    public String getUntrustedPeers() {
      return untrustedPeers;
    }

    public void setUntrustedPeers(String untrustedPeers) {
      this.untrustedPeers = untrustedPeers;
    }

    public boolean isOptionalHeader() {
      return optionalHeader;
    }

    public void setOptionalHeader(boolean optionalHeader) {
      this.optionalHeader = optionalHeader;
    }

    public boolean isV1Enabled() {
      return v1Enabled;
    }

    public void setV1Enabled(boolean v1Enabled) {
      this.v1Enabled = v1Enabled;
    }

    public boolean isV2Enabled() {
      return v2Enabled;
    }

    public void setV2Enabled(boolean v2Enabled) {
      this.v2Enabled = v2Enabled;
    }

    public int getMaxV2HeaderSize() {
      return maxV2HeaderSize;
    }

    public void setMaxV2HeaderSize(int maxV2HeaderSize) {
      this.maxV2HeaderSize = maxV2HeaderSize;
    }

    public Duration getHeaderTimeout() {
      return headerTimeout;
    }

    public void setHeaderTimeout(Duration headerTimeout) {
      this.headerTimeout = headerTimeout;
    }

    public boolean isAcceptIpv4InTcp6() {
      return acceptIpv4InTcp6;
    }

    public void setAcceptIpv4InTcp6(boolean acceptIpv4InTcp6) {
      this.acceptIpv4InTcp6 = acceptIpv4InTcp6;
    }

    public boolean isSslTlvMarksSecure() {
      return sslTlvMarksSecure;
    }

    public void setSslTlvMarksSecure(boolean sslTlvMarksSecure) {
      this.sslTlvMarksSecure = sslTlvMarksSecure;
    }

    public Duration getReloadInterval() {
      return reloadInterval;
    }

    public void setReloadInterval(Duration reloadInterval) {
      this.reloadInterval = reloadInterval;
    }

    /**
     * The library's settings, validated by its builder, whose messages name each setting as
     * this namespace spells it ({@code trustproxy.proxy-protocol.max-v2-header-size}).
     *
     * @return the settings
     * @throws IllegalArgumentException naming the property and quoting the bad value
     */
    public ProxyProtocolSettings settings() {
      ProxyProtocolSettings.Builder b = ProxyProtocolSettings.builder(ProxyProtocol::propertyName);
      if (trustedSources == null || trustedSources.isBlank()) {
        throw new IllegalArgumentException(PREFIX + ".trusted-sources is not set: list the"
            + " proxies allowed to send PROXY headers, e.g. " + PREFIX
            + ".trusted-sources=10.0.0.0/8; without it anyone could claim any client address");
      }
      b.trustedSources(trustedSources)
          .untrustedPeers(untrustedPeers)
          .optionalHeader(optionalHeader)
          .v1Enabled(v1Enabled)
          .v2Enabled(v2Enabled)
          .maxV2HeaderSize(maxV2HeaderSize)
          .headerTimeout(headerTimeout)
          .acceptIpv4InTcp6(acceptIpv4InTcp6)
          .sslTlvMarksSecure(sslTlvMarksSecure)
          .reloadInterval(reloadInterval);
      try {
        return b.build();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    /** {@code maxV2HeaderSize} to {@code trustproxy.proxy-protocol.max-v2-header-size}. */
    static String propertyName(String setting) {
      StringBuilder sb = new StringBuilder(PREFIX).append('.');
      for (int i = 0; i < setting.length(); i++) {
        char c = setting.charAt(i);
        if (Character.isUpperCase(c)) {
          sb.append('-').append(Character.toLowerCase(c));
        } else {
          sb.append(c);
        }
      }
      return sb.toString().toLowerCase(Locale.ROOT);
    }
  }
}
