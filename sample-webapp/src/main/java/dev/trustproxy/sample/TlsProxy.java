package dev.trustproxy.sample;

import dev.trustproxy.IpAddress;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.KeyStore;
import java.util.List;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The TLS proxy (a sidecar next to the app): terminates TLS, appends its peer to
 * X-Forwarded-For, sets X-Forwarded-Proto, and forwards to the app over loopback. Built on Jetty's
 * {@link ProxyHandler.Reverse}.
 *
 * <p>It listens twice on 127.0.0.1:
 *
 * <ul>
 *   <li>{@link #httpsPort()}: plain TLS, for clients that come straight to it;
 *   <li>{@link #proxyProtocolPort()}: PROXY protocol then TLS, for a load balancer on loopback.
 *       The PROXY header's source becomes the peer, so that is what goes into X-Forwarded-For.
 *       Peers on loopback must send the header; others are closed.
 * </ul>
 */
final class TlsProxy implements AutoCloseable {

  private final Server server;
  private final ServerConnector https;
  private final ServerConnector proxyProtocol;

  private TlsProxy(Server server, ServerConnector https, ServerConnector proxyProtocol) {
    this.server = server;
    this.https = https;
    this.proxyProtocol = proxyProtocol;
  }

  /**
   * Starts the proxy on free ports, forwarding to {@code http://127.0.0.1:appPort}.
   *
   * @param keyStore the server key and certificate chain (see {@link CertificateAuthority})
   */
  static TlsProxy start(KeyStore keyStore, char[] password, int appPort) throws Exception {
    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.addCustomizer(new SecureRequestCustomizer());

    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(keyStore);
    tls.setKeyStorePassword(new String(password));

    ServerConnector https = new ServerConnector(server,
        new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(config));
    https.setHost("127.0.0.1");
    server.addConnector(https);

    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory("ssl");
    proxy.setTrustedSources("loopback");
    ServerConnector proxyProtocol = new ServerConnector(server, proxy,
        new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(config));
    proxyProtocol.setHost("127.0.0.1");
    server.addConnector(proxyProtocol);

    ProxyHandler.Reverse forward = new ForwardingHandler(appPort);
    // The default asks the system for the local host name; a fixed name needs no lookup.
    forward.setViaHost("trustproxy-sample");
    server.setHandler(forward);
    server.start();
    return new TlsProxy(server, https, proxyProtocol);
  }

  int httpsPort() {
    return https.getLocalPort();
  }

  int proxyProtocolPort() {
    return proxyProtocol.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Rewrites every request to the app and replaces Jetty's Forwarded header with X-Forwarded-*. */
  private static final class ForwardingHandler extends ProxyHandler.Reverse {

    ForwardingHandler(int appPort) {
      super(request -> HttpURI.build(request.getHttpURI())
          .scheme("http").host("127.0.0.1").port(appPort));
    }

    @Override
    protected void addProxyHeaders(org.eclipse.jetty.server.Request clientToProxy,
        Request proxyToApp) {
      addViaHeader(clientToProxy, proxyToApp);
      String peer = peer(clientToProxy.getConnectionMetaData().getRemoteSocketAddress());
      List<String> lines = clientToProxy.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR);
      String xff = lines.isEmpty() ? peer : String.join(", ", lines) + ", " + peer;
      String proto = clientToProxy.isSecure() ? "https" : "http";
      proxyToApp.headers(headers -> {
        headers.put(HttpHeader.X_FORWARDED_FOR, xff);
        headers.put(HttpHeader.X_FORWARDED_PROTO, proto);
        // The app trusts this hop for what it forwards: drop what the proxy does not vouch for.
        headers.remove(HttpHeader.X_FORWARDED_HOST);
        headers.remove(HttpHeader.X_FORWARDED_PORT);
        headers.remove(HttpHeader.FORWARDED);
      });
    }

    /** The peer's address in canonical text (IPv6 without brackets), never a host name. */
    private static String peer(SocketAddress address) {
      if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
        return IpAddress.of(inet.getAddress()).toString();
      }
      return "unknown";
    }
  }
}
