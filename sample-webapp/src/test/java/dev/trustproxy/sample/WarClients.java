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
