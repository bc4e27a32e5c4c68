package dev.trustproxy.tomcat;

import dev.trustproxy.ClientMdc;
import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.IpAddress;
import dev.trustproxy.PeerAddressCache;
import dev.trustproxy.RangeReloader;
import dev.trustproxy.RangeSource;
import dev.trustproxy.Resolution;
import dev.trustproxy.ResolutionCounters;
import dev.trustproxy.TrustPolicy;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Tomcat itself see the real client behind your proxies, with Express's {@code trust
 * proxy} semantics and exactly the rules of {@code dev.trustproxy.servlet.TrustProxyFilter} (both ask {@link
 * Forwarding}): the secure replacement for Tomcat's {@code RemoteIpValve}.
 *
 * <p>Unlike a servlet filter, a valve changes Tomcat's own request, so everything Tomcat decides
 * after it uses the client's values: {@code getRemoteAddr()} and {@code getRemoteHost()} (the
 * client's canonical address text, RFC 5952 for IPv6, never a DNS lookup), the scheme and {@code
 * isSecure()} (so session cookies get {@code Secure} and a {@code CONFIDENTIAL} constraint does
 * not redirect a request the client made over https), the server name and port (so {@code
 * getRequestURL()} and redirects name the client's URL). The {@code org.apache.catalina.AccessLog.*}
 * request attributes are set too, so an {@code AccessLogValve} with {@code
 * requestAttributesEnabled="true"} logs the client; without it, it logs the connection (README
 * D62). {@code getRemotePort()} stays the connection's: Tomcat has no way to set it (D61). Every
 * request with an IP peer carries the {@link Resolution} as the attribute {@link
 * Resolution#ATTRIBUTE} (kept on the connector's request, README D113). When the valve returns,
 * the connection's values are restored, as Tomcat's valves must (D60).
 *
 * <p>In {@code server.xml}, at Engine, Host or Context level (Engine or Host is best: an error
 * page that a Host dispatches then also sees the client):
 *
 * <pre>{@code
 * <Valve className="dev.trustproxy.tomcat.TrustProxyValve"
 *        trustProxy="10.0.0.0/8" trustedPeers="10.0.0.0/8" forwardedHeader="x-forwarded-for"/>
 * }</pre>
 *
 * <p>The settings are the filter's, in the same text forms: {@link #setTrustProxy(String)},
 * {@link #setTrustedPeers(String)}, {@link #setForwardedHeader(String)} (also a single-address
 * header such as {@code x-real-ip}, README D90), {@link #setMdcKey(String)} (the client in the
 * SLF4J MDC, D94). They are read when the
 * valve starts: a bad value fails the start with a {@link LifecycleException} naming the setting
 * and quoting the input (Tomcat's digester would only log an exception thrown by a setter and
 * start anyway, trusting nothing). The counters ({@link #statistics()}, the filter's {@link
 * ResolutionCounters}) are also Tomcat MBean attributes of the valve ({@code
 * Catalina:type=Valve,...,name=TrustProxyValve}).
 *
 * <p>Do not combine it with {@code RemoteIpValve}, {@code RemoteIpFilter} or another
 * forwarded-header mechanism: two mechanisms disagree about the client. Thread-safe once started.
 */
public final class TrustProxyValve extends ValveBase {

  /**
   * The connector request's attribute marking a request this valve has applied, holding what to
   * restore; Catalina's getAttribute finds it too, but no client can send one.
   */
  static final String APPLIED = "dev.trustproxy.tomcat.TrustProxyValve";

  private static final Logger LOG = LoggerFactory.getLogger(TrustProxyValve.class);

  private String trustProxy = "false";
  private String trustedPeers;
  private String forwardedHeader = "x-forwarded-for";
  private String mdcKey;
  private String reloadInterval;
  private RangeReloader reloader;

  private volatile ClientResolver resolver;
  private volatile Forwarding.Headers headers = Forwarding.Headers.X_FORWARDED;
  private volatile String mdc;
  // Set by the code constructor (the Spring Boot starter): the text settings are then unused.
  private final ClientResolver configuredResolver;
  private final ResolutionCounters counters = new ResolutionCounters();
  private final PeerAddressCache peers = new PeerAddressCache();
  // The state of a request whose address, scheme, host and port this valve left unchanged.
  private final Originals unchanged = new Originals(this);

  /** Trusts nothing until {@link #setTrustProxy(String)}; reads X-Forwarded-*; supports async. */
  public TrustProxyValve() {
    super(true);
    this.configuredResolver = null;
  }

  /**
   * Configured in code, as {@code TrustProxyCustomizer} is on Jetty: the resolver and header
   * family are already parsed (the Spring Boot starter parses them under its own property names),
   * so the text setters are ignored.
   *
   * @param resolver the trust setting and optional peer gate
   * @param headers which header family to read: never both
   */
  public TrustProxyValve(ClientResolver resolver, Forwarding.Headers headers) {
    super(true);
    this.configuredResolver = Objects.requireNonNull(resolver, "resolver");
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  /**
   * The trust setting: {@code false} (default), {@code true}, a hop count, or a list of
   * addresses, ranges and presets (the filter's {@code trust-proxy}). Read at start.
   *
   * @param trustProxy the setting's text
   */
  public void setTrustProxy(String trustProxy) {
    this.trustProxy = trustProxy;
  }

  /**
   * The setting's text as configured.
   *
   * @return the text given to {@link #setTrustProxy(String)}
   */
  public String getTrustProxy() {
    return trustProxy;
  }

  /**
   * The peer gate: forwarding headers are read only from peers in this list (the filter's {@code
   * trusted-peers}). Null or blank: no gate. Read at start.
   *
   * @param trustedPeers addresses, ranges and presets, or null/blank for none
   */
  public void setTrustedPeers(String trustedPeers) {
    this.trustedPeers = trustedPeers;
  }

  /**
   * The peer gate's text as configured.
   *
   * @return the text, or null when there is no gate
   */
  public String getTrustedPeers() {
    return trustedPeers;
  }

  /**
   * Which header to read: {@code x-forwarded-for} (default: X-Forwarded-For, -Proto, -Host,
   * -Port), {@code forwarded} (RFC 7239), or the name of one header holding one address, such as
   * {@code x-real-ip} (README D90); never two. Read at start.
   *
   * @param forwardedHeader the family's name
   */
  public void setForwardedHeader(String forwardedHeader) {
    this.forwardedHeader = forwardedHeader;
  }

  /**
   * The header family's text as configured.
   *
   * @return the text
   */
  public String getForwardedHeader() {
    return forwardedHeader;
  }

  /**
   * The SLF4J MDC key (for example {@code client.address}) set to the client's address text while
   * the rest of the pipeline runs, on the request and on every async dispatch, and restored
   * afterwards (README D94). Null or blank: off (the default). Read at start.
   *
   * @param mdcKey the key, or null/blank for none
   */
  public void setMdcKey(String mdcKey) {
    this.mdcKey = mdcKey;
  }

  /**
   * The MDC key as configured.
   *
   * @return the text, or null
   */
  public String getMdcKey() {
    return mdcKey;
  }

  /**
   * Seconds between two reads of the files named in {@code trustProxy} and {@code trustedPeers}
   * ({@code file:/path} items): 1 to 86400, default 30 (the filter's {@code reload-interval},
   * README D83). Read at start.
   *
   * @param reloadInterval whole seconds, or null for the default
   */
  public void setReloadInterval(String reloadInterval) {
    this.reloadInterval = reloadInterval;
  }

  /**
   * The reload interval's text as configured.
   *
   * @return the text, or null for the default
   */
  public String getReloadInterval() {
    return reloadInterval;
  }

  /**
   * The counters, the filter's own kind, so both count the same traffic the same way; the
   * settings are this valve's getters.
   *
   * @return the live counters
   */
  public ResolutionCounters statistics() {
    return counters;
  }

  /**
   * Requests resolved (every request whose peer is an IP address); a JMX attribute.
   *
   * @return the count
   */
  public long getRequests() {
    return counters.requests();
  }

  /**
   * Requests whose client came from a forwarding header; a JMX attribute.
   *
   * @return the count
   */
  public long getResolvedFromHeader() {
    return counters.resolvedFromHeader();
  }

  /**
   * Requests whose forwarding header came from an untrusted peer and was ignored; a JMX attribute.
   *
   * @return the count
   */
  public long getHeaderIgnored() {
    return counters.headerIgnored();
  }

  /**
   * Requests whose walk stopped at an invalid entry; a JMX attribute.
   *
   * @return the count
   */
  public long getStoppedOnInvalid() {
    return counters.stoppedOnInvalid();
  }

  /**
   * Range files that failed to reload (the last good list stayed in use); a JMX attribute.
   *
   * @return the count
   */
  public long getRangeReloadFailures() {
    return counters.rangeReloadFailures();
  }

  /** Sets every counter to zero; a JMX operation. */
  public void resetCounters() {
    counters.reset();
  }

  @Override
  protected void startInternal() throws LifecycleException {
    try {
      if (configuredResolver != null) {
        resolver = configuredResolver;
      } else {
        parseSettings();
      }
      Duration interval = RangeReloader.parseInterval("reloadInterval", reloadInterval);
      mdc = ClientMdc.key(mdcKey);
      reloader = RangeReloader.start("TrustProxyValve " + getContainer(),
          resolver.rangeSources(), interval, counters::recordRangeReloadFailure);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new LifecycleException("TrustProxyValve: " + e.getMessage(), e);
    }
    Forwarding.warnIfTrustingEverything(LOG, "trustProxy", resolver, headers);
    LOG.info("TrustProxyValve: {}, headers {}", resolver, headers.settingText());
    super.startInternal();
  }

  /** Parses the text settings; throws IllegalArgumentException naming the setting. */
  private void parseSettings() {
    ClientResolver r = ClientResolver.of(TrustPolicy.parse("trustProxy", trustProxy));
    if (trustedPeers != null && !trustedPeers.isBlank()) {
      r = r.withTrustedPeers(RangeSource.parse("trustedPeers", trustedPeers));
    }
    Forwarding.Headers family = Forwarding.Headers.parse("forwardedHeader", forwardedHeader);
    resolver = r;
    headers = family;
  }

  @Override
  protected void stopInternal() throws LifecycleException {
    super.stopInternal();
    if (reloader != null) {
      reloader.close();
      reloader = null;
    }
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    // The valve's state and the Resolution live in the connector's request attributes (a plain
    // map that Catalina's getAttribute falls back to, cleared when the request is recycled), not
    // in Catalina's notes and concurrent attribute map: README D113.
    org.apache.coyote.Request coyote = request.getCoyoteRequest();
    if (coyote.getAttribute(APPLIED) instanceof Originals applied) {
      reentered(request, response, coyote, applied);
      return;
    }
    String remoteAddr = request.getRemoteAddr();
    IpAddress peer = peers.read(remoteAddr);
    if (peer == null) {
      getNext().invoke(request, response);
      return;
    }
    Forwarding forwarding = Forwarding.read(resolver, headers, peer, request.getScheme(),
        coyote.getMimeHeaders(), CatalinaRequests.LINES);
    Resolution resolution = forwarding.resolution();
    coyote.setAttribute(Resolution.ATTRIBUTE, resolution);
    counters.record(resolution);
    peers.remember(remoteAddr, resolution);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}", forwarding);
    }
    String client = forwarding.clientText(remoteAddr);
    boolean newClient = !client.equals(remoteAddr);
    Originals originals = unchanged;
    if (newClient || forwarding.changesRequest()) {
      originals = new Originals(this, request);
      CatalinaRequests.apply(request, forwarding, newClient ? client : null);
    }
    // The client's address text, never a name: no DNS lookup, even with enableLookups="true".
    request.setRemoteHost(client);
    coyote.setAttribute(APPLIED, originals);
    try (ClientMdc scope = ClientMdc.put(mdc, client)) {
      getNext().invoke(request, response);
    } finally {
      // An async request goes on after this returns (and re-enters on dispatch): Tomcat's own
      // valves restore only once the request is no longer async, and so does this one.
      if (!request.isAsync()) {
        coyote.getAttributes().remove(APPLIED);
        originals.restore(request);
      }
    }
  }

  /**
   * A request this valve (or another TrustProxyValve) already applied: an async dispatch, or a
   * second valve at a lower level. Its remote address is the client now, so walking again would
   * take the client for the peer; only the valve that applied restores.
   */
  private void reentered(Request request, Response response, org.apache.coyote.Request coyote,
      Originals applied) throws IOException, ServletException {
    try (ClientMdc scope = ClientMdc.put(mdc, request.getRemoteAddr())) {
      getNext().invoke(request, response);
    } finally {
      if (applied.owner == this && !request.isAsync()) {
        coyote.getAttributes().remove(APPLIED);
        applied.restore(request);
      }
    }
  }

  @Override
  public String toString() {
    return "TrustProxyValve{" + resolver + ", " + headers.settingText() + "}";
  }
}
