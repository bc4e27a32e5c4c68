package dev.trustproxy.jetty.peers;

import dev.trustproxy.Resolution;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import dev.trustproxy.jetty.TrustProxyCustomizer;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 on 127.0.0.1 with an ephemeral port, {@link ProxyProtocolConnectionFactory} in front
 * of HTTP/1.1 (or of Jetty's own TLS, then HTTP/1.1), or plain HTTP/1.1 with one of the
 * library's two forwarding-header adapters ({@link Adapter}), and an ee10 servlet that echoes
 * what the application sees: the servlet's view of the addresses, scheme, host and port, the
 * {@link Resolution} and the {@link ProxyHeader} request attributes, as {@code key=value} lines.
 * On {@code /session} the servlet creates a session, so the container writes its cookie.
 */
final class EchoServer implements AutoCloseable {

  /** The library's two ways to read forwarding headers on Jetty: the same rules, two places. */
  enum Adapter {
    /** {@link TrustProxyCustomizer} on the connector's {@code HttpConfiguration}. */
    CUSTOMIZER,
    /** {@link TrustProxyFilter} for every dispatcher type, configured by init-params. */
    FILTER;

    /** The path prefix a proxy config routes to this adapter's server: {@code /customizer/}. */
    String path() {
      return "/" + name().toLowerCase(Locale.ROOT) + "/";
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final ProxyProtocolConnectionFactory proxy;
  private final BlockingQueue<Map<String, String>> seen = new LinkedBlockingQueue<>();

  private EchoServer(Consumer<ProxyProtocolConnectionFactory> configure, TestCertificate tls) {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("peers-echo");
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    if (tls == null) {
      proxy = new ProxyProtocolConnectionFactory(http.getProtocol());
      configure.accept(proxy);
      connector = new ServerConnector(server, 1, 1, proxy, http);
    } else {
      // PROXY -> TLS -> HTTP/1.1: the header comes before the ClientHello, in clear text.
      config.addCustomizer(new SecureRequestCustomizer());
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(tls.pkcs12().toString());
      ssl.setKeyStoreType("PKCS12");
      ssl.setKeyStorePassword(TestCertificate.PASSWORD);
      SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, http.getProtocol());
      proxy = new ProxyProtocolConnectionFactory(tlsFactory.getProtocol());
      configure.accept(proxy);
      connector = new ServerConnector(server, 1, 1, proxy, tlsFactory, http);
    }
    listen(new ServletContextHandler("/"));
  }

  /**
   * Plain HTTP/1.1 with {@code adapter} reading the forwarding headers.
   *
   * @param settings the filter's init-params ({@code trust-proxy}, {@code trusted-peers}, {@code
   *     forwarded-header}), which the customizer gets through its setters of the same meaning
   */
  private EchoServer(Adapter adapter, Map<String, String> settings) {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("peers-echo-" + adapter.name().toLowerCase(Locale.ROOT));
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    if (adapter == Adapter.CUSTOMIZER) {
      TrustProxyCustomizer customizer = new TrustProxyCustomizer();
      settings.forEach((name, value) -> {
        switch (name) {
          case "trust-proxy" -> customizer.setTrustProxy(value);
          case "forwarded-header" -> customizer.setForwardedHeader(value);
          case "trusted-peers" -> customizer.setTrustedPeers(value);
          default -> throw new IllegalArgumentException("no customizer setter for " + name);
        }
      });
      config.addCustomizer(customizer);
    } else {
      FilterHolder filter = new FilterHolder(TrustProxyFilter.class);
      filter.setInitParameters(settings);
      filter.setInitParameter("jmx", "false");
      context.addFilter(filter, "/*", EnumSet.allOf(DispatcherType.class));
    }
    proxy = null;
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    listen(context);
  }

  private void listen(ServletContextHandler context) {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    context.addServlet(new ServletHolder(new EchoServlet(seen)), "/*");
    server.setHandler(context);
  }

  /** Starts a server whose PROXY factory {@code configure} has set up (trusted sources...). */
  static EchoServer start(Consumer<ProxyProtocolConnectionFactory> configure) throws Exception {
    return start(new EchoServer(configure, null));
  }

  /** Like {@link #start(Consumer)}, with Jetty terminating TLS after the PROXY header. */
  static EchoServer startTls(Consumer<ProxyProtocolConnectionFactory> configure,
      TestCertificate certificate) throws Exception {
    return start(new EchoServer(configure, certificate));
  }

  /** Plain HTTP behind an HTTP proxy: {@code adapter} with the given settings reads its headers. */
  static EchoServer startForwarded(Adapter adapter, Map<String, String> settings)
      throws Exception {
    return start(new EchoServer(adapter, settings));
  }

  private static EchoServer start(EchoServer echo) throws Exception {
    try {
      echo.server.start();
    } catch (Exception e) {
      echo.close();
      throw e;
    }
    return echo;
  }

  int port() {
    return connector.getLocalPort();
  }

  /** The PROXY factory; null for a {@link #startForwarded} server, which has none. */
  ProxyProtocolConnectionFactory proxy() {
    return proxy;
  }

  /** Every echo the servlet produced, in order, for requests no test client waits on. */
  BlockingQueue<Map<String, String>> seen() {
    return seen;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping Jetty", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not stop Jetty", e);
    }
  }

  /** The application's view. Keys are stable: the tests assert on them. */
  static final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient BlockingQueue<Map<String, String>> seen;

    EchoServlet(BlockingQueue<Map<String, String>> seen) {
      this.seen = seen;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Map<String, String> echo = describe(request);
      seen.add(echo);
      response.setContentType("text/plain");
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      response.getWriter().print(echo.entrySet().stream()
          .map(entry -> entry.getKey() + "=" + entry.getValue() + "\n")
          .collect(Collectors.joining()));
    }

    private static Map<String, String> describe(HttpServletRequest request) {
      Map<String, String> echo = new LinkedHashMap<>();
      echo.put("path", request.getRequestURI());
      echo.put("remote.addr", request.getRemoteAddr());
      echo.put("remote.port", String.valueOf(request.getRemotePort()));
      echo.put("local.addr", request.getLocalAddr());
      echo.put("local.port", String.valueOf(request.getLocalPort()));
      echo.put("secure", String.valueOf(request.isSecure()));
      echo.put("scheme", request.getScheme());
      echo.put("server.name", request.getServerName());
      echo.put("server.port", String.valueOf(request.getServerPort()));
      echo.put("request.url", request.getRequestURL().toString());
      if (request.getRequestURI().endsWith("/session")) {
        echo.put("session", request.getSession(true).isNew() ? "new" : "existing");
      }
      if (request.getAttribute(Resolution.ATTRIBUTE) instanceof Resolution resolution) {
        echo.put("client.text", resolution.client().toString());
        echo.put("client.header", String.valueOf(resolution.clientHeader()));
        echo.put("client.index", String.valueOf(resolution.clientIndex()));
        echo.put("client.stoppedOnInvalid", String.valueOf(resolution.stoppedOnInvalid()));
      }
      Object attribute = request.getAttribute(ProxyHeader.ATTRIBUTE);
      if (!(attribute instanceof ProxyHeader header)) {
        echo.put("proxy", attribute == null ? "none" : "unexpected " + attribute.getClass());
        return echo;
      }
      echo.put("proxy", "present");
      echo.put("proxy.version", String.valueOf(header.version()));
      echo.put("proxy.command", header.command().name());
      echo.put("proxy.family", header.family().name());
      echo.put("proxy.source", address(header.sourceAddress()));
      echo.put("proxy.destination", address(header.destinationAddress()));
      echo.put("proxy.tlvTypes", header.tlvs().stream()
          .map(tlv -> String.format("0x%02X", tlv.type())).collect(Collectors.joining(",")));
      header.alpn().ifPresent(alpn -> echo.put("proxy.alpn", alpn));
      header.authority().ifPresent(authority -> echo.put("proxy.authority", authority));
      header.uniqueId().ifPresent(
          id -> echo.put("proxy.uniqueId", new String(id, StandardCharsets.UTF_8)));
      header.tlv(ProxyHeader.TYPE_CRC32C).ifPresent(
          crc -> echo.put("proxy.crc32c", HexFormat.of().formatHex(crc)));
      header.ssl().ifPresent(ssl -> {
        echo.put("proxy.ssl.client", String.valueOf(ssl.client()));
        echo.put("proxy.ssl.clientSsl", String.valueOf(ssl.clientSsl()));
        echo.put("proxy.ssl.certificateVerified", String.valueOf(ssl.clientCertificateVerified()));
        echo.put("proxy.ssl.verify", String.valueOf(ssl.verify()));
        ssl.version().ifPresent(version -> echo.put("proxy.ssl.version", version));
        ssl.cipher().ifPresent(cipher -> echo.put("proxy.ssl.cipher", cipher));
        ssl.commonName().ifPresent(cn -> echo.put("proxy.ssl.cn", cn));
      });
      return echo;
    }

    /** {@code ip:port} without any name lookup, or "real" when the header keeps the endpoints. */
    private static String address(InetSocketAddress address) {
      return address == null ? "real" : address.getAddress().getHostAddress() + ":"
          + address.getPort();
    }
  }
}
