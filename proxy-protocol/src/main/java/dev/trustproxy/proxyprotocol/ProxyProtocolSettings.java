package dev.trustproxy.proxyprotocol;

import dev.trustproxy.IpAddress;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.RangeReloader;
import dev.trustproxy.RangeSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The PROXY protocol settings of one listener, validated once at start-up and then fixed: which
 * peers must send a header, what happens to the others, and what the parser accepts.
 *
 * <p>Container adapters hold their own mutable configuration (Jetty setters, Tomcat connector
 * attributes) in a {@link Builder}, whose setters reject bad values at once with a message that
 * names the setting and quotes the input, and call {@link Builder#build()} when the listener
 * starts. Each connection then reads this immutable value and never the adapter's configuration.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProxyProtocolSettings {

  /** The default cap of a v2 header, prefix included. */
  public static final int DEFAULT_MAX_V2_HEADER_SIZE = 4096;

  /** The largest v2 header there can be: the 16-byte prefix plus a 16-bit length. */
  public static final int MAX_V2_HEADER_SIZE = ProxyHeaderParser.V2_PREFIX_LENGTH + 0xFFFF;

  /** The default deadline from accept to the header's last byte. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

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

  /** What a listener does with a new connection, decided from its TCP peer before any read. */
  public enum Admission {
    /** A trusted peer: the connection must start with a PROXY header. */
    READ_HEADER,
    /** An untrusted peer under {@link UntrustedPeers#PLAIN}: serve it without parsing. */
    PLAIN,
    /** An untrusted peer under {@link UntrustedPeers#CLOSE}: close it. */
    CLOSE
  }

  private final RangeSource trustedSources;
  private final Duration reloadInterval;
  private final UntrustedPeers untrustedPeers;
  private final boolean optionalHeader;
  private final boolean v1Enabled;
  private final boolean v2Enabled;
  private final int maxV2HeaderSize;
  private final Duration headerTimeout;
  private final boolean acceptIpv4InTcp6;
  private final boolean sslTlvMarksSecure;
  private final ProxyHeaderParser parser;

  private ProxyProtocolSettings(Builder b) {
    this.trustedSources = b.trustedSources;
    this.reloadInterval = b.reloadInterval;
    this.untrustedPeers = b.untrustedPeers;
    this.optionalHeader = b.optionalHeader;
    this.v1Enabled = b.v1Enabled;
    this.v2Enabled = b.v2Enabled;
    this.maxV2HeaderSize = b.maxV2HeaderSize;
    this.headerTimeout = b.headerTimeout;
    this.acceptIpv4InTcp6 = b.acceptIpv4InTcp6;
    this.sslTlvMarksSecure = b.sslTlvMarksSecure;
    this.parser = new ProxyHeaderParser(v1Enabled, v2Enabled, maxV2HeaderSize, acceptIpv4InTcp6);
  }

  /** A builder with the safe defaults and no trusted sources; messages use the names below. */
  public static Builder builder() {
    return new Builder(UnaryOperator.identity());
  }

  /**
   * A builder whose error messages name each setting the way the adapter's users write it, so a
   * message holds one spelling: Tomcat's {@code <Connector>} says {@code
   * proxyProtocolTrustedSources} where Jetty's factory says {@code trustedSources}.
   *
   * @param settingName maps a setting's name here ({@code trustedSources}, {@code untrustedPeers},
   *     {@code maxV2HeaderSize}, {@code headerTimeout}) to the adapter's name for it
   */
  public static Builder builder(UnaryOperator<String> settingName) {
    return new Builder(Objects.requireNonNull(settingName, "settingName"));
  }

  /**
   * The decision for a new connection from {@code peer}: a trusted peer must send a header; the
   * others are closed or served plain. A {@code null} peer (not an IP socket) is never trusted.
   */
  public Admission admit(IpAddress peer) {
    if (peer != null && trustedSources.current().contains(peer)) {
      return Admission.READ_HEADER;
    }
    return untrustedPeers == UntrustedPeers.PLAIN ? Admission.PLAIN : Admission.CLOSE;
  }

  /**
   * In {@link #optionalHeader()} mode, whether a connection whose first byte is {@code first} is
   * served plain: only when that byte cannot start a v1 or v2 header.
   */
  public boolean servesPlain(byte first) {
    return optionalHeader && !ProxyHeaderParser.couldStartHeader(first);
  }

  /** The parser for these settings (shared by every connection). */
  public ProxyHeaderParser parser() {
    return parser;
  }

  /**
   * The most bytes a connection ever needs to buffer before the parser decides: the larger of
   * the 107-byte v1 line and the v2 cap.
   */
  public int maxHeaderBytes() {
    return Math.max(ProxyHeaderParser.V1_MAX_LENGTH, maxV2HeaderSize);
  }

  /** The trusted sources in use now (a {@code file:} list follows its files). */
  public IpRangeSet trustedSources() {
    return trustedSources.current();
  }

  /** Where the trusted sources come from: fixed, swapped by the application, or files. */
  public RangeSource trustedSourceRanges() {
    return trustedSources;
  }

  /** Time between two reads of the files of {@code trustedSources} (README D83). */
  public Duration reloadInterval() {
    return reloadInterval;
  }

  /**
   * Starts polling the files of {@code trustedSources}, if it names any, counting each failed
   * reload in {@code counters}: the adapter calls this when its listener starts and closes the
   * result when it stops (README D83).
   *
   * @param name names the polling thread, e.g. the connector
   */
  public RangeReloader startReloader(String name, ProxyProtocolCounters counters) {
    Objects.requireNonNull(counters, "counters");
    return RangeReloader.start(name, List.of(trustedSources), reloadInterval,
        counters::rangeReloadFailed);
  }

  public UntrustedPeers untrustedPeers() {
    return untrustedPeers;
  }

  public boolean optionalHeader() {
    return optionalHeader;
  }

  public boolean v1Enabled() {
    return v1Enabled;
  }

  public boolean v2Enabled() {
    return v2Enabled;
  }

  public int maxV2HeaderSize() {
    return maxV2HeaderSize;
  }

  public Duration headerTimeout() {
    return headerTimeout;
  }

  public boolean acceptIpv4InTcp6() {
    return acceptIpv4InTcp6;
  }

  public boolean sslTlvMarksSecure() {
    return sslTlvMarksSecure;
  }

  @Override
  public String toString() {
    return "ProxyProtocolSettings[trustedSources=" + trustedSources
        + ", reloadInterval=" + reloadInterval
        + ", untrustedPeers=" + untrustedPeers
        + ", optionalHeader=" + optionalHeader
        + ", v1Enabled=" + v1Enabled
        + ", v2Enabled=" + v2Enabled
        + ", maxV2HeaderSize=" + maxV2HeaderSize
        + ", headerTimeout=" + headerTimeout
        + ", acceptIpv4InTcp6=" + acceptIpv4InTcp6
        + ", sslTlvMarksSecure=" + sslTlvMarksSecure + "]";
  }

  /**
   * Mutable configuration before start. Each setter validates its value at once; {@link #build()}
   * checks what needs more than one value. Its getters return the current values so that an
   * adapter can expose them as its own getters. Not thread-safe: configure from one thread.
   */
  public static final class Builder {
    private RangeSource trustedSources;
    private Duration reloadInterval =
        Duration.ofSeconds(RangeReloader.DEFAULT_INTERVAL_SECONDS);
    private UntrustedPeers untrustedPeers = UntrustedPeers.CLOSE;
    private boolean optionalHeader;
    private boolean v1Enabled = true;
    private boolean v2Enabled = true;
    private int maxV2HeaderSize = DEFAULT_MAX_V2_HEADER_SIZE;
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private boolean acceptIpv4InTcp6 = true;
    private boolean sslTlvMarksSecure;
    private final UnaryOperator<String> name;

    private Builder(UnaryOperator<String> name) {
      this.name = name;
    }

    /**
     * The peers that may (and must) send a PROXY header, in the library's range syntax: a
     * comma-separated list of addresses, {@code addr/prefix}, IPv4 {@code addr/netmask}, or the
     * presets {@code loopback}, {@code linklocal}, {@code uniquelocal}, and files of addresses
     * and ranges ({@code file:/path}, re-read when they change; README D80). Required.
     *
     * @throws IllegalArgumentException naming {@code trustedSources} and quoting the bad item
     *     (for a file: the file, its line, the bad text)
     */
    public Builder trustedSources(String text) {
      Objects.requireNonNull(text, name.apply("trustedSources"));
      this.trustedSources = RangeSource.parse(name.apply("trustedSources"), text);
      return this;
    }

    /** The peers that may (and must) send a PROXY header. */
    public Builder trustedSources(IpRangeSet trustedSources) {
      Objects.requireNonNull(trustedSources, "trustedSources");
      this.trustedSources = RangeSource.fixed(trustedSources);
      return this;
    }

    /** The peers that may send a PROXY header, from a source that can change (README D82). */
    public Builder trustedSources(RangeSource trustedSources) {
      this.trustedSources = Objects.requireNonNull(trustedSources, "trustedSources");
      return this;
    }

    /** The trusted sources in use now, or {@code null} when not set yet. */
    public IpRangeSet trustedSources() {
      return trustedSources == null ? null : trustedSources.current();
    }

    /**
     * Time between two reads of the files of {@code trustedSources}; default 30 s.
     *
     * @throws IllegalArgumentException naming {@code reloadInterval} and quoting the value
     */
    public Builder reloadInterval(Duration reloadInterval) {
      Objects.requireNonNull(reloadInterval, "reloadInterval");
      if (reloadInterval.compareTo(Duration.ofSeconds(1)) < 0
          || reloadInterval.compareTo(Duration.ofSeconds(RangeReloader.MAX_INTERVAL_SECONDS))
          > 0) {
        throw new IllegalArgumentException(name.apply("reloadInterval") + ": " + reloadInterval
            + " is outside 1 s to " + RangeReloader.MAX_INTERVAL_SECONDS + " s");
      }
      this.reloadInterval = reloadInterval;
      return this;
    }

    /**
     * The text form: whole seconds, 1 to 86400.
     *
     * @throws IllegalArgumentException naming {@code reloadInterval} and quoting the text
     */
    public Builder reloadInterval(String text) {
      this.reloadInterval = RangeReloader.parseInterval(name.apply("reloadInterval"), text);
      return this;
    }

    public Duration reloadInterval() {
      return reloadInterval;
    }

    /** What to do with peers outside the trusted sources; default {@link UntrustedPeers#CLOSE}. */
    public Builder untrustedPeers(UntrustedPeers untrustedPeers) {
      this.untrustedPeers = Objects.requireNonNull(untrustedPeers, "untrustedPeers");
      return this;
    }

    /**
     * The text form: {@code CLOSE} or {@code PLAIN}, case-insensitive.
     *
     * @throws IllegalArgumentException naming {@code untrustedPeers} and quoting the text
     */
    public Builder untrustedPeers(String text) {
      Objects.requireNonNull(text, "untrustedPeers");
      for (UntrustedPeers value : UntrustedPeers.values()) {
        if (value.name().equalsIgnoreCase(text.trim())) {
          return untrustedPeers(value);
        }
      }
      throw new IllegalArgumentException(
          name.apply("untrustedPeers") + ": '" + text + "' is not one of CLOSE (close the connection) or PLAIN"
              + " (serve it without PROXY parsing)");
    }

    public UntrustedPeers untrustedPeers() {
      return untrustedPeers;
    }

    /**
     * Opt-in, for load balancer health checks that cannot send a header: a trusted peer whose
     * first byte is neither {@code 'P'} (v1) nor CR (v2) is served as a plain connection. Default
     * {@code false}.
     */
    public Builder optionalHeader(boolean optionalHeader) {
      this.optionalHeader = optionalHeader;
      return this;
    }

    public boolean optionalHeader() {
      return optionalHeader;
    }

    /** Accept the v1 text format; default {@code true}. */
    public Builder v1Enabled(boolean v1Enabled) {
      this.v1Enabled = v1Enabled;
      return this;
    }

    public boolean v1Enabled() {
      return v1Enabled;
    }

    /** Accept the v2 binary format; default {@code true}. */
    public Builder v2Enabled(boolean v2Enabled) {
      this.v2Enabled = v2Enabled;
      return this;
    }

    public boolean v2Enabled() {
      return v2Enabled;
    }

    /**
     * The largest v2 header accepted, the 16-byte prefix included; default 4096, at most 65551.
     *
     * @throws IllegalArgumentException naming {@code maxV2HeaderSize} and quoting the value
     */
    public Builder maxV2HeaderSize(int maxV2HeaderSize) {
      if (maxV2HeaderSize < ProxyHeaderParser.V2_PREFIX_LENGTH
          || maxV2HeaderSize > MAX_V2_HEADER_SIZE) {
        throw new IllegalArgumentException(
            name.apply("maxV2HeaderSize") + ": " + maxV2HeaderSize + " is outside 16..65551 (16-byte prefix plus a"
                + " 16-bit length)");
      }
      this.maxV2HeaderSize = maxV2HeaderSize;
      return this;
    }

    public int maxV2HeaderSize() {
      return maxV2HeaderSize;
    }

    /**
     * How long after accept the whole header must have arrived; default 10 s. An absolute
     * deadline: bytes arriving slowly do not extend it.
     *
     * @throws IllegalArgumentException naming {@code headerTimeout} and quoting the value
     */
    public Builder headerTimeout(Duration headerTimeout) {
      Objects.requireNonNull(headerTimeout, "headerTimeout");
      if (headerTimeout.isNegative() || headerTimeout.isZero()) {
        throw new IllegalArgumentException(
            name.apply("headerTimeout") + ": " + headerTimeout + " must be positive");
      }
      this.headerTimeout = headerTimeout;
      return this;
    }

    public Duration headerTimeout() {
      return headerTimeout;
    }

    /**
     * Accept IPv4 text as the <em>destination</em> of a v1 {@code TCP6} line, as nginx's stream
     * module sends it for an IPv6 client reaching an IPv4 listener; default {@code true} (README
     * D51). The destination decides nothing here; the source of a {@code TCP6} line must be IPv6
     * text whatever this says. {@code false} refuses such lines (the specification's strict
     * reading: the family dictates the format).
     */
    public Builder acceptIpv4InTcp6(boolean acceptIpv4InTcp6) {
      this.acceptIpv4InTcp6 = acceptIpv4InTcp6;
      return this;
    }

    public boolean acceptIpv4InTcp6() {
      return acceptIpv4InTcp6;
    }

    /**
     * Whether a v2 SSL TLV saying the client used TLS makes the connection secure; default
     * {@code false}.
     */
    public Builder sslTlvMarksSecure(boolean sslTlvMarksSecure) {
      this.sslTlvMarksSecure = sslTlvMarksSecure;
      return this;
    }

    public boolean sslTlvMarksSecure() {
      return sslTlvMarksSecure;
    }

    /**
     * The settings, fixed.
     *
     * @throws IllegalStateException when {@code trustedSources} is not set or empty
     */
    public ProxyProtocolSettings build() {
      if (trustedSources == null || trustedSources.current().isEmpty()) {
        throw new IllegalStateException(
            name.apply("trustedSources")
                + " is not set: list the proxies allowed to send PROXY headers, e.g."
                + " \"10.0.0.0/8\"; without it anyone could claim any client address");
      }
      return new ProxyProtocolSettings(this);
    }
  }
}
