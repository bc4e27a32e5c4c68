package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.EmbeddedJetty.HttpResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter seeing a request a second time: mapped for FORWARD, ERROR or ASYNC dispatches (Spring
 * Boot registers filters for ASYNC and ERROR too), or declared twice. The second pass must not
 * treat the client it already found as the TCP peer: the request attribute would then describe a
 * walk that never happened (peer = client, header ignored, no ips).
 */
class FilterReentryTest {

  /** The Resolution of the first pass, as the application should keep seeing it. */
  private static final Map<String, String> FIRST_PASS = Map.of(
      "remoteAddr", "203.0.113.7", "remotePort", "0", "scheme", "https",
      "peer", "127.0.0.1", "client", "203.0.113.7", "ips", "[203.0.113.7]",
      "fromHeader", "true", "peerTrusted", "true", "headerIgnored", "false",
      "clientIndex", "1");

  @Test
  void filterAppliedToItsOwnWrapperKeepsTheFirstResolution() throws Exception {
    TrustProxyFilter filter = TrustProxyFilter.trusting("loopback");
    HttpServletRequest once = FilterRuns.through(filter, TestRequest.create("127.0.0.1", false,
        NoDnsTest.lines("X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https")));
    Resolution first = (Resolution) once.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
    HttpServletRequest twice = FilterRuns.through(filter, once);
    assertThat(EchoServlet.describe(twice)).containsAllEntriesOf(FIRST_PASS);
    assertThat(twice.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE)).isSameAs(first);
  }

  private static Server server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    FilterHolder filter = new FilterHolder(TrustProxyFilter.trusting("loopback"));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD,
        DispatcherType.ASYNC, DispatcherType.ERROR));
    context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
    ServletHolder dispatch = new ServletHolder(new DispatchServlet());
    dispatch.setAsyncSupported(true);
    context.addServlet(dispatch, "/forward");
    context.addServlet(dispatch, "/async");
    server = EmbeddedJetty.start(context);
    port = EmbeddedJetty.port(server);
  }

  @AfterAll
  static void stopServer() throws Exception {
    EmbeddedJetty.stop(server);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/echo", "/forward", "/async"})
  void dispatchedRequestKeepsTheFirstResolution(String path) throws Exception {
    HttpResult result = EmbeddedJetty.get(port, path, List.of(
        new String[] {"X-Forwarded-For", "203.0.113.7"},
        new String[] {"X-Forwarded-Proto", "https"}));
    assertThat(result.status()).as(result.head() + result.body()).isEqualTo(200);
    assertThat(result.echo()).as(result.body()).containsAllEntriesOf(FIRST_PASS);
  }
}
