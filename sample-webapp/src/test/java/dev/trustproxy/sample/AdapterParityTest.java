package dev.trustproxy.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code app --adapter filter} and {@code app --adapter customizer} give the same answer to the
 * same request: the peer (set by a PROXY header), X-Forwarded-For with -Proto and -Host, and RFC
 * 7239 {@code Forwarded} with {@code for=}, {@code proto=} and {@code host=}, on the direct
 * dispatch and on the container's FORWARD, INCLUDE, ASYNC and ERROR dispatches. Every case runs against
 * both adapters with one expected answer.
 */
class AdapterParityTest {

  private static final String TRUSTED_PEER = "10.0.0.2";
  private static final String OUTSIDER = "203.0.113.7";
  private static final String CLIENT = "198.51.100.22";

  /** One request and the answer both adapters must give. */
  private record Case(String trust, String family, String peer, String path, List<String> headers,
      int status, String ip, String ips, String protocol, String hostname) {

    Case at(String otherPath, int otherStatus) {
      return new Case(trust, family, peer, otherPath, headers, otherStatus, ip, ips, protocol,
          hostname);
    }
  }

  private static Case xff(String peer, String ip, String ips, String protocol, String hostname,
      String... headers) {
    return new Case("10.0.0.0/8", "x-forwarded-for", peer, "/", List.of(headers), 200, ip, ips,
        protocol, hostname);
  }

  private static Case forwarded(String peer, String ip, String ips, String protocol,
      String hostname, String... headers) {
    return new Case("10.0.0.0/8", "forwarded", peer, "/", List.of(headers), 200, ip, ips,
        protocol, hostname);
  }

  static Stream<Arguments> cases() {
    Case fromProxy = xff(TRUSTED_PEER, CLIENT, "[\"" + CLIENT + "\"]",
        "https", "example.com", "X-Forwarded-For: " + CLIENT, "X-Forwarded-Proto: https",
        "X-Forwarded-Host: example.com");
    List<Arguments> cases = new ArrayList<>(List.of(
        Arguments.of("no header: the peer", xff(OUTSIDER, OUTSIDER, "[]", "http", "localhost")),
        Arguments.of("X-Forwarded-For, -Proto, -Host from a trusted peer", fromProxy),
        Arguments.of("X-Forwarded-* from an untrusted peer are ignored",
            xff(OUTSIDER, OUTSIDER, "[]", "http", "localhost", "X-Forwarded-For: " + CLIENT,
                "X-Forwarded-Proto: https", "X-Forwarded-Host: example.com")),
        Arguments.of("X-Forwarded-For walks right to left past trusted hops",
            xff(TRUSTED_PEER, CLIENT, "[\"" + CLIENT + "\",\"10.0.0.9\"]", "http",
                "localhost", "X-Forwarded-For: 203.0.113.9, " + CLIENT + ", 10.0.0.9")),
        Arguments.of("x-forwarded-for ignores Forwarded",
            xff(TRUSTED_PEER, TRUSTED_PEER, "[]", "http", "localhost",
                "Forwarded: for=" + CLIENT + ";proto=https;host=example.com")),
        Arguments.of("Forwarded for=, proto=, host= from a trusted peer",
            forwarded(TRUSTED_PEER, CLIENT, "[\"" + CLIENT + "\"]",
                "https", "example.com",
                "Forwarded: for=" + CLIENT + ";proto=https;host=example.com")),
        Arguments.of("Forwarded: proto= and host= of the element naming the client",
            forwarded(TRUSTED_PEER, CLIENT, "[\"" + CLIENT + "\"]",
                "https", "example.com", "Forwarded: for=203.0.113.9;proto=http;host=evil.example,"
                    + " for=" + CLIENT + ";proto=https;host=example.com")),
        Arguments.of("Forwarded from an untrusted peer is ignored",
            forwarded(OUTSIDER, OUTSIDER, "[]", "http", "localhost",
                "Forwarded: for=" + CLIENT + ";proto=https;host=example.com")),
        Arguments.of("forwarded ignores X-Forwarded-*",
            forwarded(TRUSTED_PEER, TRUSTED_PEER, "[]", "http", "localhost",
                "X-Forwarded-For: " + CLIENT, "X-Forwarded-Proto: https")),
        Arguments.of("FORWARD dispatch", fromProxy.at(RequestInfoServlet.FORWARD_PATH, 200)),
        Arguments.of("INCLUDE dispatch", fromProxy.at(RequestInfoServlet.INCLUDE_PATH, 200)),
        Arguments.of("ASYNC dispatch", fromProxy.at(RequestInfoServlet.ASYNC_PATH, 200)),
        Arguments.of("ERROR dispatch (404 page)", fromProxy.at("/missing", 404))));
    List<Arguments> both = new ArrayList<>();
    for (String adapter : List.of("filter", "customizer")) {
      for (Arguments c : cases) {
        both.add(Arguments.of(adapter, c.get()[0], c.get()[1]));
      }
    }
    return both.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void bothAdaptersGiveTheSameAnswer(String adapter, String name, Case c) throws Exception {
    try (App app = start(adapter, c.trust, c.family)) {
      LoadBalancerClient.Exchange exchange = LoadBalancerClient.getAfterLine(app.port(),
          LoadBalancerClient.proxyV1(IpAddress.parse(c.peer), 40000, app.port()),
          c.path, c.headers.toArray(String[]::new));
      assertThat(exchange.status()).isEqualTo(c.status);
      assertThat(exchange.body()).isEqualTo(Demo.expected(c.ip, xff(c.headers), c.ips, c.protocol,
          c.hostname));
    }
  }

  /**
   * nginx's stream module writes {@code TCP6} with an IPv4 destination when the families differ;
   * the connector accepts it by default. Needs the factory default from the proxy-protocol
   * change: the sample sets nothing itself.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("adapters")
  void nginxStreamTcp6LineWithIpv4DestinationIsAccepted(String adapter) throws Exception {
    try (App app = start(adapter, "loopback", "x-forwarded-for")) {
      LoadBalancerClient.Exchange exchange = LoadBalancerClient.getAfterLine(app.port(),
          "PROXY TCP6 2001:db8::90 127.0.0.1 56324 " + app.port() + "\r\n", "/");
      assertThat(exchange.status()).isEqualTo(200);
      // The PROXY source is the peer. Jetty prints an IPv6 peer as [2001:db8:0:0:0:0:0:90]
      // (D35); this case is about the line being accepted, so compare the address itself.
      String ip = exchange.body().lines().findFirst().orElseThrow();
      assertThat(ip).startsWith("req.ip: \"");
      String text = ip.substring("req.ip: \"".length(), ip.length() - 1)
          .replaceAll("^\\[|]$", "");
      assertThat(IpAddress.parse(text)).isEqualTo(IpAddress.parse("2001:db8::90"));
      assertThat(exchange.body()).contains("\nreq.ips: []\n");
    }
  }

  static Stream<String> adapters() {
    return Stream.of("filter", "customizer");
  }

  private static App start(String adapter, String trust, String family) throws Exception {
    return Main.startApp(List.of("--port", "0", "--trust-proxy", trust, "--forwarded-header",
        family, "--adapter", adapter, "--proxy-protocol"),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static String xff(List<String> headers) {
    return headers.stream().filter(h -> h.startsWith("X-Forwarded-For: "))
        .map(h -> h.substring("X-Forwarded-For: ".length())).findFirst().orElse(null);
  }
}
