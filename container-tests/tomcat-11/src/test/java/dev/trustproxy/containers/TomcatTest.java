package dev.trustproxy.containers;

import static dev.trustproxy.containers.Webapps.FORWARDED_HTTPS;
import static dev.trustproxy.containers.Webapps.filter;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;

/**
 * The contract on embedded Tomcat (11, or 10.1 in the module that shares these sources), and what
 * only Tomcat can show: its access log hears the filter through the request attributes.
 */
class TomcatTest extends ContainerContract {

  private TomcatContainer tomcat;

  @Override
  protected Container newContainer() {
    tomcat = new TomcatContainer();
    return tomcat;
  }

  /** The access log's lines: Tomcat writes a request's line before it closes the connection. */
  private List<String> accessLog() throws Exception {
    return Files.readAllLines(tomcat.accessLog());
  }

  @Test
  void theAccessLogShowsTheClientBehindATrustedProxy() throws Exception {
    deploy(V4, false, filter("trustproxy", "trust-proxy", "loopback"));
    get("/echo", List.of("X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https",
        "X-Forwarded-Host: example.com"));
    assertThat(accessLog()).as(ServerInfo.getServerInfo())
        .containsExactly("203.0.113.7 203.0.113.7 example.com 443 /echo");
  }

  @Test
  void theAccessLogShowsThePeerWhenItsHeadersAreForged() throws Exception {
    deploy(V4, false, filter("trustproxy", "trust-proxy", "192.0.2.1"));
    get("/echo", FORWARDED_HTTPS);
    assertThat(accessLog()).as(ServerInfo.getServerInfo()).singleElement()
        .satisfies(line -> assertThat(line).startsWith("127.0.0.1 127.0.0.1 ")
            .doesNotContain("203.0.113.7"));
  }

  @Test
  void theContainerIsTheOneThisModuleNames() {
    assertThat(ServerInfo.getServerNumber())
        .startsWith(System.getProperty("trustproxy.expectTomcat", ServerInfo.getServerNumber()));
  }
}
