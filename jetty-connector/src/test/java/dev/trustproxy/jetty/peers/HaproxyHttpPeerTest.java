package dev.trustproxy.jetty.peers;

import dev.trustproxy.jetty.peers.EchoServer.Adapter;
import dev.trustproxy.testsupport.ExternalProcess;
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
 * HAProxy 2.6 in {@code mode http} in front of both Jetty adapters trusting only HAProxy's
 * address: {@code option forwardfor} adds its own X-Forwarded-For field line after the client's
 * lines, X-Forwarded-Proto and -Host are overwritten, HAProxy terminates TLS and shares its
 * connections to Jetty ({@code http-reuse always}): the {@link ReverseProxyContract}, and client
 * lines before HAProxy's. The config is {@code peers/haproxy-http.cfg}.
 */
@RealPeers({Peer.HAPROXY, Peer.CURL, Peer.OPENSSL})
@Timeout(60)
class HaproxyHttpPeerTest extends ReverseProxyContract {

  @TempDir
  static Path work;

  private static AdapterBackends jetty;
  private static ExternalProcess haproxy;
  private static Listeners listeners;

  @BeforeAll
  static void startHaproxy() throws Exception {
    String haproxyBinary = Peer.HAPROXY.path();
    listeners = Listeners.allocate(work);
    jetty = AdapterBackends.start(Map.of("trust-proxy", "127.0.0.1"));
    int readyPort = ExternalProcess.freePort();
    Map<String, Object> values = new LinkedHashMap<>(listeners.values());
    values.put("READY_PORT", readyPort);
    values.putAll(jetty.ports(""));
    Path config = PeerPrograms.writeConfig(work, "haproxy-http.cfg", values);
    haproxy = ExternalProcess.start("haproxy", work,
        List.of(haproxyBinary, "-db", "-f", config.toString()));
    haproxy.awaitPort(readyPort, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopHaproxy() throws Exception {
    PeerPrograms.closeAll(haproxy, jetty);
  }

  @Override
  Listeners listeners() {
    return listeners;
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void haproxysOwnFieldLineNamesTheClientBehindTheLinesItWrote(Adapter adapter) {
    // Two lines from the client, then HAProxy's: the walk reads them joined, from the right.
    Curl curl = Curl.from("127.0.0.61").with("-H", "X-Forwarded-For: 6.6.6.6",
        "-H", "X-Forwarded-For: 7.7.7.7, 127.0.0.1", "-H", "X-Forwarded-Host: evil.example",
        "-H", "X-Forwarded-Proto: https");
    String url = "http://127.0.0.1:" + listeners.httpPort() + adapter.path() + "lines";

    Curl.Response response = curl.get(url);

    BehindProxy.clientFromForwardedFor(response, "127.0.0.61", url, () -> context(response));
  }

  /** What a failure message needs: what the client got and what haproxy logged. */
  @Override
  String context(Object got) {
    return got + "\n--- haproxy output ---\n" + haproxy.log();
  }
}
