package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.EmbeddedJetty.HttpResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The filter seeing a request a second time: mapped for every dispatcher type, as the README
 * recommends (Spring Boot registers filters for ASYNC and ERROR too), or declared twice. The second pass must not
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
        TestRequest.lines("X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https")));
    Resolution first = (Resolution) once.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
    HttpServletRequest twice = FilterRuns.through(filter, once);
    assertThat(EchoServlet.describe(twice)).containsAllEntriesOf(FIRST_PASS);
    assertThat(twice.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE)).isSameAs(first);
  }

  private static Server server;
  private static int port;
  private static TrustProxyFilter filter;

  @BeforeAll
  static void startServer() throws Exception {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    filter = TrustProxyFilter.trusting("loopback");
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
    ServletHolder dispatch = new ServletHolder(new DispatchServlet());
    dispatch.setAsyncSupported(true);
    for (String path : List.of("/forward", "/include", "/async", "/error")) {
      context.addServlet(dispatch, path);
    }
    ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
    errorPages.addErrorPage(418, "/echo");
    context.setErrorHandler(errorPages);
    server = EmbeddedJetty.start(context);
    port = EmbeddedJetty.port(server);
  }

  @AfterAll
  static void stopServer() throws Exception {
    EmbeddedJetty.stop(server);
  }

  /**
   * Every dispatcher type sees the client, and the request is walked once: the ASYNC and ERROR
   * dispatches get the container's own request back, and are wrapped from the first answer.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"/echo, 200", "/forward, 200", "/include, 200", "/async, 200", "/error, 418"})
  void dispatchedRequestKeepsTheFirstResolution(String path, int status) throws Exception {
    long walks = filter.statistics().getRequests();
    HttpResult result = EmbeddedJetty.get(port, path, List.of(
        new String[] {"X-Forwarded-For", "203.0.113.7"},
        new String[] {"X-Forwarded-Proto", "https"}));
    assertThat(result.status()).as(result.head() + result.body()).isEqualTo(status);
    assertThat(result.echo()).as(result.body()).containsAllEntriesOf(FIRST_PASS);
    assertThat(filter.statistics().getRequests() - walks).isEqualTo(1);
  }

  /** A second declaration of the filter (say under another name) stands aside for the first. */
  @Test
  void aSecondFilterInTheChainDoesNotWalkAgain() throws Exception {
    TrustProxyFilter first = TrustProxyFilter.trusting("loopback");
    TrustProxyFilter second = TrustProxyFilter.trusting("false");
    HttpServletRequest once = FilterRuns.through(first, TestRequest.create("127.0.0.1", false,
        TestRequest.lines("X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https")));
    HttpServletRequest twice = FilterRuns.through(second, once);
    assertThat(EchoServlet.describe(twice)).containsAllEntriesOf(FIRST_PASS);
    assertThat(second.statistics().getRequests()).isZero();
  }
}
