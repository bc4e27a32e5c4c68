package dev.trustproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.testsupport.Ipv6Loopback;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DoSHandler;
import org.eclipse.jetty.server.handler.InetAccessHandler;
import org.eclipse.jetty.server.handler.ThreadLimitHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IPv6 clients under {@link TrustProxyCustomizer}, over real sockets: a peer on {@code ::1}, a
 * PROXY v1 {@code TCP6} source, and X-Forwarded-For naming an IPv6 client. What the application
 * and Jetty's own handlers see (README D35): the servlet's and core {@code getRemoteAddr()} and the
 * access log print Jetty's text for the address ({@code [2001:db8:0:0:0:0:0:7]}), the {@code
 * Resolution} is RFC 5952 ({@code 2001:db8::7}), and because the remote socket address stays a
 * resolved {@code InetSocketAddress}, Jetty's {@code DoSHandler}, {@code ThreadLimitHandler} and
 * {@code InetAccessHandler} key and filter on the client. An unresolved address, the only way to
 * make Jetty print RFC 5952, would make {@code DoSHandler} throw and {@code ThreadLimitHandler}
 * stop limiting: these cases fail then.
 */
class TrustProxyCustomizerIpv6Test {

  private static final String BLOCKED = "2001:db8::bad";

  private static Server server;
  private static ServerConnector ipv6;
  private static ServerConnector proxied;
  private static final BlockingQueue<String> DOS_IDS = new LinkedBlockingQueue<>();
  private static final BlockingQueue<String> ACCESS_LOG = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new TrustProxyCustomizer(
        ClientResolver.of(TrustPolicy.parse("trust-proxy", "loopback, 2001:db8::9")),
        Forwarding.Headers.X_FORWARDED));
    if (Ipv6Loopback.available()) {
      ipv6 = new ServerConnector(server, new HttpConnectionFactory(config));
      ipv6.setHost("::1");
      ipv6.setPort(0);
      server.addConnector(ipv6);
    }
    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory("http/1.1");
    proxy.setTrustedSources("127.0.0.1");
    proxied = new ServerConnector(server, proxy, new HttpConnectionFactory(config));
    proxied.setHost("127.0.0.1");
    proxied.setPort(0);
    server.addConnector(proxied);

    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Echo()), "/*");
    InetAccessHandler access = new InetAccessHandler(context);
    access.exclude(BLOCKED);
    ThreadLimitHandler threadLimit = new ThreadLimitHandler() {
      @Override
      protected String getRemoteIP(Request request) {
        String ip = super.getRemoteIP(request);
        request.setAttribute("threadLimit.ip", String.valueOf(ip));
        return ip;
      }
    };
    threadLimit.setThreadLimit(16);
    threadLimit.setHandler(access);
    DoSHandler.LeakingBucketTrackerFactory buckets = new DoSHandler.LeakingBucketTrackerFactory(1000);
    DoSHandler dos = new DoSHandler(threadLimit, null, id -> {
      DOS_IDS.add(id);
      return buckets.newTracker(id);
    }, null, -1);
    server.setHandler(dos);
    server.setRequestLog(new CustomRequestLog(ACCESS_LOG::add, "%{client}a"));
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of("peer on ::1, no header", true, "", "",
            "[0:0:0:0:0:0:0:1]", "::1", "0:0:0:0:0:0:0:1"),
        Arguments.of("X-Forwarded-For 2001:db8::7 from a trusted ::1 peer", true, "",
            "X-Forwarded-For: 2001:db8::7\r\n",
            "[2001:db8:0:0:0:0:0:7]", "2001:db8::7", "2001:db8:0:0:0:0:0:7"),
        Arguments.of("PROXY TCP6 source 2001:db8::9", false,
            "PROXY TCP6 2001:db8::9 2001:db8::1 4444 443\r\n", "",
            "[2001:db8:0:0:0:0:0:9]", "2001:db8::9", "2001:db8:0:0:0:0:0:9"),
        Arguments.of("PROXY TCP6 from a trusted 2001:db8::9, X-Forwarded-For 2001:db8:0:0::70",
            false, "PROXY TCP6 2001:db8::9 2001:db8::1 4444 443\r\n",
            "X-Forwarded-For: 2001:db8:0:0::70\r\n",
            "[2001:db8:0:0:0:0:0:70]", "2001:db8::70", "2001:db8:0:0:0:0:0:70"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void applicationAndJettyHandlersSeeTheIpv6Client(String name, boolean overIpv6, String proxyLine,
      String headers, String jettyText, String canonical, String handlerKey) throws Exception {
    DOS_IDS.clear();
    ACCESS_LOG.clear();

    Map<String, String> echo = exchange(overIpv6, proxyLine, headers);

    assertThat(echo).containsEntry("status", "200")
        .containsEntry("servlet.remoteAddr", jettyText)
        .containsEntry("servlet.remoteHost", jettyText)
        .containsEntry("core.remoteAddr", jettyText)
        .containsEntry("resolution.client", canonical)
        .containsEntry("threadLimit.ip", handlerKey);
    assertThat(DOS_IDS.poll(10, TimeUnit.SECONDS)).as("DoSHandler's client id")
        .isEqualTo("/" + handlerKey);
    assertThat(ACCESS_LOG.poll(10, TimeUnit.SECONDS)).as("access log %{client}a")
        .isEqualTo(jettyText);
  }

  static Stream<Arguments> blocked() {
    return Stream.of(
        Arguments.of("X-Forwarded-For from ::1", true, "", "X-Forwarded-For: " + BLOCKED + "\r\n"),
        Arguments.of("PROXY TCP6 source", false,
            "PROXY TCP6 " + BLOCKED + " 2001:db8::1 4444 443\r\n", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocked")
  void inetAccessHandlerRefusesTheBlockedIpv6Client(String name, boolean overIpv6,
      String proxyLine, String headers) throws Exception {
    assertThat(exchange(overIpv6, proxyLine, headers)).containsEntry("status", "403");
  }

  /** One request over [::1] or over 127.0.0.1 with a PROXY line; the status and echo lines. */
  private static Map<String, String> exchange(boolean overIpv6, String proxyLine, String headers)
      throws IOException {
    if (overIpv6) {
      Ipv6Loopback.assume();
    }
    InetAddress address = overIpv6 ? Ipv6Loopback.address() : InetAddress.getLoopbackAddress();
    int port = overIpv6 ? ipv6.getLocalPort() : proxied.getLocalPort();
    String response;
    try (Socket socket = new Socket(address, port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write((proxyLine + "GET /echo HTTP/1.1\r\nHost: localhost\r\n" + headers
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> answer = new LinkedHashMap<>();
    answer.put("status", response.length() >= 12 ? response.substring(9, 12) : response);
    int body = response.indexOf("\r\n\r\n");
    for (String line : response.substring(body < 0 ? 0 : body + 4).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        answer.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return answer;
  }

  /** The application's view, and the key ThreadLimitHandler used, one {@code name=value} a line. */
  private static final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Request core = ServletContextRequest.getServletContextRequest(req);
      Resolution r = (Resolution) req.getAttribute(TrustProxyCustomizer.RESOLUTION_ATTRIBUTE);
      resp.setContentType("text/plain");
      resp.getWriter().print("servlet.remoteAddr=" + req.getRemoteAddr() + "\n"
          + "servlet.remoteHost=" + req.getRemoteHost() + "\n"
          + "core.remoteAddr=" + Request.getRemoteAddr(core) + "\n"
          + "resolution.client=" + (r == null ? "none" : r.client()) + "\n"
          + "threadLimit.ip=" + req.getAttribute("threadLimit.ip") + "\n");
    }
  }
}
