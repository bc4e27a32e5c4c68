package dev.trustproxy.servlet;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 ee10 server on 127.0.0.1 with an ephemeral port, and a raw-socket HTTP/1.1
 * client, so that tests control every header line byte for byte (repeated field lines included).
 */
final class EmbeddedJetty {

  static final InetAddress LOOPBACK = loopback();

  private EmbeddedJetty() {}

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1}); // a literal: no lookup
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Starts {@code handler} on 127.0.0.1, port 0. The caller stops it. */
  static Server start(Handler handler) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    return server;
  }

  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  static void stop(Server server) throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  /** A context configured in code: the filter instance on {@code /*}, the echo on {@code /echo}. */
  static ServletContextHandler codeContext(String contextPath, TrustProxyFilter filter) {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(contextPath);
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
    return context;
  }

  /**
   * A web application deployed from the test resource folder {@code webapp/NAME} (its
   * {@code WEB-INF/web.xml} declares the filter), with its temp directory under {@code target}.
   */
  static WebAppContext webApp(String contextPath, String name) throws IOException {
    Path dir = resourceFolder("/webapp/" + name);
    Path tmp = dir.getParent().getParent().getParent().resolve("jetty-tmp");
    Files.createDirectories(tmp);
    WebAppContext context = new WebAppContext();
    context.setContextPath(contextPath);
    context.setWar(dir.toString());
    context.setTempDirectory(Files.createTempDirectory(tmp, name + "-").toFile());
    return context;
  }

  static Path resourceFolder(String resource) {
    URL url = Objects.requireNonNull(EmbeddedJetty.class.getResource(resource),
        "missing test resource " + resource);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** The outermost cause's chain joined, for asserting on a failure's messages. */
  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  /** An HTTP response as read from the wire, and the local port the request was sent from. */
  record HttpResult(int status, String head, String body, int clientPort) {

    /** The echo servlet's {@code key=value} lines. */
    Map<String, String> echo() {
      return RawHttp.echo(body);
    }
  }

  /**
   * Sends {@code GET path} over a fresh connection from 127.0.0.1 with exactly these field lines,
   * in this order ({@code Host: 127.0.0.1:PORT} first unless one is given), and reads the response
   * until the server closes.
   */
  static HttpResult get(int port, String path, List<String[]> headers) throws IOException {
    StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
    if (headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Host"))) {
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    for (String[] h : headers) {
      request.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(20_000);
      socket.bind(new InetSocketAddress(LOOPBACK, 0));
      socket.connect(new InetSocketAddress(LOOPBACK, port), 20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int split = raw.indexOf("\r\n\r\n");
      if (split < 0) {
        throw new IOException("no complete response head: " + raw);
      }
      String head = raw.substring(0, split);
      String body = raw.substring(split + 4);
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = RawHttp.dechunk(body);
      }
      int status = Integer.parseInt(head.substring(9, 12));
      byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
      return new HttpResult(status, head, new String(bytes, StandardCharsets.UTF_8),
          socket.getLocalPort());
    }
  }
}
