package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.jetty.peers.EchoServer.Adapter;
import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Ipv6Loopback;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Varnish 7.1 in front of both Jetty adapters trusting only Varnish's address (Varnish appends
 * its client to X-Forwarded-For itself), and in front of the PROXY connector with {@code
 * .proxy_header = 1} and {@code = 2}. Varnish runs in the foreground ({@code -F}) without its
 * management port ({@code -T none}) or jail ({@code -j none}, so it runs as whoever runs the
 * tests and can use their temp folder). The VCL is {@code peers/varnish.vcl}.
 */
@RealPeers({Peer.VARNISH, Peer.CURL})
@Timeout(60)
class VarnishPeerTest {

  @TempDir
  static Path work;

  private static AdapterBackends jetty;
  private static EchoServer proxyJetty;
  private static ExternalProcess varnish;
  private static int httpPort;

  @BeforeAll
  static void startVarnish() throws Exception {
    jetty = AdapterBackends.start(Map.of("trust-proxy", "127.0.0.1"));
    proxyJetty = EchoServer.start(proxy -> proxy.setTrustedSources("127.0.0.1"));
    httpPort = ExternalProcess.freePort();
    Map<String, Object> values = new LinkedHashMap<>(jetty.ports(""));
    values.put("PROXY_JETTY_PORT", proxyJetty.port());
    Path vcl = PeerPrograms.writeConfig(work, "varnish.vcl", values);
    List<String> listen = new ArrayList<>(List.of("127.0.0.1:" + httpPort));
    if (Ipv6Loopback.available()) {
      listen.add("[::1]:" + httpPort);
    }
    varnish = PeerPrograms.startVarnish(work, vcl, listen);
    // Varnish compiles the VCL with the C compiler before it listens.
    varnish.awaitPort(httpPort, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopVarnish() throws Exception {
    PeerPrograms.closeAll(varnish, jetty, proxyJetty);
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void theClientIsWhomVarnishAppendedNotWhatTheClientWrote(Adapter adapter) {
    Curl curl = Curl.from("127.0.0.81").with("-H", "X-Forwarded-For: 6.6.6.6, 127.0.0.1");
    String url = "http://127.0.0.1:" + httpPort + adapter.path() + "appended";

    Curl.Response response = curl.get(url);

    BehindProxy.clientFromForwardedFor(response, "127.0.0.81", url, () -> context(response));
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void pooledBackendConnectionsKeepEachClientApart(Adapter adapter) {
    BehindProxy.eachClientApart("http://127.0.0.1:" + httpPort + adapter.path() + "pooled",
        () -> context("pooled"));
  }

  @ParameterizedTest(name = "PROXY v{0}")
  @ValueSource(ints = {1, 2})
  void varnishsProxyHeaderCarriesEachClient(int version) {
    // Three clients one after another: each must arrive as itself, on whatever connection.
    for (String client : List.of("127.0.0.82", "127.0.0.83", "127.0.0.82")) {
      Curl curl = Curl.from(client);

      Curl.Response response = curl.get("http://127.0.0.1:" + httpPort + "/proxy-v" + version
          + "/client");

      assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
      assertThat(response.echo()).as(() -> context(response))
          .containsEntry("remote.addr", client)
          .containsEntry("remote.port", String.valueOf(curl.localPort()))
          .containsEntry("proxy.version", String.valueOf(version))
          .containsEntry("proxy.command", "PROXY")
          .containsEntry("proxy.family", "INET")
          .containsEntry("proxy.source", client + ":" + curl.localPort())
          .containsEntry("proxy.destination", "127.0.0.1:" + httpPort)
          .containsEntry("proxy.tlvTypes", "");
    }
  }

  @Test
  void everyProxyHeaderVarnishSentWasAccepted() {
    long v2Before = proxyJetty.proxy().getAcceptedV2();

    Curl.Response response = Curl.from("127.0.0.84")
        .get("http://127.0.0.1:" + httpPort + "/proxy-v2/counted");

    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.84");
    assertThat(proxyJetty.proxy().getAcceptedV2()).as("PROXY v2 headers accepted")
        .isGreaterThan(v2Before);
    assertThat(proxyJetty.proxy().getRejectedMalformed()).as("malformed PROXY headers")
        .isZero();
  }

  @ParameterizedTest(name = "PROXY v{0}")
  @ValueSource(ints = {1, 2})
  void anIpv6ClientOfVarnishArrivesAsTcp6(int version) {
    Ipv6Loopback.assume();
    Curl curl = Curl.from("::1").with("--globoff");

    Curl.Response response = curl.get("http://[::1]:" + httpPort + "/proxy-v" + version
        + "/ipv6");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    // Jetty's own text for an IPv6 peer (README D35); the PROXY header's addresses are exact.
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "[0:0:0:0:0:0:0:1]")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("proxy.version", String.valueOf(version))
        .containsEntry("proxy.family", "INET6")
        .containsEntry("proxy.source", "0:0:0:0:0:0:0:1:" + curl.localPort())
        .containsEntry("proxy.destination", "0:0:0:0:0:0:0:1:" + httpPort);
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void anIpv6ClientOfVarnishIsRfc5952TextInTheResolution(Adapter adapter) {
    Ipv6Loopback.assume();
    Curl.Response response = Curl.from("::1").with("--globoff")
        .get("http://[::1]:" + httpPort + adapter.path() + "ipv6");

    NginxHttpPeerTest.ipv6Client(response, adapter, () -> context(response));
  }

  /** What a failure message needs: what the client got and what Varnish printed. */
  private static String context(Object got) {
    return got + "\n--- varnish output ---\n" + varnish.log();
  }
}
