package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Apache httpd 2.4 with {@code mod_proxy_http} in front of both Jetty adapters trusting only
 * Apache's address, once as installed and once with the README's Apache recipe (README D22).
 * mod_proxy_http appends to X-Forwarded-For, which the walk is made for, and also to
 * X-Forwarded-Host, whose first element the adapters read (as Express does): as installed, a
 * client's own X-Forwarded-Host is then the host the application sees. The config is {@code
 * peers/apache.conf}.
 */
@RealPeers({Peer.APACHE, Peer.CURL})
@Timeout(60)
class ApachePeerTest {

  /** Where Debian's apache2 package puts its modules ({@code dpkg -L apache2-bin}). */
  private static final Path MODULES = Path.of("/usr/lib/apache2/modules");

  @TempDir
  static Path work;

  private static AdapterBackends jetty;
  private static ExternalProcess apache;
  private static int httpPort;
  private static int recipePort;

  @BeforeAll
  static void startApache() throws Exception {
    String apacheBinary = Peer.APACHE.path();
    jetty = AdapterBackends.start(Map.of("trust-proxy", "127.0.0.1"));
    httpPort = ExternalProcess.freePort();
    recipePort = ExternalProcess.freePort();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("WORK_DIR", work);
    values.put("MODULES", MODULES);
    values.put("HTTP_PORT", httpPort);
    values.put("RECIPE_PORT", recipePort);
    values.putAll(jetty.ports(""));
    Path config = PeerPrograms.writeConfig(work, "apache.conf", values);
    apache = ExternalProcess.start("apache", work,
        List.of(apacheBinary, "-f", config.toString(), "-DFOREGROUND"));
    apache.awaitPort(httpPort, Duration.ofSeconds(10));
    apache.awaitPort(recipePort, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopApache() throws Exception {
    PeerPrograms.closeAll(apache, jetty);
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void theClientIsWhomApacheAppendedNotWhatTheClientWrote(Adapter adapter) {
    Curl curl = Curl.from("127.0.0.71").with("-H", "X-Forwarded-For: 6.6.6.6, 127.0.0.1");
    String url = "http://127.0.0.1:" + httpPort + adapter.path() + "appended";

    Curl.Response response = curl.get(url);

    BehindProxy.clientFromForwardedFor(response, "127.0.0.71", url, () -> context(response));
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void asInstalledApacheLetsTheClientsForwardedHostThrough(Adapter adapter) {
    // Apache sends "evil.example, 127.0.0.1:PORT": the first element is the client's (D22).
    Curl curl = Curl.from("127.0.0.72").with("-H", "X-Forwarded-Host: evil.example");

    Curl.Response response = curl.get("http://127.0.0.1:" + httpPort + adapter.path() + "host");

    // A host without a port keeps the container's port (D12): Jetty's own.
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.72")
        .containsEntry("server.name", "evil.example")
        .containsEntry("server.port", response.get("local.port"))
        .containsEntry("request.url", "http://evil.example:" + response.get("local.port")
            + adapter.path() + "host");
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void theRecipeKeepsOnlyApachesHostAndScheme(Adapter adapter) {
    Curl curl = Curl.from("127.0.0.73").with("-H", "X-Forwarded-Host: evil.example",
        "-H", "X-Forwarded-Proto: https", "-H", "X-Forwarded-For: 6.6.6.6");
    String url = "http://127.0.0.1:" + recipePort + adapter.path() + "recipe";

    Curl.Response response = curl.get(url);

    BehindProxy.clientFromForwardedFor(response, "127.0.0.73", url, () -> context(response));
  }

  /** What a failure message needs: what the client got and what Apache logged. */
  private static String context(Object got) {
    return got + "\n--- apache output ---\n" + apache.log() + "\n--- apache error.log ---\n"
        + ExternalProcess.readQuietly(work.resolve("error.log"));
  }
}
