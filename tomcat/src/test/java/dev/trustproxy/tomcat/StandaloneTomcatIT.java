package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The valve in a real standalone Tomcat 10.1 and 11 (the distributions from Maven Central, as
 * separate processes), configured in {@code server.xml} and serving a deployed WAR over
 * 127.0.0.1.
 */
class StandaloneTomcatIT {

  private static final String VALVE = "<Valve className=\"dev.trustproxy.tomcat.TrustProxyValve\""
      + " trustProxy=\"%s\" forwardedHeader=\"x-forwarded-for\"/>";

  @ParameterizedTest(name = "Tomcat {0}")
  @ValueSource(strings = {"10", "11"})
  void theClientBehindATrustedProxyIsWhatTomcatLogsServesAndSecures(String line)
      throws Exception {
    try (StandaloneTomcat tomcat = StandaloneTomcat.of(line, "valve")
        .valves(String.format(VALVE, "loopback")).start()) {
      RawHttp.Reply page = RawHttp.get(tomcat.port(), "/page?session",
          "X-Forwarded-For: 198.51.100.1, 203.0.113.7", "X-Forwarded-Proto: https",
          "X-Forwarded-Host: shop.example");
      assertThat(page.status()).as(tomcat.output()).isEqualTo(200);
      Map<String, String> got = page.values();
      assertThat(got).containsEntry("ip", "203.0.113.7")
          .containsEntry("scheme", "https")
          .containsEntry("secure", "true")
          .containsEntry("requestURL", "https://shop.example/page");
      assertThat(page.header("Set-Cookie")).singleElement().asString()
          .startsWith("JSESSIONID=").contains("; Secure");

      RawHttp.Reply secure = RawHttp.get(tomcat.port(), "/secure/page",
          "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https");
      assertThat(secure.status()).as("https-forwarded: no CONFIDENTIAL redirect").isEqualTo(200);
      RawHttp.Reply plain = RawHttp.get(tomcat.port(), "/secure/page",
          "X-Forwarded-For: 203.0.113.7");
      assertThat(plain.status()).as("plain http: redirected").isEqualTo(302);
      assertThat(plain.header("Location")).containsExactly("https://app.example:8443/secure/page");

      List<String> clientLog = tomcat.accessLog("access", 3);
      assertThat(clientLog).startsWith(
          "203.0.113.7 203.0.113.7 shop.example 443 peer=127.0.0.1 \"GET /page?session HTTP/1.1\" 200",
          "203.0.113.7 203.0.113.7 app.example 443 peer=127.0.0.1 \"GET /secure/page HTTP/1.1\" 200",
          "203.0.113.7 203.0.113.7 app.example 80 peer=127.0.0.1 \"GET /secure/page HTTP/1.1\" 302");
      List<String> connectionLog = tomcat.accessLog("access-connection", 3);
      assertThat(connectionLog).first().isEqualTo(
          "127.0.0.1 127.0.0.1 app.example 80 peer=127.0.0.1 \"GET /page?session HTTP/1.1\" 200");
      assertThat(tomcat.output()).contains("TrustProxyValve: ClientResolver");
    }
  }

  @ParameterizedTest(name = "Tomcat {0}")
  @ValueSource(strings = {"10", "11"})
  void forgedHeadersFromAnUntrustedPeerAreIgnored(String line) throws Exception {
    try (StandaloneTomcat tomcat = StandaloneTomcat.of(line, "untrusted")
        .valves(String.format(VALVE, "10.0.0.0/8")).start()) {
      RawHttp.Reply page = RawHttp.get(tomcat.port(), "/page?session",
          "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https");
      assertThat(page.values()).containsEntry("ip", "127.0.0.1")
          .containsEntry("secure", "false")
          .containsEntry("headerIgnored", "true");
      assertThat(page.header("Set-Cookie")).singleElement().asString().doesNotContain("Secure");
    }
  }

  @ParameterizedTest(name = "Tomcat {0}")
  @ValueSource(strings = {"10", "11"})
  void aBadValveSettingStopsTheStartWithTheMessage(String line) throws Exception {
    try (StandaloneTomcat tomcat = StandaloneTomcat.of(line, "bad")
        .valves(String.format(VALVE, "10.0.0.0/33"))
        .startExpectingExit()) {
      String output = tomcat.output();
      assertThat(output).contains("The required Server component failed to start")
          .contains("LifecycleException: TrustProxyValve: trustProxy: '10.0.0.0/33' has a prefix"
              + " length that is too long: expected at most 32")
          .doesNotContain("Server startup in");
    }
  }
}
