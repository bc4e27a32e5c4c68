package dev.trustproxy.sample;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The app: an embedded Jetty 12 server on 127.0.0.1 with the trustproxy filter in front of
 * {@link RequestInfoServlet}.
 *
 * <p>With {@code proxyProtocol}, its connector requires a PROXY header from loopback peers (and
 * closes other peers), so a test client can give itself any address: that is how the demo plays a
 * client on the internet that reaches the app directly.
 */
final class App implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;

  private App(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts the app.
   *
   * @param port the port on 127.0.0.1, 0 for a free one
   * @param resolver the trust setting (and peer gate) the filter applies
   * @param proxyProtocol whether loopback peers must send a PROXY header first
   */
  static App start(int port, ClientResolver resolver, boolean proxyProtocol) throws Exception {
    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    ServerConnector connector;
    if (proxyProtocol) {
      ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory(http.getProtocol());
      proxy.setTrustedSources("loopback");
      connector = new ServerConnector(server, proxy, http);
    } else {
      connector = new ServerConnector(server, http);
    }
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(new TrustProxyFilter(resolver)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(RequestInfoServlet.class, "/");
    server.setHandler(context);
    server.start();
    return new App(server, connector);
  }

  /** The port it listens on (the real one when started with 0). */
  int port() {
    return connector.getLocalPort();
  }

  /** Blocks until the server stops. */
  void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
