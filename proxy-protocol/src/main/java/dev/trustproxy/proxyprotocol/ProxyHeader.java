package dev.trustproxy.proxyprotocol;

import dev.trustproxy.IpAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One validated PROXY protocol header (v1 or v2), as a trusted proxy sent it at the start of a
 * connection.
 *
 * <p>Every request of that connection sees it as the request attribute {@link #ATTRIBUTE}, in
 * every container adapter (README D50). Its
 * {@link #sourceAddress()} and {@link #destinationAddress()} have already become the connection's
 * remote and local addresses, so {@code Request.getRemoteAddr()} and the servlet {@code
 * getRemoteAddr()} return the PROXY source without reading this object. They are {@code null}
 * when the header says the real connection endpoints apply: v2 {@code LOCAL} (health checks), v1
 * {@code UNKNOWN}, v2 {@code UNSPEC} and {@code UNIX} families.
 *
 * <p>Typed accessors decode the TLVs of the specification and of the three cloud vendors that
 * define their own; {@link #tlvs()} and {@link #tlv(int)} give every TLV raw. Values are copied
 * on the way in and out, so instances are immutable.
 */
public final class ProxyHeader {

  /**
   * The request attribute name under which every request of the connection sees the header: one
   * name for every container, the class's own name.
   */
  public static final String ATTRIBUTE = "dev.trustproxy.proxyprotocol.ProxyHeader";

  /** PP2_TYPE_ALPN. */
  public static final int TYPE_ALPN = 0x01;
  /** PP2_TYPE_AUTHORITY: the host name the client asked for (TLS SNI or Host). */
  public static final int TYPE_AUTHORITY = 0x02;
  /** PP2_TYPE_CRC32C: verified by the parser before the header is accepted. */
  public static final int TYPE_CRC32C = 0x03;
  /** PP2_TYPE_NOOP: padding. */
  public static final int TYPE_NOOP = 0x04;
  /** PP2_TYPE_UNIQUE_ID: at most 128 bytes. */
  public static final int TYPE_UNIQUE_ID = 0x05;
  /** PP2_TYPE_SSL: the client's TLS session as the proxy saw it. */
  public static final int TYPE_SSL = 0x20;
  /** PP2_TYPE_NETNS. */
  public static final int TYPE_NETNS = 0x30;
  /** Google Cloud Private Service Connect: 8-byte big-endian connection id. */
  public static final int TYPE_GCP = 0xE0;
  /** AWS: subtype byte then data; subtype 0x01 is the VPC endpoint id. */
  public static final int TYPE_AWS = 0xEA;
  /** Azure: subtype byte then data; subtype 0x01 is the private endpoint link id. */
  public static final int TYPE_AZURE = 0xEE;

  /** The v2 command; v1 headers are {@link #PROXY}. */
  public enum Command {
    /** The proxy opened the connection itself (health check): real endpoints apply. */
    LOCAL,
    /** The connection is relayed for the client in {@link #sourceAddress()}. */
    PROXY
  }

  /** The address family: v1 {@code TCP4}/{@code TCP6}/{@code UNKNOWN}, or the v2 high nibble. */
  public enum Family {
    UNSPEC,
    INET,
    INET6,
    UNIX
  }

  /** The transport: v1 TCP lines are {@link #STREAM}; DGRAM is rejected on a TCP listener. */
  public enum Transport {
    UNSPEC,
    STREAM,
    DGRAM
  }

  private final int version;
  private final Command command;
  private final Family family;
  private final Transport transport;
  private final InetSocketAddress source;
  private final InetSocketAddress destination;
  private final List<Tlv> tlvs;
  private final Ssl ssl;

  ProxyHeader(
      int version,
      Command command,
      Family family,
      Transport transport,
      InetSocketAddress source,
      InetSocketAddress destination,
      List<Tlv> tlvs,
      Ssl ssl) {
    this.version = version;
    this.command = command;
    this.family = family;
    this.transport = transport;
    this.source = source;
    this.destination = destination;
    this.tlvs = Collections.unmodifiableList(new ArrayList<>(tlvs));
    this.ssl = ssl;
  }

  /** 1 for the text format, 2 for the binary format. */
  public int version() {
    return version;
  }

  public Command command() {
    return command;
  }

  public Family family() {
    return family;
  }

  public Transport transport() {
    return transport;
  }

  /** The client's address and port, or {@code null} when the real connection endpoints apply. */
  public InetSocketAddress sourceAddress() {
    return source;
  }

  /**
   * The address and port the client connected to on the proxy, or {@code null} when the real
   * connection endpoints apply.
   */
  public InetSocketAddress destinationAddress() {
    return destination;
  }

  /** Every top-level TLV in header order, NOOP padding and CRC32C included (v1: empty). */
  public List<Tlv> tlvs() {
    return tlvs;
  }

  /** A copy of the value of the first top-level TLV of {@code type}, if present. */
  public Optional<byte[]> tlv(int type) {
    Tlv tlv = first(type);
    return tlv == null ? Optional.empty() : Optional.of(tlv.value());
  }

  /** PP2_TYPE_ALPN as US-ASCII, for example {@code h2}. */
  public Optional<String> alpn() {
    return text(TYPE_ALPN, false);
  }

  /** PP2_TYPE_AUTHORITY (UTF-8), usually the TLS SNI host name. */
  public Optional<String> authority() {
    return text(TYPE_AUTHORITY, true);
  }

  /** A copy of PP2_TYPE_UNIQUE_ID (opaque, at most 128 bytes). */
  public Optional<byte[]> uniqueId() {
    return tlv(TYPE_UNIQUE_ID);
  }

  /** PP2_TYPE_SSL with its sub-TLVs. */
  public Optional<Ssl> ssl() {
    return Optional.ofNullable(ssl);
  }

  /** PP2_TYPE_NETNS as US-ASCII. */
  public Optional<String> netns() {
    return text(TYPE_NETNS, false);
  }

  /**
   * AWS VPC endpoint id ({@code 0xEA} subtype {@code 0x01}), for example {@code
   * vpce-08d2bf15fac5001c9}; empty when absent or not of the form {@code [A-Za-z0-9-]*}.
   */
  public Optional<String> awsVpceId() {
    Tlv tlv = first(TYPE_AWS);
    if (tlv == null || tlv.value.length < 1 || tlv.value[0] != 0x01) {
      return Optional.empty();
    }
    for (int i = 1; i < tlv.value.length; i++) {
      byte b = tlv.value[i];
      boolean ok =
          (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-';
      if (!ok) {
        return Optional.empty();
      }
    }
    return Optional.of(new String(tlv.value, 1, tlv.value.length - 1, StandardCharsets.US_ASCII));
  }

  /**
   * Azure private endpoint link id ({@code 0xEE} subtype {@code 0x01}, a <em>little-endian</em>
   * uint32), as a non-negative long; empty when absent or not exactly 5 bytes.
   */
  public OptionalLong azurePrivateLinkId() {
    Tlv tlv = first(TYPE_AZURE);
    if (tlv == null || tlv.value.length != 5 || tlv.value[0] != 0x01) {
      return OptionalLong.empty();
    }
    long id = 0;
    for (int i = 4; i >= 1; i--) {
      id = (id << 8) | (tlv.value[i] & 0xFF);
    }
    return OptionalLong.of(id);
  }

  /**
   * Google Cloud Private Service Connect connection id ({@code 0xE0}, 8 bytes big-endian). The id
   * is an <em>unsigned</em> 64-bit number: print it with {@link Long#toUnsignedString(long)}.
   * Empty when absent or not exactly 8 bytes.
   */
  public OptionalLong gcpPscConnectionId() {
    Tlv tlv = first(TYPE_GCP);
    if (tlv == null || tlv.value.length != 8) {
      return OptionalLong.empty();
    }
    long id = 0;
    for (byte b : tlv.value) {
      id = (id << 8) | (b & 0xFF);
    }
    return OptionalLong.of(id);
  }

  private Tlv first(int type) {
    return first(tlvs, type);
  }

  private Optional<String> text(int type, boolean utf8) {
    return text(tlvs, type, utf8);
  }

  /** The first TLV of {@code type} in {@code list}, or null. */
  static Tlv first(List<Tlv> list, int type) {
    for (Tlv tlv : list) {
      if (tlv.type == type) {
        return tlv;
      }
    }
    return null;
  }

  /** The first TLV of {@code type} decoded as text (UTF-8 or US-ASCII), if present. */
  static Optional<String> text(List<Tlv> list, int type, boolean utf8) {
    Tlv tlv = first(list, type);
    return tlv == null
        ? Optional.empty()
        : Optional.of(
            new String(tlv.value, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProxyHeader h
        && version == h.version
        && command == h.command
        && family == h.family
        && transport == h.transport
        && Objects.equals(source, h.source)
        && Objects.equals(destination, h.destination)
        && tlvs.equals(h.tlvs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, command, family, transport, source, destination, tlvs);
  }

  /** A summary without TLV values (they may be sensitive or binary). */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ProxyHeader[v").append(version).append(' ');
    b.append(command).append(' ').append(family).append('/').append(transport);
    if (source != null) {
      b.append(" source=").append(text(source)).append(" destination=").append(text(destination));
    } else {
      b.append(" real endpoints");
    }
    if (!tlvs.isEmpty()) {
      b.append(" tlvTypes=[");
      for (int i = 0; i < tlvs.size(); i++) {
        b.append(i == 0 ? "" : ",").append(String.format("0x%02X", tlvs.get(i).type));
      }
      b.append(']');
    }
    return b.append(']').toString();
  }

  /** Canonical text (RFC 5952 for IPv6), no slash, no host name. */
  private static String text(InetSocketAddress address) {
    IpAddress ip = IpAddress.of(address.getAddress());
    return (ip.isIpv4() ? ip.toString() : "[" + ip + "]") + ":" + address.getPort();
  }

  /** One raw type-length-value entry. Immutable: {@link #value()} returns a copy. */
  public static final class Tlv {
    private final int type;
    private final byte[] value;

    Tlv(int type, byte[] value) {
      this.type = type;
      this.value = value.clone();
    }

    /** The type byte, {@code 0x00..0xFF}. */
    public int type() {
      return type;
    }

    /** A copy of the value. */
    public byte[] value() {
      return value.clone();
    }

    public int length() {
      return value.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tlv t && type == t.type && Arrays.equals(value, t.value);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return String.format("Tlv[type=0x%02X, length=%d]", type, value.length);
    }
  }

  /**
   * The PP2_TYPE_SSL TLV: what the proxy knew about the client's TLS session. Sub-TLVs are read
   * one level deep; an SSL TLV nested inside is kept raw in {@link #subTlvs()}, never descended.
   */
  public static final class Ssl {
    /** Client bit: the client connected over SSL/TLS. */
    public static final int CLIENT_SSL = 0x01;
    /** Client bit: the client sent a certificate on this connection. */
    public static final int CLIENT_CERT_CONN = 0x02;
    /** Client bit: the client sent a certificate on this TLS session (possibly resumed). */
    public static final int CLIENT_CERT_SESS = 0x04;

    static final int SUB_VERSION = 0x21;
    static final int SUB_CN = 0x22;
    static final int SUB_CIPHER = 0x23;
    static final int SUB_SIG_ALG = 0x24;
    static final int SUB_KEY_ALG = 0x25;
    static final int SUB_GROUP = 0x26;
    static final int SUB_SIG_SCHEME = 0x27;
    static final int SUB_CLIENT_CERT = 0x28;

    private final int client;
    private final long verify;
    private final List<Tlv> subTlvs;

    Ssl(int client, long verify, List<Tlv> subTlvs) {
      this.client = client;
      this.verify = verify;
      this.subTlvs = Collections.unmodifiableList(new ArrayList<>(subTlvs));
    }

    /** The raw {@code client} bit field. */
    public int client() {
      return client;
    }

    /** True when the client connected to the proxy over SSL/TLS ({@link #CLIENT_SSL}). */
    public boolean clientSsl() {
      return (client & CLIENT_SSL) != 0;
    }

    /** The raw {@code verify} field (uint32): 0 means the client certificate was verified. */
    public long verify() {
      return verify;
    }

    /** True when a client certificate was presented and {@link #verify()} is 0. */
    public boolean clientCertificateVerified() {
      return verify == 0 && (client & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0;
    }

    /** PP2_SUBTYPE_SSL_VERSION, for example {@code TLSv1.3}. */
    public Optional<String> version() {
      return text(SUB_VERSION, false);
    }

    /** PP2_SUBTYPE_SSL_CN: the client certificate's common name (UTF-8). */
    public Optional<String> commonName() {
      return text(SUB_CN, true);
    }

    /** PP2_SUBTYPE_SSL_CIPHER, for example {@code TLS_AES_128_GCM_SHA256}. */
    public Optional<String> cipher() {
      return text(SUB_CIPHER, false);
    }

    /** PP2_SUBTYPE_SSL_SIG_ALG: signature algorithm of the frontend certificate. */
    public Optional<String> signatureAlgorithm() {
      return text(SUB_SIG_ALG, false);
    }

    /** PP2_SUBTYPE_SSL_KEY_ALG: key algorithm of the frontend certificate. */
    public Optional<String> keyAlgorithm() {
      return text(SUB_KEY_ALG, false);
    }

    /** PP2_SUBTYPE_SSL_GROUP: the key exchange group, for example {@code secp256r1}. */
    public Optional<String> group() {
      return text(SUB_GROUP, false);
    }

    /** PP2_SUBTYPE_SSL_SIG_SCHEME, for example {@code rsa_pss_rsae_sha256}. */
    public Optional<String> signatureScheme() {
      return text(SUB_SIG_SCHEME, false);
    }

    /** A copy of PP2_SUBTYPE_SSL_CLIENT_CERT: the client certificate, DER encoded. */
    public Optional<byte[]> clientCertificate() {
      Tlv tlv = first(SUB_CLIENT_CERT);
      return tlv == null ? Optional.empty() : Optional.of(tlv.value());
    }

    /** Every sub-TLV in order, raw. */
    public List<Tlv> subTlvs() {
      return subTlvs;
    }

    private Tlv first(int type) {
      return ProxyHeader.first(subTlvs, type);
    }

    private Optional<String> text(int type, boolean utf8) {
      return ProxyHeader.text(subTlvs, type, utf8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ssl s && client == s.client && verify == s.verify
          && subTlvs.equals(s.subTlvs);
    }

    @Override
    public int hashCode() {
      return Objects.hash(client, verify, subTlvs);
    }

    @Override
    public String toString() {
      return "Ssl[client=" + client + ", verify=" + verify + ", subTlvs=" + subTlvs.size() + "]";
    }
  }
}
