package dev.trustproxy.integration;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.UntrustedPeers;
import dev.trustproxy.servlet.TrustProxyFilter;
import dev.trustproxy.Forwarding;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One embedded Jetty 12 (ee10) with the library deployed the way the README says: the PROXY
 * connection factory in front of HTTP/1.1 and the {@link TrustProxyFilter} in front of an echo
 * servlet. Listens on 127.0.0.1 only, on ephemeral ports.
 *
 * <p>Three connectors, each with its own factory (so each has its own counters):
 *
 * <ul>
 *   <li>{@link #proxy}: trusts {@code loopback}, so the tests' sockets are trusted PROXY peers
 *       and every connection must start with a header; header deadline {@link #HEADER_TIMEOUT}.
 *   <li>{@link #untrustedClose}: trusts only {@code 10.0.0.0/8}, so a loopback socket is an
 *       untrusted peer, closed at once (the default).
 *   <li>{@link #untrustedPlain}: the same, but untrusted peers are served as plain HTTP.
 * </ul>
 *
 * <p>Contexts, one filter configuration each (the PROXY header's source is the filter's peer):
 * {@code /none} (default: trust nothing), {@code /a} ({@code 10.0.0.0/8}), {@code /b} (hop count
 * 1 with the peer gate {@code 10.0.0.0/8}), {@code /c} (hop count 2), {@code /all} ({@code
 * true}), {@code /fwd} ({@code 10.0.0.0/8} reading RFC 7239 {@code Forwarded}), {@code /mapped}
 * ({@code ::ffff:10.0.0.0/104}).
 */
final class AttackServer implements AutoCloseable {

  static final Duration HEADER_TIMEOUT = Duration.ofMillis(1000);

  final Server server;
  final Endpoint proxy;
  final Endpoint untrustedClose;
  final Endpoint untrustedPlain;

  /** A connector's port and its PROXY factory. */
  record Endpoint(int port, ProxyProtocolConnectionFactory factory) {}

  private AttackServer(Server server, Endpoint proxy, Endpoint close, Endpoint plain) {
    this.server = server;
    this.proxy = proxy;
    this.untrustedClose = close;
    this.untrustedPlain = plain;
  }

  static AttackServer start() throws Exception {
    return start(HEADER_TIMEOUT, 200);
  }

  static AttackServer start(Duration headerTimeout, int maxThreads) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads);
    threads.setName("attack-server");
    Server server = new Server(threads);
    ServerConnector proxy = connector(server, "loopback", UntrustedPeers.CLOSE, headerTimeout);
    ServerConnector close = connector(server, "10.0.0.0/8", UntrustedPeers.CLOSE, headerTimeout);
    ServerConnector plain = connector(server, "10.0.0.0/8", UntrustedPeers.PLAIN, headerTimeout);

    ContextHandlerCollection contexts = new ContextHandlerCollection();
    contexts.addHandler(context("/none", TrustPolicy.none(), null, Forwarding.Headers.X_FORWARDED));
    contexts.addHandler(
        context("/a", TrustPolicy.parse("trust-proxy", "10.0.0.0/8"), null, Forwarding.Headers.X_FORWARDED));
    contexts.addHandler(
        context("/b", TrustPolicy.hops(1), IpRangeSet.parse("trusted-peers", "10.0.0.0/8"),
            Forwarding.Headers.X_FORWARDED));
    contexts.addHandler(context("/c", TrustPolicy.hops(2), null, Forwarding.Headers.X_FORWARDED));
    contexts.addHandler(context("/all", TrustPolicy.all(), null, Forwarding.Headers.X_FORWARDED));
    contexts.addHandler(
        context("/fwd", TrustPolicy.parse("trust-proxy", "10.0.0.0/8"), null, Forwarding.Headers.FORWARDED));
    contexts.addHandler(
        context("/mapped", TrustPolicy.parse("trust-proxy", "::ffff:10.0.0.0/104"), null,
            Forwarding.Headers.X_FORWARDED));
    server.setHandler(contexts);
    server.start();
    return new AttackServer(server, endpoint(proxy), endpoint(close), endpoint(plain));
  }

  private static ServerConnector connector(
      Server server, String trusted, UntrustedPeers untrusted, Duration headerTimeout) {
    HttpConnectionFactory http = new HttpConnectionFactory(new HttpConfiguration());
    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory(http.getProtocol());
    proxy.setTrustedSources(trusted);
    proxy.setUntrustedPeers(untrusted);
    proxy.setHeaderTimeout(headerTimeout);
    ServerConnector connector = new ServerConnector(server, 1, 1, proxy, http);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    return connector;
  }

  private static Endpoint endpoint(ServerConnector connector) {
    return new Endpoint(
        connector.getLocalPort(), connector.getConnectionFactory(ProxyProtocolConnectionFactory.class));
  }

  private static ServletContextHandler context(
      String path, TrustPolicy trust, IpRangeSet peers, Forwarding.Headers family) {
    ClientResolver resolver = ClientResolver.of(trust);
    if (peers != null) {
      resolver = resolver.withTrustedPeers(peers);
    }
    ServletContextHandler context = new ServletContextHandler(path);
    context.addFilter(
        new FilterHolder(new TrustProxyFilter(resolver, family)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new EchoServlet()), "/*");
    return context;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /**
   * Answers with what the application sees, one {@code key=value} per line, with an explicit
   * Content-Length so a raw client can read exactly one response per request.
   */
  static final class EchoServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Map<String, Object> seen = new LinkedHashMap<>();
      seen.put("remoteAddr", request.getRemoteAddr());
      seen.put("remotePort", request.getRemotePort());
      seen.put("remoteHost", request.getRemoteHost());
      seen.put("localAddr", request.getLocalAddr());
      seen.put("scheme", request.getScheme());
      seen.put("secure", request.isSecure());
      seen.put("serverName", request.getServerName());
      seen.put("serverPort", request.getServerPort());
      seen.put("requestURL", request.getRequestURL());
      Object header = request.getAttribute(ProxyHeader.ATTRIBUTE);
      seen.put("proxyVersion", header instanceof ProxyHeader h ? h.version() : "none");
      Object resolution = request.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
      if (resolution instanceof Resolution r) {
        seen.put("peer", r.peer());
        seen.put("fromHeader", r.fromHeader());
        seen.put("headerIgnored", r.headerIgnored());
        seen.put("stoppedOnInvalid", r.stoppedOnInvalid());
        seen.put("ips", r.ips());
      }
      StringBuilder body = new StringBuilder();
      seen.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      response.setContentType("text/plain;charset=utf-8");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }
}
