package dev.trustproxy.tomcat;

import dev.trustproxy.proxyprotocol.ProxyHeader;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.AccessLogValve;

/**
 * An embedded Tomcat on 127.0.0.1 (ephemeral port) with the PROXY protocol connector configured
 * from code, a servlet that answers with what the servlet API reports, and an access log valve
 * writing one line per request. Test scaffolding.
 */
public final class ProxyProtocolTomcat implements AutoCloseable {

  /**
   * The access log line format: remote address, remote port, Tomcat's "peer" address (the
   * connection's, before any valve), request line. ({@code %A} is the host's address at start-up,
   * not the connection's, so it is not logged.)
   */
  static final String ACCESS_LOG_PATTERN = "%a %{remote}p %{peer}a %r";

  private final Tomcat tomcat = new Tomcat();
  private final Connector connector;
  private final Path baseDir;
  /** The {@link ProxyHeader} attribute of every request served, in order ({@code null}s as "none"). */
  private final BlockingQueue<Object> headers = new LinkedBlockingQueue<>();

  private ProxyProtocolTomcat(Connector connector, Path baseDir) {
    this.connector = connector;
    this.baseDir = baseDir;
  }

  /** Starts Tomcat with {@code valve} first in the engine's pipeline. */
  public static ProxyProtocolTomcat startWithValve(String trustedSources,
      org.apache.catalina.Valve valve) throws Exception {
    Connector connector = TrustProxyHttp11NioProtocol.connector(0, trustedSources);
    connector.setProperty("address", "127.0.0.1");
    ProxyProtocolTomcat server =
        new ProxyProtocolTomcat(connector, Files.createTempDirectory("trustproxy-tomcat"));
    server.tomcat.getEngine().getPipeline().addValve(valve);
    server.startTomcat();
    return server;
  }

  /** Starts Tomcat with the connector made by {@code configure}, which gets trustedSources set. */
  public static ProxyProtocolTomcat start(String trustedSources, Consumer<Connector> configure)
      throws Exception {
    Connector connector = TrustProxyHttp11NioProtocol.connector(0, trustedSources);
    connector.setProperty("address", "127.0.0.1");
    configure.accept(connector);
    ProxyProtocolTomcat server =
        new ProxyProtocolTomcat(connector, Files.createTempDirectory("trustproxy-tomcat"));
    server.startTomcat();
    return server;
  }

  public static ProxyProtocolTomcat start(String trustedSources) throws Exception {
    return start(trustedSources, c -> {});
  }

  private void startTomcat() throws Exception {
    tomcat.setBaseDir(baseDir.toString());
    tomcat.getService().addConnector(connector);
    Context context = tomcat.addContext("", baseDir.toString());
    Tomcat.addServlet(context, "echo", new EchoServlet(headers));
    context.addServletMappingDecoded("/*", "echo");
    Tomcat.addServlet(context, "session", new SessionServlet());
    context.addServletMappingDecoded("/session", "session");
    Tomcat.addServlet(context, "async", new AsyncServlet()).setAsyncSupported(true);
    context.addServletMappingDecoded("/async", "async");
    AccessLogValve accessLog = new AccessLogValve();
    accessLog.setDirectory(baseDir.toString());
    accessLog.setPrefix("access");
    accessLog.setSuffix(".log");
    accessLog.setRotatable(false);
    accessLog.setBuffered(false);
    accessLog.setPattern(ACCESS_LOG_PATTERN);
    tomcat.getHost().getPipeline().addValve(accessLog);
    tomcat.start();
  }

  public int port() {
    return connector.getLocalPort();
  }

  public Connector connector() {
    return connector;
  }

  public TrustProxyHttp11NioProtocol protocol() {
    return (TrustProxyHttp11NioProtocol) connector.getProtocolHandler();
  }

  /** The next request's {@link ProxyHeader} attribute ({@code null} when it had none). */
  public ProxyHeader nextHeader() throws InterruptedException {
    Object next = headers.poll(15, java.util.concurrent.TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("no request reached the servlet within 15 s");
    }
    return next instanceof ProxyHeader h ? h : null;
  }

  /** The most recent request's {@link ProxyHeader} attribute, forgetting the older ones. */
  public ProxyHeader latestHeader() throws InterruptedException {
    Object latest = null;
    for (Object next; (next = headers.poll()) != null; ) {
      latest = next;
    }
    if (latest == null) {
      return nextHeader();
    }
    return latest instanceof ProxyHeader h ? h : null;
  }

  public void forgetHeaders() {
    headers.clear();
  }

  /** Waits (up to 15 s) until the access log has {@code count} lines, and returns them. */
  public List<String> accessLogLines(int count) throws IOException, InterruptedException {
    Path file = baseDir.resolve("access.log");
    long giveUp = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      List<String> lines =
          Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      if (lines.size() >= count || System.nanoTime() > giveUp) {
        return lines;
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  /** Creates a session (so Tomcat sets its session cookie), then answers as the echo servlet. */
  static final class SessionServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      req.getSession(true);
      try {
        req.getRequestDispatcher("/echo").forward(req, resp);
      } catch (jakarta.servlet.ServletException e) {
        throw new IOException(e);
      }
    }
  }

  /** Goes async and dispatches to the echo servlet from another thread. */
  static final class AsyncServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
      jakarta.servlet.AsyncContext async = req.startAsync();
      async.start(() -> async.dispatch("/echo"));
    }
  }

  /**
   * Answers {@code key=value} pairs of what the servlet API reports, and hands the request's
   * {@link ProxyHeader} attribute to the test.
   */
  static final class EchoServlet extends HttpServlet {
    private final transient BlockingQueue<Object> headers;

    EchoServlet(BlockingQueue<Object> headers) {
      this.headers = headers;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Object header = req.getAttribute(ProxyHeader.ATTRIBUTE);
      headers.add(header == null ? "none" : header);
      String body =
          "remoteAddr=" + req.getRemoteAddr()
              + " remoteHost=" + req.getRemoteHost()
              + " remotePort=" + req.getRemotePort()
              + " localAddr=" + req.getLocalAddr()
              + " localName=" + req.getLocalName()
              + " localPort=" + req.getLocalPort()
              + " scheme=" + req.getScheme()
              + " secure=" + req.isSecure()
              + " protocol=" + req.getProtocol()
              + " header=" + (header != null)
              + "\n";
      byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
      resp.setContentType("text/plain");
      resp.setContentLength(bytes.length);
      resp.getOutputStream().write(bytes);
    }
  }
}
