package dev.trustproxy.recipes.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What only this module shows: the recipe (the Boot 3.5 one, transformed) runs on Spring Boot
 * 2.7 with its embedded Tomcat 9 and javax.servlet, on Java 17, hit over HTTP on 127.0.0.1.
 */
class SpringBoot27Test {

  @Test
  void theRecipeRunsOnSpringBoot27AndTomcat9() throws IOException {
    assertThat(SpringBootVersion.getVersion()).startsWith("2.7.");
    assertThat(ServerInfo.getServerNumber()).startsWith("9.0.");
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
    try (ConfigurableApplicationContext app = start()) {
      assertThat(get(app, "/who")).startsWith("HTTP/1.1 200")
          .contains("remote=203.0.113.9\n", "scheme=https\n", "secure=true\n",
              "url=https://app.example/who\n");
    }
  }

  private static ConfigurableApplicationContext start() {
    return new SpringApplication(TrustProxyApplication.class).run(
        "--server.address=127.0.0.1", "--server.port=0",
        "--trustproxy.trust-proxy=loopback",
        "--spring.main.banner-mode=off", "--spring.jmx.enabled=false");
  }

  private static String get(ConfigurableApplicationContext app, String path) throws IOException {
    int port = ((ServletWebServerApplicationContext) app).getWebServer().getPort();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: app.example\r\n"
          + "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n"
          + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
