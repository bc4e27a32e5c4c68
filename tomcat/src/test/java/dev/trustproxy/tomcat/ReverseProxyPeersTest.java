package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.CurlLines;
import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Nginx;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTP reverse proxies in front of {@link TrustProxyValve} on the engine, trusting only
 * their address (127.0.0.1): nginx's http module as the README's recipe (X-Forwarded-For
 * appended, the others overwritten, TLS ended by nginx) and Apache httpd's {@code
 * mod_proxy_http} as installed and with the README's recipe (D22). Clients come from other
 * loopback addresses; Tomcat's own machinery (its session cookie, its access log with {@code
 * requestAttributesEnabled}) must show what the servlet shows.
 */
@RealPeers({Peer.NGINX, Peer.APACHE, Peer.CURL, Peer.OPENSSL})
@Timeout(120)
class ReverseProxyPeersTest {

  /** How long the proxies may take to listen on a loaded, shared machine. */
  private static final Duration STARTUP = Duration.ofSeconds(20);

  /** Where Debian's apache2 package puts its modules ({@code dpkg -L apache2-bin}). */
  private static final String APACHE_MODULES = "/usr/lib/apache2/modules";

  @TempDir static Path work;

  private static TlsMaterial tls;
  private static CapturingAccessLog accessLog;
  private static EmbeddedTomcat tomcat;
  private static ExternalProcess nginx;
  private static ExternalProcess apache;
  private static int nginxPort;
  private static int nginxTlsPort;
  private static int apachePort;
  private static int apacheRecipePort;

  @BeforeAll
  static void start() throws Exception {
    tls = TlsMaterial.create(work);
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy("127.0.0.1");
    accessLog = new CapturingAccessLog("%a %{peer}a %v %p %r", true);
    tomcat = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    tomcat.engine().getPipeline().addValve(accessLog);
    tomcat.engine().getPipeline().addValve(valve);
    tomcat.start();
    startNginx();
    startApache();
  }

  private static void startNginx() {
    nginxPort = ExternalProcess.freePort();
    nginxTlsPort = ExternalProcess.freePort();
    Path config = Nginx.writeHttpConfig(work, """
        server {
          listen 127.0.0.1:%1$d;
          listen 127.0.0.1:%2$d ssl;
          ssl_certificate %4$s;
          ssl_certificate_key %5$s;
          location / {
            proxy_pass http://127.0.0.1:%3$d;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
          }
        }
        """.formatted(nginxPort, nginxTlsPort, tomcat.port(), tls.certificate(), tls.key()));
    nginx = Nginx.start(work, config);
    nginx.awaitPort(nginxPort, STARTUP);
  }

  private static void startApache() {
    apachePort = ExternalProcess.freePort();
    apacheRecipePort = ExternalProcess.freePort();
    String conf = """
        ServerRoot %1$s
        DefaultRuntimeDir %1$s
        PidFile %1$s/httpd.pid
        ErrorLog %1$s/apache-error.log
        LogLevel warn
        ServerName peers.test
        User www-data
        Group www-data
        LoadModule mpm_event_module %5$s/mod_mpm_event.so
        LoadModule authz_core_module %5$s/mod_authz_core.so
        LoadModule headers_module %5$s/mod_headers.so
        LoadModule proxy_module %5$s/mod_proxy.so
        LoadModule proxy_http_module %5$s/mod_proxy_http.so
        StartServers 1
        ServerLimit 1
        ThreadsPerChild 16
        MinSpareThreads 1
        MaxSpareThreads 16
        MaxRequestWorkers 16
        Listen 127.0.0.1:%2$d
        Listen 127.0.0.1:%3$d
        <VirtualHost 127.0.0.1:%2$d>
          ProxyPass / http://127.0.0.1:%4$d/
        </VirtualHost>
        <VirtualHost 127.0.0.1:%3$d>
          RequestHeader unset X-Forwarded-Host
          RequestHeader set X-Forwarded-Proto "http"
          ProxyPass / http://127.0.0.1:%4$d/
        </VirtualHost>
        """.formatted(work, apachePort, apacheRecipePort, tomcat.port(), APACHE_MODULES);
    Path config = write("apache.conf", conf);
    apache = ExternalProcess.start("apache", work,
        List.of(Peer.APACHE.path(), "-f", config.toString(), "-DFOREGROUND"));
    apache.awaitPort(apachePort, STARTUP);
    apache.awaitPort(apacheRecipePort, STARTUP);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (nginx != null) {
        nginx.close();
      }
      if (apache != null) {
        apache.close();
      }
    } finally {
      if (tomcat != null) {
        tomcat.close();
      }
    }
  }

  @Test
  void behindNginxTheServletAndTheAccessLogSeeTheClientNotWhatItWrote() throws Exception {
    Map<String, String> echo = curl("127.0.0.91", "http://127.0.0.1:" + nginxPort + "/nginx",
        "-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Host: evil.example",
        "-H", "X-Forwarded-Proto: https");

    assertThat(echo).containsEntry("ip", "127.0.0.91")
        .containsEntry("remoteHost", "127.0.0.91")
        .containsEntry("scheme", "http")
        .containsEntry("secure", "false")
        .containsEntry("serverName", "127.0.0.1")
        .containsEntry("serverPort", String.valueOf(nginxPort))
        .containsEntry("requestURL", "http://127.0.0.1:" + nginxPort + "/nginx")
        .containsEntry("clientHeader", "x-forwarded-for");
    assertThat(accessLog.nextContaining(" /nginx "))
        .isEqualTo("127.0.0.91 127.0.0.1 127.0.0.1 " + nginxPort + " GET /nginx HTTP/1.0");
  }

  @Test
  void tlsEndedByNginxIsHttpsAndTomcatsSessionCookieIsSecure() {
    String url = "https://localhost:" + nginxTlsPort + "/tls?session";
    Map<String, String> echo = curl("127.0.0.92", url, "--cacert", tls.certificate().toString(),
        "--resolve", "localhost:" + nginxTlsPort + ":127.0.0.1");

    assertThat(echo).containsEntry("ip", "127.0.0.92")
        .containsEntry("scheme", "https")
        .containsEntry("secure", "true")
        .containsEntry("serverName", "localhost")
        .containsEntry("serverPort", String.valueOf(nginxTlsPort))
        .containsEntry("requestURL", "https://localhost:" + nginxTlsPort + "/tls");
    assertThat(echo.get(CurlLines.SET_COOKIE)).startsWith("JSESSIONID=")
        .containsIgnoringCase("; Secure");
  }

  @Test
  void plainHttpThroughNginxGetsASessionCookieWithoutSecure() {
    Map<String, String> echo = curl("127.0.0.93",
        "http://127.0.0.1:" + nginxPort + "/plain?session");

    assertThat(echo).containsEntry("secure", "false");
    assertThat(echo.get(CurlLines.SET_COOKIE)).startsWith("JSESSIONID=")
        .doesNotContainIgnoringCase("secure");
  }

  @Test
  void behindApacheTheClientIsWhomApacheAppended() throws Exception {
    Map<String, String> echo = curl("127.0.0.94", "http://127.0.0.1:" + apachePort + "/apache",
        "-H", "X-Forwarded-For: 6.6.6.6, 127.0.0.1");

    assertThat(echo).containsEntry("ip", "127.0.0.94")
        .containsEntry("serverName", "127.0.0.1")
        .containsEntry("serverPort", String.valueOf(apachePort))
        .containsEntry("clientHeader", "x-forwarded-for");
    assertThat(accessLog.nextContaining(" /apache "))
        .startsWith("127.0.0.94 127.0.0.1 127.0.0.1 " + apachePort + " ");
  }

  @Test
  void asInstalledApacheLetsTheClientsForwardedHostThrough() {
    // Apache sends "evil.example, 127.0.0.1:PORT": the first element is the client's (D22).
    Map<String, String> echo = curl("127.0.0.95", "http://127.0.0.1:" + apachePort + "/host",
        "-H", "X-Forwarded-Host: evil.example");

    assertThat(echo).containsEntry("ip", "127.0.0.95")
        .containsEntry("serverName", "evil.example");
  }

  @Test
  void theApacheRecipeKeepsOnlyApachesHostAndScheme() {
    Map<String, String> echo = curl("127.0.0.96",
        "http://127.0.0.1:" + apacheRecipePort + "/recipe", "-H", "X-Forwarded-Host: evil.example",
        "-H", "X-Forwarded-Proto: https");

    assertThat(echo).containsEntry("ip", "127.0.0.96")
        .containsEntry("scheme", "http")
        .containsEntry("secure", "false")
        .containsEntry("serverName", "127.0.0.1")
        .containsEntry("serverPort", String.valueOf(apacheRecipePort))
        .containsEntry("requestURL", "http://127.0.0.1:" + apacheRecipePort + "/recipe");
  }

  /** {@link CurlLines#get}, failing with the proxies' output when the echo did not answer. */
  private static Map<String, String> curl(String clientAddress, String url, String... options) {
    Map<String, String> echo = CurlLines.get(clientAddress, url, options);
    assertThat(echo).as(() -> echo + "\n--- nginx ---\n" + nginx.log() + Nginx.errorLog(work)
        + "\n--- apache ---\n" + apache.log()).containsKey("ip");
    return echo;
  }

  private static Path write(String name, String text) {
    try {
      return Files.writeString(work.resolve(name), text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
