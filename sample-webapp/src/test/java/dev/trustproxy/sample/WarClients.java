package dev.trustproxy.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** What the WAR's web.xml ({@code trust-proxy = loopback}) must make of requests from 127.0.0.1. */
final class WarClients {

  static final Path WAR = Path.of("target", "trustproxy-sample.war");

  private WarClients() {}

  static Path war() {
    if (!Files.isRegularFile(WAR)) {
      throw new IllegalStateException(WAR.toAbsolutePath() + " is missing: these tests run"
          + " after 'package' (./mvnw -pl sample-webapp -am verify)");
    }
    return WAR.toAbsolutePath();
  }

  /** name, X-Forwarded-For (null: none), expected getRemoteAddr(), expected req.ips. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no header: the loopback peer", null, "127.0.0.1", "[]"),
        Arguments.of("one entry from the trusted sidecar", "198.51.100.22", "198.51.100.22",
            "[\"198.51.100.22\"]"),
        Arguments.of("loopback hops are walked past", "198.51.100.22, 127.0.0.2",
            "198.51.100.22", "[\"198.51.100.22\",\"127.0.0.2\"]"),
        Arguments.of("a forged entry left of the client is not reached",
            "203.0.113.9, 198.51.100.22", "198.51.100.22", "[\"198.51.100.22\"]"),
        Arguments.of("an invalid entry stops the walk at the peer", "unknown", "127.0.0.1",
            "[]"));
  }

  /** name, path, expected status: the container's other dispatches of one request. */
  static Stream<Arguments> dispatches() {
    return Stream.of(
        Arguments.of("FORWARD dispatch", RequestInfoServlet.FORWARD_PATH, 200),
        Arguments.of("INCLUDE dispatch", RequestInfoServlet.INCLUDE_PATH, 200),
        Arguments.of("ASYNC dispatch after startAsync()", RequestInfoServlet.ASYNC_PATH, 200),
        Arguments.of("ERROR dispatch to the 404 page", "/missing", 404));
  }

  /**
   * Sends a request from the trusted sidecar to {@code path} and checks that the dispatch that
   * answers still sees the client: web.xml maps the filter for every dispatcher type.
   */
  static void assertDispatchServes(int port, String path, int status) throws Exception {
    LoadBalancerClient.Exchange exchange = LoadBalancerClient.getAfterLine(port, null, path,
        headers("198.51.100.22"));
    assertThat(exchange.status()).isEqualTo(status);
    assertThat(exchange.body()).startsWith("req.ip: \"198.51.100.22\"\n")
        .contains("\nreq.ips: [\"198.51.100.22\"]\n");
  }

  static String[] headers(String xff) {
    return xff == null ? new String[0] : new String[] {"X-Forwarded-For: " + xff};
  }

  /** Sends one case to the deployed WAR on {@code port} and checks req.ip and req.ips. */
  static void assertServes(int port, String xff, String ip, String ips) throws Exception {
    LoadBalancerClient.Exchange exchange = LoadBalancerClient.get(port, null, null, headers(xff));
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.body()).startsWith("req.ip: \"" + ip + "\"\n")
        .contains("\nreq.ips: " + ips + "\n");
  }
}
