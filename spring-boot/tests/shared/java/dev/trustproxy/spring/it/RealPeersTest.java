package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real PROXY senders in front of the application, configured by properties only: {@code curl
 * --haproxy-protocol} (v1) and haproxy's {@code send-proxy-v2}. Skipped without curl or haproxy,
 * failing instead under CI=true.
 */
@RealPeers({Peer.CURL, Peer.HAPROXY})
class RealPeersTest {

  private static final Duration STARTUP = Duration.ofSeconds(30);

  @TempDir
  static Path work;

  private static ConfigurableApplicationContext app;
  private static int port;
  private static ExternalProcess haproxy;
  private static int haproxyPort;

  @BeforeAll
  static void start() throws Exception {
    app = Apps.start("--trustproxy.proxy-protocol.enabled=true",
        "--trustproxy.proxy-protocol.trusted-sources=127.0.0.1");
    port = Apps.port(app);
    haproxyPort = ExternalProcess.freePort();
    String cfg = """
        global
          log stderr format raw local0 info
        defaults
          mode tcp
          log global
          timeout connect 2s
          timeout client 10s
          timeout server 10s
        frontend v2
          bind 127.0.0.1:%d
          default_backend app
        backend app
          server app 127.0.0.1:%d send-proxy-v2 proxy-v2-options crc32c
        """.formatted(haproxyPort, port);
    Path file = Files.writeString(work.resolve("haproxy.cfg"), cfg);
    haproxy = ExternalProcess.start("haproxy", work,
        List.of(Peer.HAPROXY.path(), "-db", "-f", file.toString()));
    haproxy.awaitPort(haproxyPort, STARTUP);
  }

  @AfterAll
  static void stop() {
    if (haproxy != null) {
      haproxy.close();
    }
    if (app != null) {
      app.close();
    }
  }

  private static Map<String, String> curl(String... args) {
    List<String> command = new java.util.ArrayList<>(
        List.of(Peer.CURL.path(), "-sS", "--max-time", "15"));
    command.addAll(List.of(args));
    return RawClient.echoBody(
        ExternalProcess.run(Duration.ofSeconds(30), command).requireSuccess().stdout());
  }

  @Test
  void curlWithHaproxyProtocolIsAccepted() {
    assertThat(curl("--haproxy-protocol", "http://127.0.0.1:" + port + "/who"))
        .containsEntry("remote", "127.0.0.1").containsEntry("proxyHeader", "true");
  }

  @Test
  void haproxySendProxyV2GivesTheClientsAddress() {
    // The client connects to haproxy from 127.0.0.2; the application's TCP peer is haproxy.
    assertThat(curl("--interface", "127.0.0.2", "http://127.0.0.1:" + haproxyPort + "/who"))
        .containsEntry("remote", "127.0.0.2").containsEntry("proxyHeader", "true")
        .containsEntry("security", "127.0.0.2");
  }

  @Test
  void plainCurlFromTheTrustedSourceIsClosed() {
    ExternalProcess.Result result = ExternalProcess.run(Duration.ofSeconds(30),
        List.of(Peer.CURL.path(), "-sS", "--max-time", "15", "http://127.0.0.1:" + port + "/who"));
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stdout()).isEmpty();
  }
}
