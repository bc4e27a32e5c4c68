package dev.trustproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TrustProxyCustomizer} on real Jetty connectors, RFC 7239 and X-Forwarded-Host: a client
 * that sends its own {@code Forwarded} line before the trusted proxy's never chooses the scheme,
 * {@code isSecure()}, the URI authority or the rewritten {@code Host} (README D21, D36, D42), and
 * numeric or malformed hosts are ignored (D40, D41).
 */
class TrustProxyCustomizerForwardedTest {

  private static Server server;
  private static ServerConnector hops1;
  private static ServerConnector proxies;
  private static ServerConnector xff;

  @BeforeAll
  static void start() throws Exception {
    server = new Server();
    hops1 = connector(new TrustProxyCustomizer(ClientResolver.of(TrustPolicy.hops(1)),
        Forwarding.Headers.FORWARDED));
    proxies = connector(new TrustProxyCustomizer(
        ClientResolver.of(TrustPolicy.parse("trustProxy", "loopback, 10.0.0.0/8")),
        Forwarding.Headers.FORWARDED));
    xff = connector(new TrustProxyCustomizer(ClientResolver.of(TrustPolicy.hops(1)),
        Forwarding.Headers.X_FORWARDED));
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Resolution r = (Resolution) request.getAttribute(Resolution.ATTRIBUTE);
        String body = "remote=" + Request.getRemoteAddr(request) + "\n"
            + "scheme=" + request.getHttpURI().getScheme() + "\n"
            + "secure=" + request.isSecure() + "\n"
            + "server=" + Request.getServerName(request) + ":" + Request.getServerPort(request)
            + "\n"
            + "host=" + request.getHeaders().get("Host") + "\n"
            + "index=" + (r == null ? -1 : r.clientIndex()) + "\n";
        Content.Sink.write(response, true, body, callback);
        return true;
      }
    });
    server.start();
  }

  private static ServerConnector connector(TrustProxyCustomizer customizer) {
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(customizer);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    return connector;
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  static final String PROXY = "for=203.0.113.9;host=good.example;proto=https";

  static Stream<Arguments> attacks() {
    return Stream.of(
        Arguments.of("escaped quote, two lines", "hops1",
            List.of("for=6.6.6.6;host=evil.example;proto=http;x=\"a\\\"b\"", PROXY),
            "remote=203.0.113.9", "scheme=https", "secure=true", "server=good.example:443",
            "host=good.example:443"),
        Arguments.of("unclosed quote, two lines", "hops1",
            List.of("for=6.6.6.6;host=evil.example;proto=http;x=\"", PROXY),
            "remote=203.0.113.9", "scheme=https", "secure=true", "server=good.example:443",
            "host=good.example:443"),
        Arguments.of("unclosed quote, one line", "hops1",
            List.of("for=6.6.6.6;host=evil.example;proto=http;x=\", " + PROXY),
            "remote=203.0.113.9", "scheme=https", "secure=true", "server=good.example:443",
            "host=good.example:443"),
        Arguments.of("the proxy sends no proto or host: Host is left as sent", "hops1",
            List.of("for=1.2.3.4;proto=https;host=evil.example;x=\"", "for=203.0.113.7"),
            "remote=203.0.113.7", "scheme=http", "secure=false", "server=localhost:",
            "host=localhost\n"),
        Arguments.of("two proxies: the client's element is second from the right", "proxies",
            List.of("for=198.51.100.1;proto=https;host=evil.example, for=198.51.100.1;"
                    + "proto=https;host=evil.example;x=\"\\\"\"",
                "for=203.0.113.7;proto=http;host=good.example", "for=10.0.0.2"),
            "remote=203.0.113.7", "scheme=http", "secure=false", "server=good.example:",
            "index=2"),
        Arguments.of("duplicate host: the element is invalid, the peer is the client", "hops1",
            List.of("for=203.0.113.9;host=good.example;host=evil.example"),
            "remote=127.0.0.1", "scheme=http", "secure=false", "server=localhost:",
            "index=0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void protoAndHostComeFromTheClientsOwnElement(String name, String connector,
      List<String> lines, String remote, String scheme, String secure, String server,
      String extra) throws Exception {
    StringBuilder headers = new StringBuilder();
    for (String line : lines) {
      headers.append("Forwarded: ").append(line).append("\r\n");
    }
    String response = serve(connector.equals("hops1") ? hops1 : proxies, headers.toString());
    assertThat(response).startsWith("HTTP/1.1 200")
        .contains(remote + "\n", scheme + "\n", secure + "\n", server, extra)
        .doesNotContain("evil");
  }

  @ParameterizedTest(name = "X-Forwarded-Host ''{0}'' is ignored")
  @ValueSource(strings = {"127.1", "0x7f.1", "2130706433", "1.2.3.999", ".", "-", "_",
      "example.com.", "a_b.example"})
  void numericAndMalformedForwardedHostsAreIgnored(String host) throws Exception {
    assertThat(serve(xff, "X-Forwarded-Host: " + host + "\r\n"))
        .startsWith("HTTP/1.1 200").contains("server=localhost:", "host=localhost\n");
  }

  @ParameterizedTest(name = "X-Forwarded-Host ''{0}'' is accepted")
  @ValueSource(strings = {"shop.example:8443", "10.0.0.1:8443", "[2001:db8::1]:8443"})
  void validForwardedHostsAreAccepted(String host) throws Exception {
    assertThat(serve(xff, "X-Forwarded-Host: " + host + "\r\n"))
        .startsWith("HTTP/1.1 200").contains("server=" + host + "\n", "host=" + host + "\n");
  }

  private static String serve(ServerConnector connector, String headers) throws Exception {
    try (RawClient client = new RawClient(connector.getLocalPort())) {
      String request = "GET / HTTP/1.1\r\nHost: localhost\r\n" + headers
          + "Connection: close\r\n\r\n";
      return client.send(request.getBytes(StandardCharsets.ISO_8859_1)).readUntilClosed()
          .response();
    }
  }
}
