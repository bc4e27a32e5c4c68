package dev.trustproxy.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * is local on Linux). HAProxy and curl are required: .ci/run installs them.
 */
class HaproxyTest {

  @TempDir
  static Path dir;

  private static Demo.Stack stack;
  private static Process haproxy;
  /** HAProxy frontend that takes a PROXY header (accept-proxy) from its clients. */
  private static int withProxyHeader;
  /** HAProxy frontend for clients that connect directly. */
  private static int direct;

  @BeforeAll
  static void start() throws Exception {
    String haproxyPath = require("haproxy", "haproxy");
    require("curl", "curl");
    stack = Demo.Stack.start(dir.resolve("ca.pem"));
    withProxyHeader = freePort();
    direct = freePort();
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
    haproxy = new ProcessBuilder(haproxyPath, "-db", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("haproxy.log").toFile())
        .start();
    awaitListening(withProxyHeader);
    awaitListening(direct);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (haproxy != null) {
        haproxy.destroy();
        if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
          haproxy.destroyForcibly();
        }
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
    List<String> command = new ArrayList<>(List.of(require("curl", "curl"), "-sS",
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
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output).isEqualTo("req.ip: \"" + expectedIp + "\"\n"
        + "req.xff: \"" + expectedXff + "\"\n"
        + "req.ips: [\"" + expectedIp + "\"]\n"
        + "req.protocol: \"https\"\n"
        + "req.hostname: \"localhost\"\n");
    assertThat(curl.exitValue()).as("curl exit code, output: %s", output).isZero();
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

  /** The absolute path of {@code program}; fails (never skips) when it is missing. */
  static String require(String program, String debianPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "")
        .split(java.io.File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
    for (String d : dirs) {
      Path candidate = d.isEmpty() ? null : Path.of(d, program);
      if (candidate != null && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(program + " is not installed: .ci/run installs it (apt-get install "
        + debianPackage + ")");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitListening(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException e) {
        if (!haproxy.isAlive()) {
          fail("haproxy exited with " + haproxy.exitValue() + ": "
              + Files.readString(dir.resolve("haproxy.log")));
        }
        if (System.nanoTime() > deadline) {
          fail("haproxy did not listen on 127.0.0.1:" + port + " within 20 s: "
              + Files.readString(dir.resolve("haproxy.log")));
        }
        Thread.sleep(50);
      }
    }
  }
}
