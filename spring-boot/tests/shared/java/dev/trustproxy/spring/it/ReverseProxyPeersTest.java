package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.CurlLines;
import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Nginx;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * nginx's http module as the README's recipe in front of the application, which sets only {@code
 * trustproxy.trust-proxy} (the starter wires the valve on Tomcat, the customizer on Jetty): the
 * controller, Spring Security's request details and the container's session cookie see the
 * client, never what it wrote. A second listener stands for nginx behind a load balancer that
 * ended TLS ({@code X-Forwarded-Proto https}). Skipped without nginx or curl, failing instead
 * under CI=true.
 */
@RealPeers({Peer.NGINX, Peer.CURL})
class ReverseProxyPeersTest {

  private static final Duration STARTUP = Duration.ofSeconds(30);

  @TempDir
  static Path work;

  private static ConfigurableApplicationContext app;
  private static ExternalProcess nginx;
  private static int plainPort;
  private static int httpsPort;

  @BeforeAll
  static void start() {
    app = Apps.start("--trustproxy.trust-proxy=127.0.0.1");
    plainPort = ExternalProcess.freePort();
    httpsPort = ExternalProcess.freePort();
    Path config = Nginx.writeHttpConfig(work, """
        server {
          listen 127.0.0.1:%1$d;
          location / {
            proxy_pass http://127.0.0.1:%3$d;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
          }
        }
        server {
          listen 127.0.0.1:%2$d;
          location / {
            proxy_pass http://127.0.0.1:%3$d;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Proto https;
          }
        }
        """.formatted(plainPort, httpsPort, Apps.port(app)));
    nginx = Nginx.start(work, config);
    nginx.awaitPort(plainPort, STARTUP);
    nginx.awaitPort(httpsPort, STARTUP);
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void theControllerAndSpringSecuritySeeTheClientNotWhatItWrote() {
    Map<String, String> who = curl("127.0.0.2", "http://127.0.0.1:" + plainPort + "/who",
        "-H", "X-Forwarded-For: 6.6.6.6, 127.0.0.1", "-H", "X-Forwarded-Host: evil.example",
        "-H", "X-Forwarded-Proto: https");

    assertThat(who).containsEntry("remote", "127.0.0.2")
        .containsEntry("security", "127.0.0.2")
        .containsEntry("resolvedClient", "127.0.0.2")
        .containsEntry("fromHeader", "true")
        .containsEntry("scheme", "http")
        .containsEntry("secure", "false")
        .containsEntry("url", "http://127.0.0.1:" + plainPort + "/who");
    assertThat(who.get(CurlLines.SET_COOKIE)).startsWith("JSESSIONID=")
        .doesNotContainIgnoringCase("secure");
  }

  @Test
  void httpsEndedInFrontOfNginxGivesTheContainersSessionCookieSecure() {
    Map<String, String> who = curl("127.0.0.3", "http://127.0.0.1:" + httpsPort + "/who");

    assertThat(who).containsEntry("remote", "127.0.0.3")
        .containsEntry("scheme", "https")
        .containsEntry("secure", "true")
        .containsEntry("url", "https://127.0.0.1:" + httpsPort + "/who");
    assertThat(who.get(CurlLines.SET_COOKIE)).startsWith("JSESSIONID=")
        .containsIgnoringCase("; Secure");
  }

  /** {@link CurlLines#get}, failing with nginx's output when the application did not answer. */
  private static Map<String, String> curl(String clientAddress, String url, String... options) {
    Map<String, String> who = CurlLines.get(clientAddress, url, options);
    assertThat(who).as(() -> who + "\n--- nginx ---\n" + nginx.log() + Nginx.errorLog(work))
        .containsKey("remote");
    return who;
  }
}
