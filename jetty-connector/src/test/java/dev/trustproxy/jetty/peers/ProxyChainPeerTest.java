package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.jetty.peers.EchoServer.Adapter;
import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Nginx;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two real proxies in a row, Varnish then nginx, each appending its client to X-Forwarded-For,
 * in front of both Jetty adapters: a hop count of 2 names the client, a hop count of 1 names
 * Varnish (the entry nginx appended). The peer gate ({@code trusted-peers}) admits only nginx's
 * address. The configs are {@code peers/chain-varnish.vcl} and {@code peers/chain-nginx.conf}.
 */
@RealPeers({Peer.VARNISH, Peer.NGINX, Peer.CURL})
@Timeout(60)
class ProxyChainPeerTest {

  @TempDir
  static Path work;

  private static AdapterBackends twoHops;
  private static AdapterBackends oneHop;
  private static ExternalProcess nginx;
  private static ExternalProcess varnish;
  private static int varnishPort;

  @BeforeAll
  static void startChain() throws Exception {
    twoHops = AdapterBackends.start(Map.of("trust-proxy", "2", "trusted-peers", "127.0.0.1"));
    oneHop = AdapterBackends.start(Map.of("trust-proxy", "1", "trusted-peers", "127.0.0.1"));
    int nginxPort = ExternalProcess.freePort();
    varnishPort = ExternalProcess.freePort();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("NGINX_PORT", nginxPort);
    values.putAll(twoHops.ports("HOPS_"));
    values.putAll(oneHop.ports("ONE_HOP_"));
    nginx = Nginx.start(work,
        Nginx.writeHttpConfig(work, PeerPrograms.render("chain-nginx.conf", values)));
    nginx.awaitPort(nginxPort, Duration.ofSeconds(10));
    Path vcl = PeerPrograms.writeConfig(work, "chain-varnish.vcl", values);
    varnish = PeerPrograms.startVarnish(work, vcl, List.of("127.0.0.1:" + varnishPort));
    varnish.awaitPort(varnishPort, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopChain() throws Exception {
    PeerPrograms.closeAll(varnish, nginx, twoHops, oneHop);
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void twoTrustedHopsNameTheClientOfTheFirstProxy(Adapter adapter) {
    Curl.Response response = Curl.from("127.0.0.111").with("-H", "X-Forwarded-For: 6.6.6.6")
        .get("http://127.0.0.1:" + varnishPort + "/hops" + adapter.path() + "chain");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.111")
        .containsEntry("client.index", "2");
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void oneTrustedHopNamesTheFirstProxy(Adapter adapter) {
    Curl.Response response = Curl.from("127.0.0.112").with("-H", "X-Forwarded-For: 6.6.6.6")
        .get("http://127.0.0.1:" + varnishPort + "/one-hop" + adapter.path() + "chain");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.1")
        .containsEntry("client.index", "1");
  }

  /** What a failure message needs: what the client got and what both proxies printed. */
  private static String context(Object got) {
    return got + "\n--- varnish output ---\n" + varnish.log() + "\n--- nginx error.log ---\n"
        + Nginx.errorLog(work);
  }
}
