package dev.trustproxy.jetty;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.IpAddress;
import dev.trustproxy.IpAddresses;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.RangeReloader;
import dev.trustproxy.RangeSource;
import dev.trustproxy.Resolution;
import dev.trustproxy.ResolutionCounters;
import dev.trustproxy.TrustPolicy;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every request of a Jetty connector report the real client behind your proxies, with
 * Express's {@code trust proxy} semantics: the secure replacement for Jetty's {@code
 * ForwardedRequestCustomizer}, which believes every forwarding header from anyone.
 *
 * <p>It applies exactly the rules of {@code dev.trustproxy.servlet.TrustProxyFilter} (both ask
 * {@link Forwarding}), below any servlet: {@code Request.getRemoteAddr(request)} and the servlet
 * {@code getRemoteAddr()} become the client when it came from a trusted header; the scheme,
 * {@code isSecure()}, server name and port (the request's {@code HttpURI}) follow X-Forwarded-Proto,
 * -Host and -Port (or RFC 7239 {@code proto=}/{@code host=}) only from a trusted peer. The
 * remote port of a client from a header is 0. When the host, port or scheme changes, the {@code
 * Host} header is rewritten to the forwarded authority, because Jetty refuses a request whose URI
 * authority and {@code Host} header disagree (the filter leaves {@code Host} as sent). Every request with an IP peer carries the {@link
 * Resolution} as the attribute {@value #RESOLUTION_ATTRIBUTE}. The peer is what the connection
 * reports, so behind {@link ProxyProtocolConnectionFactory} it is the PROXY header's source.
 *
 * <pre>{@code
 * HttpConfiguration config = new HttpConfiguration();
 * config.addCustomizer(new TrustProxyCustomizer(
 *     ClientResolver.of(TrustPolicy.parse("trustProxy", "10.0.0.0/8")),
 *     Forwarding.Headers.X_FORWARDED));
 * }</pre>
 *
 * <p>From Jetty XML, construct it without arguments (trusting nothing) and call {@link
 * #setTrustProxy(String)}, {@link #setTrustedPeers(String)} and {@link
 * #setForwardedHeader(String)}. Configure before start; afterwards it is immutable in practice
 * and thread-safe (the setters publish a new immutable resolver).
 *
 * <p>Files in {@code trustProxy} or {@code trustedPeers} ({@code file:/path}, README D80) are
 * read when set, and re-read every {@link #setReloadInterval(String) reloadInterval} while the
 * customizer is started: add it to the server as a bean ({@code server.addBean(customizer)}) so
 * that the server starts and stops it with itself (README D83).
 *
 * <p>Do not combine it with {@code ForwardedRequestCustomizer} or any other forwarded-header
 * mechanism: two mechanisms disagree about the client.
 */
public final class TrustProxyCustomizer extends AbstractLifeCycle
    implements HttpConfiguration.Customizer {

  /** The request attribute holding the {@link Resolution}: {@value}, as the filter sets it. */
  public static final String RESOLUTION_ATTRIBUTE = Resolution.ATTRIBUTE;

  private static final Logger LOG = LoggerFactory.getLogger(TrustProxyCustomizer.class);

  private volatile ClientResolver resolver;
  private volatile Forwarding.Headers headers;
  private Duration reloadInterval = Duration.ofSeconds(RangeReloader.DEFAULT_INTERVAL_SECONDS);
  private RangeReloader reloader;
  private final ResolutionCounters counters = new ResolutionCounters();

  /** Trusts nothing until {@link #setTrustProxy(String)} is called; reads X-Forwarded-*. */
  public TrustProxyCustomizer() {
    this(ClientResolver.of(TrustPolicy.parse("trustProxy", "false")),
        Forwarding.Headers.X_FORWARDED);
  }

  /**
   * Configured in code.
   *
   * @param resolver the trust setting and optional peer gate
   * @param headers which header family to read: never both
   */
  public TrustProxyCustomizer(ClientResolver resolver, Forwarding.Headers headers) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.headers = Objects.requireNonNull(headers, "headers");
    warnIfTrustingEverything();
  }

  /**
   * The trust setting in its text form ({@code false}, {@code true}, a hop count, or a list of
   * addresses, ranges and presets), keeping any peer gate.
   *
   * @param text the setting
   * @throws IllegalArgumentException naming {@code trustProxy} and quoting the bad item
   */
  public void setTrustProxy(String text) {
    resolver = resolver.withTrust(TrustPolicy.parse("trustProxy", text));
    warnIfTrustingEverything();
  }

  /**
   * The peer gate: forwarding headers are read only when the peer is in this list. Null or blank
   * removes the gate (Jetty XML passes an unset property as an empty string).
   *
   * @param text a list of addresses, ranges and presets, or null/blank for none
   * @throws IllegalArgumentException naming {@code trustedPeers} and quoting the bad item
   */
  public void setTrustedPeers(String text) {
    ClientResolver r = ClientResolver.of(resolver.trust());
    resolver = text == null || text.isBlank()
        ? r : r.withTrustedPeers(RangeSource.parse("trustedPeers", text));
  }

  /**
   * Which header to read: {@code x-forwarded-for} (X-Forwarded-For, -Proto, -Host, -Port),
   * {@code forwarded} (RFC 7239), or the name of one header holding one address, such as {@code
   * x-real-ip} or {@code cf-connecting-ip} (README D90). For the client in the SLF4J MDC, wrap the
   * handlers in a {@link ClientMdcHandler} (D96).
   *
   * @param text the family's name
   * @throws IllegalArgumentException naming {@code forwardedHeader} and quoting the text
   */
  public void setForwardedHeader(String text) {
    headers = Forwarding.Headers.parse("forwardedHeader", text);
  }

  /**
   * The resolver in use.
   *
   * @return the trust setting and peer gate
   */
  public ClientResolver getResolver() {
    return resolver;
  }

  /**
   * The trust setting's text form.
   *
   * @return the setting as {@link TrustPolicy#toString()} prints it
   */
  public String getTrustProxy() {
    return resolver.trust().toString();
  }

  /**
   * The peer gate's text form.
   *
   * @return the gate, or null when there is none
   */
  public String getTrustedPeers() {
    IpRangeSet peers = resolver.trustedPeers();
    return peers == null ? null : peers.toString();
  }

  /**
   * The header setting's text.
   *
   * @return {@code x-forwarded-for}, {@code forwarded}, or the single header's name
   */
  public String getForwardedHeader() {
    return headers.settingText();
  }

  /**
   * Seconds between two reads of the files of {@code trustProxy} and {@code trustedPeers}: 1 to
   * 86400, default 30 (README D83).
   *
   * @throws IllegalArgumentException naming {@code reloadInterval} and quoting the text
   */
  public void setReloadInterval(String seconds) {
    reloadInterval = RangeReloader.parseInterval("reloadInterval", seconds);
  }

  /**
   * Range files that failed to reload since start (the last good list stayed in use).
   *
   * @return the count
   */
  public long getRangeReloadFailures() {
    return counters.rangeReloadFailures();
  }

  @Override
  protected void doStart() throws Exception {
    reloader = RangeReloader.start("TrustProxyCustomizer@" + Integer.toHexString(hashCode()),
        resolver.rangeSources(), reloadInterval, counters::recordRangeReloadFailure);
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

  /**
   * The counters, the filter's and the Tomcat valve's own kind, so every adapter counts the same
   * traffic the same way (the Spring Boot starter reads them for its Micrometer meters).
   *
   * @return the live counters
   */
  public ResolutionCounters statistics() {
    return counters;
  }

  private void warnIfTrustingEverything() {
    Forwarding.warnIfTrustingEverything(LOG, "trustProxy", resolver, headers);
  }

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    IpAddress peer =
        IpAddresses.ofSocket(request.getConnectionMetaData().getRemoteSocketAddress());
    if (peer == null) {
      return request;
    }
    HttpFields fields = request.getHeaders();
    HttpURI uri = request.getHttpURI();
    Forwarding forwarding = Forwarding.read(resolver, headers, peer, uri.getScheme(), fields,
        LINES);
    Resolution resolution = forwarding.resolution();
    request.setAttribute(RESOLUTION_ATTRIBUTE, resolution);
    counters.record(resolution);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}", forwarding);
    }
    if (!forwarding.changesRequest()) {
      return request;
    }

    InetSocketAddress client = forwarding.remoteAddr() == null
        ? null : new InetSocketAddress(resolution.client().toInetAddress(), 0);
    HttpURI forwardedUri = uri;
    HostPort authority = null;
    HttpFields forwardedFields = fields;
    if (forwarding.scheme() != null || forwarding.serverName() != null
        || forwarding.serverPort() >= 0) {
      String host = forwarding.serverName() != null
          ? forwarding.serverName() : Request.getServerName(request);
      int port = forwarding.serverPort() >= 0
          ? forwarding.serverPort() : Request.getServerPort(request);
      HttpURI.Mutable builder = HttpURI.build(uri).authority(host, port);
      if (forwarding.scheme() != null) {
        builder.scheme(forwarding.scheme());
      }
      forwardedUri = builder.asImmutable();
      authority = new HostPort(host, port);
      // Jetty answers 400 "Authority!=Host" when the URI's authority and the Host header
      // disagree, so the Host header follows, as with Jetty's ForwardedRequestCustomizer.
      forwardedFields = HttpFields.build(fields, new HostPortHttpField(host, port));
    }
    boolean secure = forwarding.scheme() != null
        ? forwarding.scheme().equals("https") : request.isSecure();
    return new ForwardedRequest(request, forwardedUri, forwardedFields, secure,
        new ForwardedConnectionMetaData(request.getConnectionMetaData(), client, authority));
  }

  /** Jetty's field lines, for {@link Forwarding#read}: one constant, nothing captured. */
  private static final Forwarding.FieldLines<HttpFields> LINES = new Forwarding.FieldLines<>() {
    /** Every field line of {@code name} joined in arrival order with {@code ", "}, or null. */
    @Override
    public String joined(HttpFields fields, String name) {
      List<String> lines = fields.getValuesList(name);
      if (lines.isEmpty()) {
        return null;
      }
      return lines.size() == 1 ? lines.get(0) : String.join(", ", lines);
    }

    @Override
    public String first(HttpFields fields, String name) {
      return fields.get(name);
    }
  };

  @Override
  public String toString() {
    return "TrustProxyCustomizer{" + resolver + ", " + headers.settingText() + "}";
  }

  /** The request as the client made it; attributes and everything else are the original's. */
  private static final class ForwardedRequest extends Request.Wrapper {
    private final HttpURI uri;
    private final HttpFields fields;
    private final boolean secure;
    private final ConnectionMetaData metaData;

    ForwardedRequest(Request request, HttpURI uri, HttpFields fields, boolean secure,
        ConnectionMetaData metaData) {
      super(request);
      this.uri = uri;
      this.fields = fields;
      this.secure = secure;
      this.metaData = metaData;
    }

    @Override
    public HttpURI getHttpURI() {
      return uri;
    }

    @Override
    public HttpFields getHeaders() {
      return fields;
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public ConnectionMetaData getConnectionMetaData() {
      return metaData;
    }
  }

  /** The connection as the client made it: its address and the authority it asked for. */
  private static final class ForwardedConnectionMetaData extends ConnectionMetaData.Wrapper {
    private final InetSocketAddress client;
    private final HostPort authority;

    ForwardedConnectionMetaData(ConnectionMetaData wrapped, InetSocketAddress client,
        HostPort authority) {
      super(wrapped);
      this.client = client;
      this.authority = authority;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
      return client != null ? client : super.getRemoteSocketAddress();
    }

    @Override
    public HostPort getServerAuthority() {
      return authority != null ? authority : super.getServerAuthority();
    }
  }
}
