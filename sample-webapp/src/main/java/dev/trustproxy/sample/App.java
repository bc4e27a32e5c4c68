package dev.trustproxy.sample;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import dev.trustproxy.jetty.TrustProxyCustomizer;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The app: an embedded Jetty 12 server on 127.0.0.1 with trustproxy in front of {@link
 * RequestInfoServlet}, either as the servlet filter or as Jetty's {@link TrustProxyCustomizer}.
 * Both ask the same core ({@link Forwarding}), so they give the same answers (README D34).
 *
 * <p>With {@code proxyProtocol}, its connector requires a PROXY header from loopback peers (and
 * closes other peers), so a test client can give itself any address: that is how the demo plays a
 * client on the internet that reaches the app directly.
 */
final class App implements AutoCloseable {

  /** Where trustproxy sits: in the servlet chain, or in the connector below every servlet. */
  enum Adapter {
    /** {@link TrustProxyFilter}, mapped for every dispatcher type. */
    FILTER,
    /** {@link TrustProxyCustomizer} on the connector's {@link HttpConfiguration}. */
    CUSTOMIZER;

    /**
     * Reads {@code filter} or {@code customizer} (any case, trimmed), as {@link
     * Forwarding.Headers#parse} reads its values.
     *
     * @throws IllegalArgumentException naming the setting and quoting the text
     */
    static Adapter parse(String settingName, String text) {
      switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "filter":
          return FILTER;
        case "customizer":
          return CUSTOMIZER;
        default:
          throw new IllegalArgumentException(settingName + ": '" + text
              + "' is not an adapter: expected filter or customizer");
      }
    }

    /** The command-line text of this adapter. */
    String settingText() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Server server;
  private final ServerConnector connector;

  private App(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Starts the app with the filter reading X-Forwarded-*. */
  static App start(int port, ClientResolver resolver, boolean proxyProtocol) throws Exception {
    return start(port, resolver, Forwarding.Headers.X_FORWARDED, Adapter.FILTER, proxyProtocol);
  }

  /**
   * Starts the app.
   *
   * @param port the port on 127.0.0.1, 0 for a free one
   * @param resolver the trust setting (and peer gate) the adapter applies
   * @param headers which forwarding header family the adapter reads
   * @param adapter the filter or the customizer
   * @param proxyProtocol whether loopback peers must send a PROXY header first
   */
  static App start(int port, ClientResolver resolver, Forwarding.Headers headers, Adapter adapter,
      boolean proxyProtocol) throws Exception {
    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    if (adapter == Adapter.CUSTOMIZER) {
      TrustProxyCustomizer customizer = new TrustProxyCustomizer(resolver, headers);
      config.addCustomizer(customizer);
      server.addBean(customizer); // started with the server, so its range files are re-read
    }
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
    if (adapter == Adapter.FILTER) {
      FilterHolder filter = new FilterHolder(new TrustProxyFilter(resolver, headers));
      filter.setAsyncSupported(true);
      // Every dispatcher type, as the WAR's web.xml: an ERROR or ASYNC dispatch gets the
      // container's own request, which only the filter can turn into the client's again.
      context.addFilter(filter, "/*", EnumSet.allOf(DispatcherType.class));
    }
    ServletHolder servlet = context.addServlet(RequestInfoServlet.class, "/");
    servlet.setAsyncSupported(true);
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(404, RequestInfoServlet.ERROR_PATH);
    context.setErrorHandler(errors);
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
