package dev.trustproxy.recipes.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot recipe, booted for real on 127.0.0.1 with an ephemeral port: the filter decides
 * the client, and with Boot's "native" strategy (what a cloud platform turns on) Tomcat's
 * RemoteIpValve decides first and the trust setting is bypassed: the reason for {@code none}.
 */
class SpringBootRecipeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted loopback proxy: the client from X-Forwarded-For       | loopback   | remote=203.0.113.9 | scheme=https
      untrusted peer: the header is ignored                        | 10.0.0.0/8 | remote=127.0.0.1   | scheme=http
      """)
  void theFilterDecidesTheClient(String name, String trust, String remote, String scheme)
      throws IOException {
    try (ConfigurableApplicationContext app = start(trust, "none")) {
      String response = get(port(app));
      assertThat(response).contains(remote + "\n", scheme + "\n", "resolution=Resolution[");
    }
  }

  @Test
  void theFiltersCountersAreRegisteredOverJmx() throws Exception {
    try (ConfigurableApplicationContext app = start("loopback", "none")) {
      get(port(app));
      ObjectName name = new ObjectName("dev.trustproxy:type=TrustProxyFilter,name=trustproxy");
      assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(name,
          "ResolvedFromHeader")).isEqualTo(1L);
    }
  }

  @Test
  void withTheNativeStrategyTomcatBelievesTheHeaderTheFilterWasToldToIgnore()
      throws IOException {
    // trust-proxy=false: the filter would answer the TCP peer, 127.0.0.1. Boot's "native"
    // strategy installs RemoteIpValve, which trusts 127/8 and 10/8 by default and rewrites the
    // peer before any filter runs, so the application sees the client-written address.
    try (ConfigurableApplicationContext app = start("false", "native")) {
      assertThat(get(port(app))).contains("remote=203.0.113.9\n");
    }
  }

  private static ConfigurableApplicationContext start(String trust, String strategy) {
    return new SpringApplication(TrustProxyApplication.class).run(
        "--server.address=127.0.0.1", "--server.port=0",
        "--server.forward-headers-strategy=" + strategy,
        "--trustproxy.trust-proxy=" + trust,
        "--spring.main.banner-mode=off",
        "--spring.jmx.enabled=false");
  }

  private static int port(ConfigurableApplicationContext app) {
    return ((ServletWebServerApplicationContext) app).getWebServer().getPort();
  }

  private static String get(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(("GET /who HTTP/1.1\r\nHost: app.example\r\n"
          + "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
