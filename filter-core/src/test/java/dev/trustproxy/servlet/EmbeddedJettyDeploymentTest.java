package dev.trustproxy.servlet;

import static dev.trustproxy.servlet.EmbeddedJetty.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.servlet.EmbeddedJetty.HttpResult;
import dev.trustproxy.Forwarding;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The filter deployed for real in embedded Jetty 12 ee10, configured in code and through a real
 * {@code WEB-INF/web.xml}, and hit over HTTP from 127.0.0.1 with exactly the header lines each case
 * names. Jetty runs without a {@code ForwardedRequestCustomizer}, so every change seen by the echo
 * servlet is the filter's.
 */
class EmbeddedJettyDeploymentTest {

  /** Replaced by the server's port and the request's local port before comparing. */
  private static final String PORT = "{port}";
  private static final String CLIENT_PORT = "{clientPort}";

  private static Server server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    // Configured in code.
    contexts.addHandler(EmbeddedJetty.codeContext("/code-loopback",
        TrustProxyFilter.trusting("loopback")));
    contexts.addHandler(EmbeddedJetty.codeContext("/code-proxies",
        TrustProxyFilter.trusting("loopback, 10.0.0.0/8")));
    contexts.addHandler(EmbeddedJetty.codeContext("/code-untrusted",
        TrustProxyFilter.trusting("10.0.0.0/8")));
    contexts.addHandler(EmbeddedJetty.codeContext("/code-hops",
        new TrustProxyFilter(ClientResolver.of(TrustPolicy.hops(1)))));
    contexts.addHandler(EmbeddedJetty.codeContext("/code-gated",
        new TrustProxyFilter(ClientResolver.of(TrustPolicy.hops(1))
            .withTrustedPeers(IpRangeSet.parse("trusted-peers", "10.0.0.0/8")))));
    contexts.addHandler(EmbeddedJetty.codeContext("/code-forwarded",
        new TrustProxyFilter(ClientResolver.of(TrustPolicy.parse("loopback")),
            Forwarding.Headers.FORWARDED)));
    // Configured through WEB-INF/web.xml.
    contexts.addHandler(EmbeddedJetty.webApp("/xml-xff", "xff"));
    contexts.addHandler(EmbeddedJetty.webApp("/xml-forwarded", "forwarded"));
    contexts.addHandler(EmbeddedJetty.webApp("/xml-gated", "gated"));
    server = EmbeddedJetty.start(contexts);
    port = EmbeddedJetty.port(server);
    for (var handler : contexts.getHandlers()) {
      assertThat(handler.isStarted()).as("context %s started", handler).isTrue();
      if (handler instanceof WebAppContext webApp) {
        assertThat(webApp.getUnavailableException()).as("%s", webApp).isNull();
      }
    }
  }

  @AfterAll
  static void stopServer() throws Exception {
    EmbeddedJetty.stop(server);
  }

  record Case(String name, String path, List<String[]> headers, Map<String, String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Builds cases: {@code on(name, path).line(h, v)...expect(k, v, ...)}. */
  private static final class CaseBuilder {
    private final String name;
    private final String path;
    private final List<String[]> headers = new ArrayList<>();

    CaseBuilder(String name, String path) {
      this.name = name;
      this.path = path;
    }

    CaseBuilder line(String header, String value) {
      headers.add(new String[] {header, value});
      return this;
    }

    Case expect(String... keyValues) {
      Map<String, String> expected = new LinkedHashMap<>();
      for (int i = 0; i < keyValues.length; i += 2) {
        expected.put(keyValues[i], keyValues[i + 1]);
      }
      return new Case(name + " [" + path + "]", path, List.copyOf(headers), expected);
    }
  }

  private static CaseBuilder on(String name, String path) {
    return new CaseBuilder(name, path);
  }

  /** The request as the container saw it: the filter changed nothing visible. */
  private static String[] unchanged(String path) {
    return new String[] {
      "remoteAddr", "127.0.0.1", "remoteHost", "127.0.0.1", "remotePort", CLIENT_PORT,
      "scheme", "http", "secure", "false", "serverName", "127.0.0.1", "serverPort", PORT,
      "requestURL", "http://127.0.0.1:" + PORT + path + "/echo", "fromHeader", "false",
      "ips", "[]", "clientIndex", "0", "peer", "127.0.0.1", "client", "127.0.0.1"
    };
  }

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  static Stream<Case> xForwardedCases() {
    List<Case> cases = new ArrayList<>();
    for (String path : List.of("/code-loopback", "/xml-xff")) {
      cases.add(on("trusted loopback peer: X-Forwarded-For names the client", path)
          .line("X-Forwarded-For", "203.0.113.7")
          .expect("remoteAddr", "203.0.113.7", "remoteHost", "203.0.113.7", "remotePort", "0",
              "client", "203.0.113.7", "peer", "127.0.0.1", "ips", "[203.0.113.7]",
              "fromHeader", "true", "peerTrusted", "true", "headerIgnored", "false",
              "stoppedOnInvalid", "false", "clientIndex", "1",
              "scheme", "http", "secure", "false", "serverName", "127.0.0.1", "serverPort", PORT,
              "requestURL", "http://127.0.0.1:" + PORT + path + "/echo"));
      cases.add(on("X-Forwarded-Proto https and X-Forwarded-Host with a port all agree", path)
          .line("X-Forwarded-For", "203.0.113.7")
          .line("X-Forwarded-Proto", "https")
          .line("X-Forwarded-Host", "example.com:8443")
          .expect("remoteAddr", "203.0.113.7", "scheme", "https", "secure", "true",
              "serverName", "example.com", "serverPort", "8443",
              "requestURL", "https://example.com:8443" + path + "/echo"));
      cases.add(on("X-Forwarded-Proto alone: the scheme's default port", path)
          .line("X-Forwarded-Proto", "HTTPS")
          .expect(with(unchanged(path), "scheme", "https", "secure", "true", "serverPort", "443",
              "requestURL", "https://127.0.0.1" + path + "/echo", "peerTrusted", "true")));
      cases.add(on("an invalid entry stops the walk at the nearest trusted hop (the peer)", path)
          .line("X-Forwarded-For", "203.0.113.7, unknown")
          .expect(with(unchanged(path), "stoppedOnInvalid", "true", "peerTrusted", "true")));
      cases.add(on("Forwarded is not read when the filter reads X-Forwarded-For", path)
          .line("Forwarded", "for=203.0.113.7;proto=https;host=example.com")
          .expect(unchanged(path)));
      cases.add(on("no header: nothing changes", path)
          .expect(with(unchanged(path), "headerIgnored", "false", "stoppedOnInvalid", "false")));
    }
    cases.add(on("X-04: two field lines are joined in arrival order", "/code-proxies")
        .line("X-Forwarded-For", "10.0.0.9")
        .line("X-Forwarded-For", "203.0.113.7")
        .expect("remoteAddr", "203.0.113.7", "ips", "[203.0.113.7]", "clientIndex", "1"));
    cases.add(on("X3: the client's own line and the proxy's line, walked as one list",
        "/code-proxies")
        .line("X-Forwarded-For", "203.0.113.7")
        .line("X-Forwarded-For", "10.0.0.2")
        .expect("remoteAddr", "203.0.113.7", "ips", "[203.0.113.7, 10.0.0.2]",
            "clientIndex", "2", "remotePort", "0"));
    cases.add(on("X-05: hop count 1 takes the proxy's line, not getHeader's first", "/code-hops")
        .line("X-Forwarded-For", "6.6.6.6")
        .line("X-Forwarded-For", "203.0.113.7")
        .expect("remoteAddr", "203.0.113.7", "ips", "[203.0.113.7]", "clientIndex", "1"));
    cases.add(on("untrusted peer: X-Forwarded-* ignored", "/code-untrusted")
        .line("X-Forwarded-For", "203.0.113.7")
        .line("X-Forwarded-Proto", "https")
        .line("X-Forwarded-Host", "example.com:8443")
        .line("X-Forwarded-Port", "8443")
        .expect(with(unchanged("/code-untrusted"), "headerIgnored", "true",
            "peerTrusted", "false")));
    cases.add(on("hop count 1 without a peer gate believes a direct client", "/code-hops")
        .line("X-Forwarded-For", "203.0.113.7")
        .expect("remoteAddr", "203.0.113.7", "peerTrusted", "true"));
    for (String path : List.of("/code-gated", "/xml-gated")) {
      cases.add(on("hop count 1 behind a peer gate the peer fails: ignored", path)
          .line("X-Forwarded-For", "203.0.113.7")
          .line("X-Forwarded-Proto", "https")
          .line("X-Forwarded-Host", "example.com")
          .expect(with(unchanged(path), "headerIgnored", "true", "peerTrusted", "false")));
    }
    cases.add(on("X-10: an invalid entry: the nearest trusted hop, flagged", "/code-proxies")
        .line("X-Forwarded-For", "6.6.6.6, unknown, 10.0.0.2")
        .expect("remoteAddr", "10.0.0.2", "remoteHost", "10.0.0.2", "client", "10.0.0.2",
            "ips", "[10.0.0.2]", "stoppedOnInvalid", "true", "fromHeader", "true",
            "remotePort", "0"));
    cases.add(on("X-12: a port after an IPv4 entry is dropped", "/code-proxies")
        .line("X-Forwarded-For", "203.0.113.7:5678, 10.0.0.2")
        .expect("remoteAddr", "203.0.113.7", "ips", "[203.0.113.7, 10.0.0.2]"));
    cases.add(on("X-13: a bracketed IPv6 entry with a port", "/code-proxies")
        .line("X-Forwarded-For", "[2001:DB8::1]:443")
        .expect("remoteAddr", "2001:db8::1", "remoteHost", "2001:db8::1"));
    cases.add(on("X-16: IPv4-mapped IPv6 is the IPv4 address", "/code-proxies")
        .line("X-Forwarded-For", "::ffff:203.0.113.7")
        .expect("remoteAddr", "203.0.113.7"));
    cases.add(on("X-06: only empty elements: the peer", "/code-proxies")
        .line("X-Forwarded-For", ", , ,")
        .expect(unchanged("/code-proxies")));
    cases.add(on("X-27: X_Forwarded_For is another header", "/code-proxies")
        .line("X_Forwarded_For", "203.0.113.7")
        .expect(unchanged("/code-proxies")));
    return cases.stream();
  }

  static Stream<Case> forwardedCases() {
    List<Case> cases = new ArrayList<>();
    for (String path : List.of("/code-forwarded", "/xml-forwarded")) {
      cases.add(on("RFC 7239: for, proto and host of one element", path)
          .line("Forwarded", "for=203.0.113.7;proto=https;host=example.com")
          .expect("remoteAddr", "203.0.113.7", "remoteHost", "203.0.113.7", "remotePort", "0",
              "ips", "[203.0.113.7]", "scheme", "https", "secure", "true",
              "serverName", "example.com", "serverPort", "443",
              "requestURL", "https://example.com" + path + "/echo"));
      cases.add(on("RFC 7239: a quoted host with a port", path)
          .line("Forwarded", "for=203.0.113.7;host=\"example.com:8443\";proto=https")
          .expect("remoteAddr", "203.0.113.7", "serverName", "example.com",
              "serverPort", "8443", "requestURL", "https://example.com:8443" + path + "/echo"));
      cases.add(on("RFC 7239: for=unknown stops the walk at the peer", path)
          .line("Forwarded", "for=203.0.113.7, for=unknown")
          .expect(with(unchanged(path), "stoppedOnInvalid", "true", "peerTrusted", "true")));
      cases.add(on("RFC 7239: an obfuscated identifier stops the walk at the peer", path)
          .line("Forwarded", "for=_hidden")
          .expect(with(unchanged(path), "stoppedOnInvalid", "true")));
      cases.add(on("X-Forwarded-* is not read when the filter reads Forwarded", path)
          .line("X-Forwarded-For", "203.0.113.7")
          .line("X-Forwarded-Proto", "https")
          .line("X-Forwarded-Host", "example.com")
          .expect(unchanged(path)));
    }
    String twoHops = "for=203.0.113.7;proto=https;host=example.com, for=\"[2001:db8::1]:4711\"";
    cases.add(on("RFC 7239: proto/host only from the client's element, never from elements"
        + " left of it (which the client may have written)", "/code-forwarded")
        .line("Forwarded", twoHops)
        .expect("remoteAddr", "2001:db8::1", "ips", "[2001:db8::1]", "clientIndex", "1",
            "scheme", "http", "secure", "false", "serverName", "127.0.0.1"));
    cases.add(on("RFC 7239: a trusted IPv6 hop vouches for the one before it", "/xml-forwarded")
        .line("Forwarded", twoHops)
        .expect("remoteAddr", "203.0.113.7", "ips", "[203.0.113.7, 2001:db8::1]",
            "clientIndex", "2", "scheme", "https", "serverName", "example.com"));
    cases.add(on("RFC 7239: two field lines are joined in arrival order", "/xml-forwarded")
        .line("Forwarded", "for=203.0.113.7")
        .line("Forwarded", "for=\"[2001:db8::1]\"")
        .expect("remoteAddr", "203.0.113.7", "ips", "[203.0.113.7, 2001:db8::1]"));
    cases.add(on("RFC 7239: invalid entry behind a trusted hop: that hop, flagged",
        "/xml-forwarded")
        .line("Forwarded", "for=unknown, for=\"[2001:db8::5]\"")
        .expect("remoteAddr", "2001:db8::5", "stoppedOnInvalid", "true", "fromHeader", "true"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"xForwardedCases", "forwardedCases"})
  void servletSeesTheClient(Case c) throws Exception {
    HttpResult result = get(port, c.path() + "/echo", c.headers());
    assertThat(result.status()).as(result.head()).isEqualTo(200);
    Map<String, String> echo = result.echo();
    Map<String, String> expected = new LinkedHashMap<>();
    c.expected().forEach((k, v) -> expected.put(k, v.replace(PORT, Integer.toString(port))
        .replace(CLIENT_PORT, Integer.toString(result.clientPort()))));
    assertThat(echo).as(result.body()).containsAllEntriesOf(expected);
  }

  @Test
  void javaHttpClientRequestThroughWebXmlFilter() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(20)).build();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/xml-xff/echo"))
        .header("X-Forwarded-For", "198.51.100.1")
        .header("X-Forwarded-For", "203.0.113.7")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "example.com")
        .timeout(Duration.ofSeconds(20))
        .GET().build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> echo = new HttpResult(200, "", response.body(), -1).echo();
    assertThat(echo).as(response.body()).containsEntry("remoteAddr", "203.0.113.7")
        .containsEntry("ips", "[203.0.113.7]")
        .containsEntry("requestURL", "https://example.com/xml-xff/echo");
  }

  static Stream<Object[]> badWebXml() {
    return Stream.of(
        new Object[] {"unknown-init-param", List.of("unknown init-param 'trusted-proxies'",
            "trust-proxy")},
        new Object[] {"bad-trust-proxy", List.of("init-param trust-proxy", "'10.0.0.0/33'")},
        new Object[] {"bad-forwarded-header", List.of("init-param forwarded-header",
            "'x-forwarded-for, forwarded'", "x-forwarded-for")});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badWebXml")
  void badWebXmlFailsStartUpNamingTheInitParam(String webapp, List<String> fragments)
      throws Exception {
    WebAppContext context = EmbeddedJetty.webApp("/bad", webapp);
    Server bad = EmbeddedJetty.start(context);
    try {
      assertThat(context.isAvailable()).as("context available").isFalse();
      Throwable failure = context.getUnavailableException();
      assertThat(failure).as("unavailable exception").isNotNull();
      assertThat(EmbeddedJetty.messages(failure)).contains(fragments);
      HttpResult result = get(EmbeddedJetty.port(bad), "/bad/echo", List.of());
      assertThat(result.status()).as(result.head()).isEqualTo(503);
    } finally {
      EmbeddedJetty.stop(bad);
    }
  }

  @Test
  void badWebXmlThrowsFromServerStartWhenAsked() throws Exception {
    WebAppContext context = EmbeddedJetty.webApp("/bad", "bad-trust-proxy");
    context.setThrowUnavailableOnStartupException(true);
    Server[] holder = new Server[1];
    try {
      assertThatThrownBy(() -> holder[0] = EmbeddedJetty.start(context))
          .satisfies(t -> assertThat(EmbeddedJetty.messages(t))
              .contains("init-param trust-proxy", "'10.0.0.0/33'"));
    } finally {
      EmbeddedJetty.stop(holder[0] != null ? holder[0] : context.getServer());
    }
  }

  @Test
  void filterConfiguredInCodeRefusesInitParams() throws Exception {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/both");
    FilterHolder holder = new FilterHolder(TrustProxyFilter.trusting("loopback"));
    holder.setInitParameter("trust-proxy", "true");
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
    Server[] started = new Server[1];
    try {
      assertThatThrownBy(() -> started[0] = EmbeddedJetty.start(context))
          .satisfies(t -> assertThat(EmbeddedJetty.messages(t))
              .contains("configured in code", "trust-proxy"));
    } finally {
      EmbeddedJetty.stop(started[0] != null ? started[0] : context.getServer());
    }
  }
}
