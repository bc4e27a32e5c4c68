package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.UntrustedPeers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code curl --haproxy-protocol} straight at the connector: curl writes a v1 header with its
 * real socket addresses, so binding curl to 127.0.0.N and a known port makes the expected
 * client exact. Distinct loopback addresses stand in for distinct clients.
 */
@Timeout(60)
class CurlPeerTest {

  /** Trusts all of loopback: every curl here counts as the proxy. */
  private static EchoServer trustsLoopback;
  /** Trusts only 127.0.0.1 and closes everyone else. */
  private static EchoServer closesOthers;
  /** Trusts only 127.0.0.1 and serves everyone else as plain HTTP. */
  private static EchoServer servesOthersPlain;

  @BeforeAll
  static void startServers() throws Exception {
    PeerPrograms.require("curl", "curl");
    trustsLoopback = EchoServer.start(proxy -> proxy.setTrustedSources("loopback"));
    closesOthers = EchoServer.start(proxy -> {
      proxy.setTrustedSources("127.0.0.1");
      proxy.setUntrustedPeers(UntrustedPeers.CLOSE);
    });
    servesOthersPlain = EchoServer.start(proxy -> {
      proxy.setTrustedSources("127.0.0.1");
      proxy.setUntrustedPeers(UntrustedPeers.PLAIN);
    });
  }

  @AfterAll
  static void stopServers() throws Exception {
    PeerPrograms.closeAll(trustsLoopback, closesOthers, servesOthersPlain);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"127.0.0.21", "127.0.0.22"})
  void curlHeaderFromTrustedPeerBecomesTheClientAddress(String clientIp) {
    Curl curl = Curl.from(clientIp).with("--haproxy-protocol");
    long acceptedBefore = trustsLoopback.proxy().getAcceptedV1();

    Curl.Response response = curl.get(url(trustsLoopback, "/direct"));

    assertThat(response.status()).as("%s", response).isEqualTo(200);
    assertThat(response.echo()).as("%s", response)
        .containsEntry("remote.addr", clientIp)
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("local.addr", "127.0.0.1")
        .containsEntry("local.port", String.valueOf(trustsLoopback.port()))
        .containsEntry("secure", "false")
        .containsEntry("proxy.version", "1")
        .containsEntry("proxy.command", "PROXY")
        .containsEntry("proxy.family", "INET")
        .containsEntry("proxy.source", clientIp + ":" + curl.localPort())
        .containsEntry("proxy.destination", "127.0.0.1:" + trustsLoopback.port());
    assertThat(trustsLoopback.proxy().getAcceptedV1()).isEqualTo(acceptedBefore + 1);
  }

  @Test
  void everyRequestOfAKeptAliveConnectionSeesTheHeader() {
    Curl curl = Curl.from("127.0.0.27").with("--haproxy-protocol");

    List<Curl.Response> responses =
        curl.getAll(url(trustsLoopback, "/first"), url(trustsLoopback, "/second"));

    assertThat(responses).as("%s", responses).hasSize(2);
    assertThat(responses.get(1).echo()).as("second request reused the connection")
        .containsEntry("curl.connects", "0");
    for (Curl.Response response : responses) {
      assertThat(response.echo()).as("%s", response)
          .containsEntry("remote.addr", "127.0.0.27")
          .containsEntry("remote.port", String.valueOf(curl.localPort()))
          .containsEntry("proxy.source", "127.0.0.27:" + curl.localPort());
    }
  }

  @Test
  void trustedPeerWithoutHeaderIsClosedNotServed() {
    long rejectedBefore = trustsLoopback.proxy().getRejectedMalformed();

    Curl.Response response = Curl.from("127.0.0.23").get(url(trustsLoopback, "/no-header"));

    assertThat(response.result().exitCode()).as("%s", response).isIn(Curl.CONNECTION_CLOSED);
    assertThat(response.status()).isZero();
    assertThat(response.echo()).doesNotContainKey("remote.addr");
    assertThat(trustsLoopback.proxy().getRejectedMalformed()).isEqualTo(rejectedBefore + 1);
  }

  @Test
  void untrustedPeerCannotClaimAnAddress() {
    long rejectedBefore = closesOthers.proxy().getRejectedUntrusted();

    Curl.Response response = Curl.from("127.0.0.24").with("--haproxy-protocol")
        .get(url(closesOthers, "/spoof"));

    assertThat(response.result().exitCode()).as("%s", response).isIn(Curl.CONNECTION_CLOSED);
    assertThat(response.echo()).doesNotContainKey("remote.addr");
    assertThat(closesOthers.proxy().getRejectedUntrusted()).isEqualTo(rejectedBefore + 1);
    assertThat(closesOthers.proxy().getAcceptedV1()).isZero();
  }

  @Test
  void untrustedPeerIsServedPlainWithItsRealAddress() {
    Curl curl = Curl.from("127.0.0.25");
    long plainBefore = servesOthersPlain.proxy().getPlainUntrusted();

    Curl.Response response = curl.get(url(servesOthersPlain, "/plain"));

    assertThat(response.status()).as("%s", response).isEqualTo(200);
    assertThat(response.echo()).as("%s", response)
        .containsEntry("remote.addr", "127.0.0.25")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("proxy", "none");
    assertThat(servesOthersPlain.proxy().getPlainUntrusted()).isEqualTo(plainBefore + 1);
  }

  @Test
  void untrustedPeerHeaderIsNotParsedInPlainMode() {
    // The header reaches HTTP/1.1 as a request line, which Jetty rejects: nothing was parsed.
    Curl.Response response = Curl.from("127.0.0.26").with("--haproxy-protocol")
        .get(url(servesOthersPlain, "/spoof"));

    assertThat(response.status()).as("%s", response).isEqualTo(400);
    assertThat(response.echo()).doesNotContainKey("remote.addr");
    assertThat(servesOthersPlain.proxy().getAcceptedV1()).isZero();
  }

  private static String url(EchoServer server, String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
