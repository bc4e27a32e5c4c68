package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Nginx;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nginx 1.22 {@code stream} with {@code proxy_protocol on} (v1) in front of the connector. nginx
 * runs with its own prefix, pid file and error log in a temp folder, in the foreground. The
 * config is {@code peers/nginx.conf}.
 */
@RealPeers({Peer.NGINX, Peer.NGINX_STREAM_MODULE, Peer.CURL})
@Timeout(60)
class NginxPeerTest {

  @TempDir
  static Path work;

  private static EchoServer jetty;
  private static ExternalProcess nginx;
  private static int proxyPort;

  @BeforeAll
  static void startNginx() throws Exception {
    String streamModule = Peer.NGINX_STREAM_MODULE.path();

    jetty = EchoServer.start(proxy -> proxy.setTrustedSources("127.0.0.1"));
    int readyPort = ExternalProcess.freePort();
    proxyPort = ExternalProcess.freePort();
    Path config = PeerPrograms.writeConfig(work, "nginx.conf", Map.of(
        "STREAM_MODULE", streamModule, "WORK_DIR", work, "READY_PORT", readyPort,
        "PROXY_PORT", proxyPort, "JETTY_PORT", jetty.port()));
    nginx = Nginx.start(work, config);
    nginx.awaitPort(readyPort, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopNginx() throws Exception {
    PeerPrograms.closeAll(nginx, jetty);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"127.0.0.31", "127.0.0.32"})
  void streamProxyProtocolCarriesEachClientsAddress(String clientIp) {
    Curl curl = Curl.from(clientIp);
    long acceptedBefore = jetty.proxy().getAcceptedV1();

    Curl.Response response = curl.get("http://127.0.0.1:" + proxyPort + "/nginx");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", clientIp)
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("local.addr", "127.0.0.1")
        .containsEntry("local.port", String.valueOf(proxyPort))
        .containsEntry("secure", "false")
        .containsEntry("proxy.version", "1")
        .containsEntry("proxy.command", "PROXY")
        .containsEntry("proxy.family", "INET")
        .containsEntry("proxy.source", clientIp + ":" + curl.localPort())
        .containsEntry("proxy.destination", "127.0.0.1:" + proxyPort);
    assertThat(jetty.proxy().getAcceptedV1()).isEqualTo(acceptedBefore + 1);
  }

  @Test
  void keptAliveConnectionThroughNginxKeepsTheClientAddress() {
    Curl curl = Curl.from("127.0.0.33");

    List<Curl.Response> responses = curl.getAll("http://127.0.0.1:" + proxyPort + "/first",
        "http://127.0.0.1:" + proxyPort + "/second");

    assertThat(responses).as(() -> context(responses)).hasSize(2);
    assertThat(responses.get(1).echo()).containsEntry("curl.connects", "0");
    for (Curl.Response response : responses) {
      assertThat(response.echo()).as(() -> context(response))
          .containsEntry("remote.addr", "127.0.0.33")
          .containsEntry("proxy.source", "127.0.0.33:" + curl.localPort());
    }
  }

  /** What a failure message needs: what the client got and what nginx logged. */
  private static String context(Object got) {
    return got + "\n--- nginx output ---\n" + nginx.log() + "\n--- nginx error.log ---\n"
        + Nginx.errorLog(work);
  }
}
