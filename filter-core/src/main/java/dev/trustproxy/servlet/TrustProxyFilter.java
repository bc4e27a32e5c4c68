package dev.trustproxy.servlet;

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
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A servlet filter that makes {@code getRemoteAddr()} the real client behind your proxies, with
 * Express's {@code trust proxy} semantics, and the scheme, host and port the client used when a
 * trusted proxy reports them.
 *
 * <p>Configured in web.xml with init-params (an unknown name fails start-up):
 *
 * <table>
 *   <caption>Init-params</caption>
 *   <tr><td>{@code trust-proxy}</td><td>the trust setting: {@code false} (default), {@code true},
 *       a hop count, or a list of addresses, ranges, presets and files ({@code file:/path},
 *       re-read when they change); see {@link TrustPolicy} and {@link RangeSource}</td></tr>
 *   <tr><td>{@code trusted-peers}</td><td>optional peer gate: forwarding headers are read only
 *       from peers in this list (the same list syntax, files too)</td></tr>
 *   <tr><td>{@code reload-interval}</td><td>seconds between two reads of the files of {@code
 *       trust-proxy} and {@code trusted-peers}: 1 to 86400, default 30 (README D83). Also
 *       accepted when the filter is configured in code</td></tr>
 *   <tr><td>{@code forwarded-header}</td><td>{@code x-forwarded-for} (default: X-Forwarded-For,
 *       -Proto, -Host, -Port), {@code forwarded} (RFC 7239: {@code for=}, and {@code proto=}
 *       and {@code host=} of the element that names the client), or the name of one header that
 *       holds one address, such as {@code x-real-ip} or {@code cf-connecting-ip} (README D90);
 *       never two</td></tr>
 *   <tr><td>{@code mdc-key}</td><td>optional: the SLF4J MDC key (for example {@code
 *       client.address}) set to the client's address text for every dispatch through the filter
 *       and restored afterwards (README D94); empty or absent: off. Also accepted when the
 *       filter is configured in code</td></tr>
 *   <tr><td>{@code jmx}</td><td>{@code true} (default) registers the counters ({@link
 *       TrustProxyFilterMXBean}) as {@code dev.trustproxy:type=TrustProxyFilter,name=<filter-name>}
 *       on init and unregisters them on destroy; {@code false} opts out. Also accepted when the
 *       filter is configured in code</td></tr>
 * </table>
 *
 * <p>An init-param that is absent is looked up as the context-param {@code trustproxy.NAME}, the
 * system property {@code trustproxy.NAME} and then the environment variable {@code
 * TRUSTPROXY_NAME} (upper case, {@code _} for {@code -}); an unknown context-param {@code
 * trustproxy.*} fails start-up. Or construct it in code with {@link
 * #TrustProxyFilter(ClientResolver, Forwarding.Headers)}. The jar's {@code
 * META-INF/web-fragment.xml} declares {@link TrustProxyFragmentFilter}, configured by those
 * context-params.
 *
 * <p>Map it for every dispatcher type (REQUEST, FORWARD, INCLUDE, ASYNC, ERROR): a request is
 * walked once, and a later dispatch of it is wrapped again from the first answer (README D24).
 * {@code getRemoteAddr()} and {@code getRemoteHost()} are always the canonical text (D9), also
 * when the client is the TCP peer. The container hears the answer where it can: on Tomcat through
 * its request attributes ({@code RemoteIpFilter}'s, so its session cookie is {@code Secure} and its
 * access log shows the client); on Jetty a session the application creates gets a {@code Secure}
 * cookie. What the container decides before filters run (security constraints, Jetty's access
 * log) it cannot change: see the README.
 *
 * <p>Every request gets the {@link Resolution} as the request attribute {@link
 * #RESOLUTION_ATTRIBUTE}. Bad header values never fail a request: the walk stops at them and the
 * nearest trusted hop is the client ({@link Resolution#stoppedOnInvalid()}).
 */
public final class TrustProxyFilter implements Filter {

  /**
   * The request attribute holding this request's {@link Resolution}: {@value}. Absent only when
   * the container reported a peer address that is not an IP literal (a Unix socket, say).
   */
  public static final String RESOLUTION_ATTRIBUTE = Resolution.ATTRIBUTE;

  static final String TRUST_PROXY = "trust-proxy";
  static final String TRUSTED_PEERS = "trusted-peers";
  static final String FORWARDED_HEADER = "forwarded-header";
  static final String JMX = "jmx";
  static final String MDC_KEY = "mdc-key";
  static final String RELOAD_INTERVAL = "reload-interval";
  private static final List<String> SETTINGS = List.of(TRUST_PROXY, TRUSTED_PEERS,
      FORWARDED_HEADER, JMX, MDC_KEY, RELOAD_INTERVAL);
  /** The prefix of the context-params (and system properties) that configure the filter. */
  static final String CONTEXT_PREFIX = "trustproxy.";

  private static final Logger LOG = LoggerFactory.getLogger(TrustProxyFilter.class);

  private final boolean configuredInCode;
  private ClientResolver resolver;
  private Forwarding.Headers family;
  private final ResolutionCounters counters = new ResolutionCounters();
  private final PeerAddressCache peers = new PeerAddressCache();
  private final FilterStatistics statistics = new FilterStatistics(counters);
  private ObjectName jmxName;
  private RangeReloader reloader;
  private boolean tomcat;
  /** The MDC key, or null for none (README D94). */
  private String mdcKey;

  /** For web.xml: configured by {@link #init(FilterConfig)} from init-params. */
  public TrustProxyFilter() {
    this.configuredInCode = false;
  }

  /** Configured in code, reading X-Forwarded-*. */
  public TrustProxyFilter(ClientResolver resolver) {
    this(resolver, Forwarding.Headers.X_FORWARDED);
  }

  /** Configured in code; init-params are then refused, so that one place holds the setting. */
  public TrustProxyFilter(ClientResolver resolver, Forwarding.Headers family) {
    this.configuredInCode = true;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.family = Objects.requireNonNull(family, "family");
    announce();
  }

  /**
   * Configured in code from the text form of the trust setting, reading X-Forwarded-*.
   *
   * @throws IllegalArgumentException naming {@code trust-proxy} and quoting the bad item
   */
  public static TrustProxyFilter trusting(String trustProxy) {
    return new TrustProxyFilter(ClientResolver.of(TrustPolicy.parse(TRUST_PROXY, trustProxy)));
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    List<String> names = Collections.list(config.getInitParameterNames());
    ServletContext context = config.getServletContext();
    tomcat = TomcatAttributes.isTomcat(context);
    checkContextParams(context);
    boolean jmx;
    Duration reloadInterval;
    try {
      jmx = jmxEnabled(Setting.lookup(config, JMX));
      Setting interval = Setting.lookup(config, RELOAD_INTERVAL);
      reloadInterval = RangeReloader.parseInterval(interval.source, interval.value);
    } catch (IllegalArgumentException e) {
      throw new ServletException(e.getMessage(), e);
    }
    mdcKey = ClientMdc.key(Setting.lookup(config, MDC_KEY).value);
    if (configuredInCode) {
      names.remove(JMX);
      names.remove(MDC_KEY);
      names.remove(RELOAD_INTERVAL);
      if (!names.isEmpty()) {
        throw new ServletException("TrustProxyFilter was configured in code, but init-params "
            + names + " were also given: configure it in one place");
      }
      registerStatistics(config, jmx);
      startReloader(config, reloadInterval);
      return;
    }
    for (String name : names) {
      if (!SETTINGS.contains(name)) {
        throw new ServletException("TrustProxyFilter: unknown init-param '" + name
            + "': expected one of " + SETTINGS);
      }
    }
    try {
      Setting trust = Setting.lookup(config, TRUST_PROXY);
      ClientResolver r = ClientResolver.of(TrustPolicy.parse(trust.source, trust.value));
      Setting peers = Setting.lookup(config, TRUSTED_PEERS);
      if (peers.value != null) {
        r = r.withTrustedPeers(RangeSource.parse(peers.source, peers.value));
      }
      Setting header = Setting.lookup(config, FORWARDED_HEADER);
      family = headerFamily(header);
      resolver = r;
    } catch (IllegalArgumentException e) {
      throw new ServletException(e.getMessage(), e);
    }
    announce();
    registerStatistics(config, jmx);
    startReloader(config, reloadInterval);
  }

  /** Polls the files of the settings, if any (README D83); {@link #destroy()} stops it. */
  private void startReloader(FilterConfig config, Duration interval) {
    if (reloader == null) {
      reloader = RangeReloader.start("TrustProxyFilter " + config.getFilterName(),
          resolver.rangeSources(), interval, counters::recordRangeReloadFailure);
    }
  }

  /** A misspelt context-param must not silently leave the default (trust nothing) in place. */
  private static void checkContextParams(ServletContext context) throws ServletException {
    if (context == null) {
      return;
    }
    for (String name : Collections.list(context.getInitParameterNames())) {
      if (name.startsWith(CONTEXT_PREFIX)
          && !SETTINGS.contains(name.substring(CONTEXT_PREFIX.length()))) {
        throw new ServletException("TrustProxyFilter: unknown context-param '" + name
            + "': expected one of " + SETTINGS.stream().map(s -> CONTEXT_PREFIX + s).toList());
      }
    }
  }

  private static boolean jmxEnabled(Setting jmx) {
    if (jmx.value == null) {
      return true;
    }
    switch (jmx.value.strip().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException(jmx.source + ": '" + jmx.value
            + "' is not a boolean: expected true or false");
    }
  }

  private void registerStatistics(FilterConfig config, boolean jmx) {
    statistics.configured(resolver, family);
    if (jmx && jmxName == null) {
      jmxName = JmxRegistration.register(config.getFilterName(), statistics);
    }
  }

  /**
   * The counters of this filter, also registered over JMX as {@code
   * dev.trustproxy:type=TrustProxyFilter,name=<filter-name>} unless the init-param {@code jmx} is
   * {@code false}.
   *
   * @return the live counters
   */
  public TrustProxyFilterMXBean statistics() {
    return statistics;
  }

  private static Forwarding.Headers headerFamily(Setting header) {
    return header.value == null
        ? Forwarding.Headers.X_FORWARDED
        : Forwarding.Headers.parse(header.source, header.value);
  }

  private void announce() {
    Forwarding.warnIfTrustingEverything(LOG, TRUST_PROXY, resolver, family);
    LOG.info("TrustProxyFilter: {}, headers {}", resolver, family);
  }

  /** The resolver this filter applies; null before {@link #init} for a web.xml filter. */
  public ClientResolver resolver() {
    return resolver;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && resolver != null && !isApplied(http)) {
      request = apply(http, response instanceof HttpServletResponse r ? r : null);
    }
    if (mdcKey != null && isApplied(request)) {
      // For this dispatch only: every dispatch through the filter sets it again (D94).
      try (ClientMdc mdc = ClientMdc.put(mdcKey, request.getRemoteAddr())) {
        chain.doFilter(request, response);
      }
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * True when {@code request} already is, or wraps, this library's wrapper: a FORWARD or INCLUDE
   * dispatch (or an ERROR or ASYNC one the application started with the wrapper) of a request a
   * filter of this library has seen, or a second filter declaration. Its {@code getRemoteAddr()}
   * is then the client, not the peer, and a second walk would overwrite the Resolution with a
   * wrong one.
   */
  private static boolean isApplied(ServletRequest request) {
    ServletRequest r = request;
    while (true) {
      if (r instanceof ForwardedRequest) {
        return true;
      }
      if (!(r instanceof ServletRequestWrapper wrapper)) {
        return false;
      }
      r = wrapper.getRequest();
    }
  }

  HttpServletRequest apply(HttpServletRequest request, HttpServletResponse response) {
    if (request.getDispatcherType() != DispatcherType.REQUEST
        && request.getAttribute(RESOLUTION_ATTRIBUTE) instanceof Resolution earlier) {
      // The container dispatches its own request again (ASYNC after startAsync(), ERROR pages):
      // attributes survive dispatches, wrappers do not. Only an adapter of this library stores a
      // Resolution; no client can send one. Its walk is not done again (README D24).
      Forwarding forwarding = Forwarding.of(earlier, family, request.getScheme(), request,
          ForwardedValues.LINES);
      return new ForwardedRequest(request, forwarding, forwarding.clientText(null), response);
    }
    String peerText = request.getRemoteAddr();
    IpAddress peer = peers.read(peerText);
    if (peer == null) {
      LOG.debug("peer address is not an IP literal; request left as is");
      return request;
    }
    Forwarding forwarding = Forwarding.read(resolver, family, peer, request.getScheme(), request,
        ForwardedValues.LINES);
    Resolution resolution = forwarding.resolution();
    request.setAttribute(RESOLUTION_ATTRIBUTE, resolution);
    counters.record(resolution);
    peers.remember(peerText, resolution);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}", forwarding);
    }
    String client = forwarding.clientText(peerText);
    tellContainer(request, response, forwarding, client);
    return new ForwardedRequest(request, forwarding, client, response);
  }

  /** What the container builds from its own request: Tomcat's attributes, Jetty's cookie. */
  private void tellContainer(HttpServletRequest request, HttpServletResponse response,
      Forwarding forwarding, String client) {
    if (tomcat) {
      TomcatAttributes.set(request, forwarding, client);
    } else if (response != null && "https".equals(forwarding.scheme()) && !request.isSecure()
        && response.containsHeader(SessionCookies.SET_COOKIE)) {
      // A session cookie the container refreshed before the filter ran (Jetty's
      // refresh-cookie-age) was built from the container's request.
      SessionCookies.secure(response, SessionCookies.name(request));
    }
  }

  @Override
  public void destroy() {
    JmxRegistration.unregister(jmxName);
    jmxName = null;
    if (reloader != null) {
      reloader.close();
      reloader = null;
    }
  }

  /** A setting's value and where it came from (named in error messages). */
  private record Setting(String source, String value) {
    static Setting lookup(FilterConfig config, String name) {
      String value = config.getInitParameter(name);
      if (value != null) {
        return new Setting("init-param " + name, value);
      }
      String property = CONTEXT_PREFIX + name;
      ServletContext context = config.getServletContext();
      value = context == null ? null : context.getInitParameter(property);
      if (value != null) {
        return new Setting("context-param " + property, value);
      }
      value = System.getProperty(property);
      if (value != null) {
        return new Setting("system property " + property, value);
      }
      String env = "TRUSTPROXY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
      value = System.getenv(env);
      if (value != null) {
        return new Setting("environment variable " + env, value);
      }
      return new Setting("init-param " + name, null);
    }
  }
}
