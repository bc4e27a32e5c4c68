package dev.trustproxy.jetty.peers;

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

/**
 * Caddy 2.6 as installed ({@code reverse_proxy} with no {@code trusted_proxies}: it sets
 * X-Forwarded-For, -Proto and -Host itself and drops the client's), terminating TLS and keeping
 * its connections to Jetty open, in front of both Jetty adapters trusting only Caddy's address:
 * the {@link ReverseProxyContract}. Caddy runs without its admin endpoint and with HOME and its
 * XDG folders in the test's folder (it saves its config there), so it writes nothing else. The
 * config is {@code peers/Caddyfile}.
 */
@RealPeers({Peer.CADDY, Peer.CURL, Peer.OPENSSL})
@Timeout(60)
class CaddyPeerTest extends ReverseProxyContract {

  @TempDir
  static Path work;

  private static AdapterBackends jetty;
  private static ExternalProcess caddy;
  private static Listeners listeners;

  @BeforeAll
  static void startCaddy() throws Exception {
    listeners = Listeners.allocate(work);
    jetty = AdapterBackends.start(Map.of("trust-proxy", "127.0.0.1"));
    Map<String, Object> values = new LinkedHashMap<>(listeners.values());
    values.putAll(jetty.ports(""));
    values.put("WORK_DIR", work);
    Path config = PeerPrograms.writeConfig(work, "Caddyfile", values);
    caddy = ExternalProcess.start("caddy", work, List.of(Peer.CADDY.path(), "run",
        "--config", config.toString(), "--adapter", "caddyfile"), Map.of(
            "HOME", work.resolve("home").toString(),
            "XDG_CONFIG_HOME", work.resolve("config").toString(),
            "XDG_DATA_HOME", work.resolve("data").toString()));
    caddy.awaitPort(listeners.httpPort(), Duration.ofSeconds(20));
    caddy.awaitPort(listeners.tlsPort(), Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopCaddy() throws Exception {
    PeerPrograms.closeAll(caddy, jetty);
  }

  @Override
  Listeners listeners() {
    return listeners;
  }

  /** What a failure message needs: what the client got and what Caddy logged. */
  @Override
  String context(Object got) {
    return got + "\n--- caddy output ---\n" + caddy.log();
  }
}
