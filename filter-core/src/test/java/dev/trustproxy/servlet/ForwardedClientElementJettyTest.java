package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.servlet.EmbeddedJetty.HttpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter in real Jetty 12 ee10, over HTTP from 127.0.0.1: a client that sends its own {@code
 * Forwarded} line before the one a trusted proxy appends never chooses the scheme, host or {@code
 * getRequestURL()} (README D21, D42), and X-Forwarded-Host follows the host rule (D40, D41).
 */
class ForwardedClientElementJettyTest {

  private static Server server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    contexts.addHandler(EmbeddedJetty.codeContext("/hops1",
        new TrustProxyFilter(ClientResolver.of(TrustPolicy.hops(1)),
            Forwarding.Headers.FORWARDED)));
    contexts.addHandler(EmbeddedJetty.codeContext("/proxies",
        new TrustProxyFilter(ClientResolver.of(TrustPolicy.parse("loopback, 10.0.0.0/8")),
            Forwarding.Headers.FORWARDED)));
    contexts.addHandler(EmbeddedJetty.codeContext("/xff",
        new TrustProxyFilter(ClientResolver.of(TrustPolicy.hops(1)))));
    server = EmbeddedJetty.start(contexts);
    port = EmbeddedJetty.port(server);
  }

  @AfterAll
  static void stopServer() throws Exception {
    EmbeddedJetty.stop(server);
  }

  static final String PROXY = "for=203.0.113.9;host=good.example;proto=https";

  static Stream<Arguments> attacks() {
    return Stream.of(
        Arguments.of("escaped quote, two lines", "/hops1",
            List.of("for=6.6.6.6;host=evil.example;proto=http;x=\"a\\\"b\"", PROXY),
            "203.0.113.9", "https", "good.example", "https://good.example/hops1/echo"),
        Arguments.of("unclosed quote, two lines", "/hops1",
            List.of("for=6.6.6.6;host=evil.example;proto=http;x=\"", PROXY),
            "203.0.113.9", "https", "good.example", "https://good.example/hops1/echo"),
        Arguments.of("unclosed quote, one line", "/hops1",
            List.of("for=6.6.6.6;host=evil.example;proto=http;x=\", " + PROXY),
            "203.0.113.9", "https", "good.example", "https://good.example/hops1/echo"),
        Arguments.of("the proxy sends no proto or host: the connection's stand", "/hops1",
            List.of("for=1.2.3.4;proto=https;host=evil.example;x=\"", "for=203.0.113.7"),
            "203.0.113.7", "http", "127.0.0.1", "http://127.0.0.1:{port}/hops1/echo"),
        Arguments.of("two proxies: the client's element is second from the right", "/proxies",
            List.of("for=198.51.100.1;proto=https;host=evil.example, for=198.51.100.1;"
                    + "proto=https;host=evil.example;x=\"\\\"\"",
                "for=203.0.113.7;proto=http;host=good.example", "for=10.0.0.2"),
            "203.0.113.7", "http", "good.example", "http://good.example:{port}/proxies/echo"),
        Arguments.of("duplicate proto: the element is invalid, the peer is the client", "/hops1",
            List.of("for=203.0.113.9;proto=http;proto=https"),
            "127.0.0.1", "http", "127.0.0.1", "http://127.0.0.1:{port}/hops1/echo"),
        Arguments.of("quoted IPv6 with a port, For= and spaces", "/hops1",
            List.of("For=\"[2001:db8::1]:80\" ; proto=https ; host=\"good.example:8443\""),
            "2001:db8::1", "https", "good.example", "https://good.example:8443/hops1/echo"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void protoAndHostComeFromTheClientsOwnElement(String name, String path, List<String> lines,
      String remoteAddr, String scheme, String serverName, String url) throws Exception {
    List<String[]> headers = new ArrayList<>();
    for (String line : lines) {
      headers.add(new String[] {"Forwarded", line});
    }
    HttpResult result = EmbeddedJetty.get(port, path + "/echo", headers);
    assertThat(result.status()).as(result.head()).isEqualTo(200);
    Map<String, String> echo = result.echo();
    assertThat(echo.get("remoteAddr")).isEqualTo(remoteAddr);
    assertThat(echo.get("scheme")).isEqualTo(scheme);
    assertThat(echo.get("secure")).isEqualTo(Boolean.toString(scheme.equals("https")));
    assertThat(echo.get("serverName")).isEqualTo(serverName);
    assertThat(echo.get("requestURL")).isEqualTo(url.replace("{port}", Integer.toString(port)));
  }

  @ParameterizedTest(name = "X-Forwarded-Host ''{0}'' is ignored")
  @ValueSource(strings = {"127.1", "0x7f.1", "2130706433", "1.2.3.999", ".", "-", "_",
      "example.com.", "a_b.example"})
  void numericAndMalformedForwardedHostsAreIgnored(String host) throws Exception {
    HttpResult result = EmbeddedJetty.get(port, "/xff/echo",
        List.<String[]>of(new String[] {"X-Forwarded-Host", host}));
    assertThat(result.echo().get("serverName")).isEqualTo("127.0.0.1");
    assertThat(result.echo().get("requestURL"))
        .isEqualTo("http://127.0.0.1:" + port + "/xff/echo");
  }

  @ParameterizedTest(name = "X-Forwarded-Host ''{0}'' is accepted")
  @ValueSource(strings = {"shop.example:8443", "10.0.0.1:8443", "[2001:db8::1]:8443"})
  void validForwardedHostsAreAccepted(String host) throws Exception {
    HttpResult result = EmbeddedJetty.get(port, "/xff/echo",
        List.<String[]>of(new String[] {"X-Forwarded-Host", host}));
    assertThat(result.echo().get("requestURL")).isEqualTo("http://" + host + "/xff/echo");
  }
}
