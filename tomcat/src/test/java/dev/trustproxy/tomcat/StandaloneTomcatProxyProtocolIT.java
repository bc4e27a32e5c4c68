package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PROXY protocol connector in a real standalone Tomcat 10.1 and 11 (the distributions from
 * Maven Central, as separate processes), configured in {@code server.xml} with the jars dropped
 * into {@code CATALINA_BASE/lib}: v1 and v2 headers, and {@code curl --haproxy-protocol}, reach
 * the deployed WAR and the access log as the header's client. Only the first test runs curl, so
 * only it declares the peer: the start-up failure test needs no program.
 */
class StandaloneTomcatProxyProtocolIT {

  private static final String CONNECTOR = "<Connector address=\"127.0.0.1\" port=\"@PORT@\""
      + " protocol=\"dev.trustproxy.tomcat.TrustProxyHttp11NioProtocol\""
      + " proxyProtocolTrustedSources=\"%s\" proxyProtocolHeaderTimeout=\"3000\"/>";

  private static final String REQUEST = "GET /page HTTP/1.1\r\nHost: app.example\r\n"
      + "Connection: close\r\n\r\n";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @ParameterizedTest(name = "Tomcat {0}")
  @ValueSource(strings = {"10", "11"})
  @RealPeers(Peer.CURL)
  void v1AndV2HeadersAreWhatTheServletAndTheAccessLogSee(String line) throws Exception {
    String curl = Peer.CURL.path();
    try (StandaloneTomcat tomcat = StandaloneTomcat.of(line, "proxy-protocol")
        .connector(String.format(CONNECTOR, "loopback")).start()) {
      byte[] v1 = bytes("PROXY TCP4 203.0.113.7 198.51.100.2 40001 80\r\n");
      RawHttp.Reply first = RawHttp.exchange(tomcat.port(), concat(v1, bytes(REQUEST)));
      assertThat(first.status()).as(tomcat.output()).isEqualTo(200);
      assertThat(first.values()).containsEntry("ip", "203.0.113.7")
          .containsEntry("remoteHost", "203.0.113.7");

      byte[] v2 = dev.trustproxy.proxyprotocol.Bytes.hex(
          "SIG 21 21 00 24 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 07"
              + " 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 02 9C 42 01 BB");
      RawHttp.Reply second = RawHttp.exchange(tomcat.port(), concat(v2, bytes(REQUEST)));
      assertThat(second.values()).containsEntry("ip", "2001:db8::7");

      String body = ExternalProcess.run(Duration.ofSeconds(30), List.of(curl, "-sS",
          "--max-time", "15", "--haproxy-protocol", "--interface", "127.0.0.9",
          "http://127.0.0.1:" + tomcat.port() + "/page")).requireSuccess().stdout();
      assertThat(body).contains("ip=127.0.0.9");

      RawHttp.Reply noHeader = RawHttp.exchange(tomcat.port(), bytes(REQUEST));
      assertThat(noHeader.status()).as("a trusted peer without a header is closed").isEqualTo(-1);

      List<String> log = tomcat.accessLog("access-connection", 3);
      assertThat(log).startsWith(
          "203.0.113.7 203.0.113.7 app.example 80 peer=203.0.113.7 \"GET /page HTTP/1.1\" 200",
          "2001:db8::7 2001:db8::7 app.example 80 peer=2001:db8::7 \"GET /page HTTP/1.1\" 200",
          "127.0.0.9 127.0.0.9 127.0.0.1 " + tomcat.port()
              + " peer=127.0.0.9 \"GET /page HTTP/1.1\" 200");
      assertThat(tomcat.output()).contains("Closed connection from 127.0.0.1: bad PROXY header");
    }
  }

  @ParameterizedTest(name = "Tomcat {0}")
  @ValueSource(strings = {"10", "11"})
  void aBadAttributeKeepsTheConnectorFromStartingAndSaysWhy(String line) throws Exception {
    try (StandaloneTomcat tomcat = StandaloneTomcat.of(line, "proxy-protocol-bad")
        .connector(String.format(CONNECTOR, "10.0.0.0/33")).start()) {
      assertThat(tomcat.output())
          .contains("proxyProtocolTrustedSources: '10.0.0.0/33'")
          .contains("expected at most 32");
      try (java.net.Socket s = new java.net.Socket()) {
        assertThat(canConnect(s, tomcat.port())).as("nothing listens").isFalse();
      }
    }
  }

  private static boolean canConnect(java.net.Socket s, int port) {
    try {
      s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port),
          2000);
      return true;
    } catch (java.io.IOException refused) {
      return false;
    }
  }
}
