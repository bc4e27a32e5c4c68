package dev.trustproxy.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real HAProxy (mode tcp, {@code send-proxy-v2}) in front of the TLS proxy, the app behind it
 * with {@code --trust-proxy 1}; curl and the load balancer client talk to HAProxy.
 *
 * <pre>
 * curl/client --(PROXY v1 or none)--> haproxy --(PROXY v2)--> TLS proxy --(XFF)--> app
 * </pre>
 *
 * <p>Distinct client addresses come from {@code curl --interface 127.0.0.N} (every 127/8 address
 * is local on Linux). Without HAProxy or curl the class is skipped (or fails under CI): see
 * {@link RealPeers}.
 */
@RealPeers({Peer.HAPROXY, Peer.CURL})
class HaproxyTest {

  @TempDir
  static Path dir;

  private static Demo.Stack stack;
  private static ExternalProcess haproxy;
  /** HAProxy frontend that takes a PROXY header (accept-proxy) from its clients. */
  private static int withProxyHeader;
  /** HAProxy frontend for clients that connect directly. */
  private static int direct;

  @BeforeAll
  static void start() throws Exception {
    stack = Demo.Stack.start(dir.resolve("ca.pem"));
    withProxyHeader = ExternalProcess.freePort();
    direct = ExternalProcess.freePort();
    Path config = Files.writeString(dir.resolve("haproxy.cfg"), """
        defaults
          mode tcp
          timeout connect 5s
          timeout client 20s
          timeout server 20s
        frontend with_proxy_header
          bind 127.0.0.1:%d accept-proxy
          default_backend tls_proxy
        frontend direct
          bind 127.0.0.1:%d
          default_backend tls_proxy
        backend tls_proxy
          server sidecar 127.0.0.1:%d send-proxy-v2
        """.formatted(withProxyHeader, direct, stack.proxy().proxyProtocolPort()));
    haproxy = ExternalProcess.start("haproxy", dir,
        List.of(Peer.HAPROXY.path(), "-db", "-f", config.toString()));
    haproxy.awaitPort(withProxyHeader, Duration.ofSeconds(20));
    haproxy.awaitPort(direct, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (haproxy != null) {
        haproxy.close();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }

  static Stream<Arguments> curls() {
    return Stream.of(
        Arguments.of("curl --haproxy-protocol from 127.0.0.5: app sees 127.0.0.5", "127.0.0.5",
            true, null, "127.0.0.5", "127.0.0.5"),
        Arguments.of("curl --haproxy-protocol with forged XFF: app sees 127.0.0.6", "127.0.0.6",
            true, "198.51.100.99", "127.0.0.6", "198.51.100.99, 127.0.0.6"),
        Arguments.of("curl straight to haproxy from 127.0.0.7: app sees 127.0.0.7", "127.0.0.7",
            false, null, "127.0.0.7", "127.0.0.7"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("curls")
  void curlThroughHaproxy(String name, String from, boolean proxyProtocol, String forged,
      String expectedIp, String expectedXff) throws Exception {
    int port = proxyProtocol ? withProxyHeader : direct;
    List<String> command = new ArrayList<>(List.of(Peer.CURL.path(), "-sS",
        "--max-time", "20", "--interface", from,
        "--resolve", "localhost:" + port + ":127.0.0.1",
        "--cacert", stack.caFile().toString()));
    if (proxyProtocol) {
      command.add("--haproxy-protocol");
    }
    if (forged != null) {
      command.addAll(List.of("-H", "X-Forwarded-For: " + forged));
    }
    command.add("https://localhost:" + port + "/");
    ExternalProcess.Result curl = ExternalProcess.run(Duration.ofSeconds(30), command);
    assertThat(curl.stdout()).as("%s", curl).isEqualTo("req.ip: \"" + expectedIp + "\"\n"
        + "req.xff: \"" + expectedXff + "\"\n"
        + "req.ips: [\"" + expectedIp + "\"]\n"
        + "req.protocol: \"https\"\n"
        + "req.hostname: \"localhost\"\n");
    assertThat(curl.exitCode()).as("%s", curl).isZero();
  }

  @Test
  void loadBalancerClientNamingTheClientThroughHaproxyGivesTheIssueOutput() throws Exception {
    LoadBalancerClient.Exchange exchange = LoadBalancerClient.get(withProxyHeader,
        "198.51.100.22", stack.clientTls(),
        "X-Forwarded-For: 127.0.0.4, 127.0.0.3, 127.0.0.2");
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.body()).isEqualTo("""
        req.ip: "198.51.100.22"
        req.xff: "127.0.0.4, 127.0.0.3, 127.0.0.2, 198.51.100.22"
        req.ips: ["198.51.100.22"]
        req.protocol: "https"
        req.hostname: "localhost"
        """);
  }
}
