package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.jetty.peers.EchoServer.Adapter;
import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Nginx;
import dev.trustproxy.testsupport.Ipv6Loopback;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * nginx 1.22 as an HTTP reverse proxy, configured as the README's recipe (X-Forwarded-For
 * appended, X-Forwarded-Proto, -Host and X-Real-IP overwritten), terminating TLS and keeping its
 * connections to Jetty open ({@code keepalive}), in front of both Jetty adapters trusting only
 * nginx's address: the {@link ReverseProxyContract}, an IPv6 client and X-Real-IP. The config is
 * {@code peers/nginx-http.conf}.
 */
@RealPeers({Peer.NGINX, Peer.CURL, Peer.OPENSSL})
@Timeout(60)
class NginxHttpPeerTest extends ReverseProxyContract {

  @TempDir
  static Path work;

  private static AdapterBackends jetty;
  private static AdapterBackends realIpJetty;
  private static ExternalProcess nginx;
  private static Listeners listeners;

  @BeforeAll
  static void startNginx() throws Exception {
    listeners = Listeners.allocate(work);
    // nginx connects from 127.0.0.1; clients use other loopback addresses.
    jetty = AdapterBackends.start(Map.of("trust-proxy", "127.0.0.1"));
    realIpJetty = AdapterBackends.start(Map.of("trust-proxy", "127.0.0.1",
        "forwarded-header", "x-real-ip"));
    int readyPort = ExternalProcess.freePort();
    Map<String, Object> values = new LinkedHashMap<>(listeners.values());
    values.put("READY_PORT", readyPort);
    values.put("IPV6_LISTEN", Ipv6Loopback.available()
        ? "listen [::1]:" + listeners.httpPort() + ";" : "# no IPv6 loopback");
    values.putAll(jetty.ports(""));
    values.putAll(realIpJetty.ports("REAL_IP_"));
    nginx = Nginx.start(work,
        Nginx.writeHttpConfig(work, PeerPrograms.render("nginx-http.conf", values)));
    nginx.awaitPort(readyPort, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopNginx() throws Exception {
    PeerPrograms.closeAll(nginx, jetty, realIpJetty);
  }

  @Override
  Listeners listeners() {
    return listeners;
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void anIpv6ClientOfNginxIsRfc5952TextInTheResolution(Adapter adapter) {
    Ipv6Loopback.assume();
    Curl curl = Curl.from("::1").with("--globoff");
    String url = "http://[::1]:" + listeners.httpPort() + adapter.path() + "ipv6";

    Curl.Response response = curl.get(url);

    ipv6Client(response, adapter, () -> context(response));
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("server.port", String.valueOf(listeners.httpPort()))
        .containsEntry("request.url", url);
  }

  /**
   * The client {@code ::1} from X-Forwarded-For: RFC 5952 text in the Resolution; the servlet's
   * {@code getRemoteAddr()} is too under the filter, and Jetty's own text under the customizer
   * (README D35).
   */
  static void ipv6Client(Curl.Response response, Adapter adapter,
      java.util.function.Supplier<String> context) {
    assertThat(response.status()).as(context).isEqualTo(200);
    assertThat(response.echo()).as(context)
        .containsEntry("remote.addr", adapter == Adapter.FILTER ? "::1" : "[0:0:0:0:0:0:0:1]")
        .containsEntry("client.text", "::1")
        .containsEntry("client.header", "x-forwarded-for")
        .containsEntry("server.name", "[::1]");
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void xRealIpThatNginxOverwroteNamesTheClient(Adapter adapter) {
    Curl curl = Curl.from("127.0.0.46").with("-H", "X-Real-IP: 6.6.6.6");

    Curl.Response response = curl.get("http://127.0.0.1:" + listeners.httpPort() + "/real-ip"
        + adapter.path() + "x-real-ip");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.46")
        .containsEntry("client.header", "x-real-ip")
        .containsEntry("client.index", "1");
  }

  /** What a failure message needs: what the client got and what nginx logged. */
  @Override
  String context(Object got) {
    return got + "\n--- nginx output ---\n" + nginx.log() + "\n--- nginx error.log ---\n"
        + Nginx.errorLog(work);
  }
}
