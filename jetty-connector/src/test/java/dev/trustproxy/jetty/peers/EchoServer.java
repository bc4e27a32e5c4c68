package dev.trustproxy.jetty.peers;

import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;
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
 * of HTTP/1.1 (or of Jetty's own TLS, then HTTP/1.1), and an ee10 servlet that echoes what the application sees: the servlet's view of
 * the addresses and the {@link ProxyHeader} request attribute, as {@code key=value} lines.
 */
final class EchoServer implements AutoCloseable {

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
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
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
