package dev.trustproxy.tomcat;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connector on a real embedded Tomcat, configured from code, hit over 127.0.0.1: what the
 * servlet API and the access log report for each kind of header, and that keep-alive requests
 * keep the connection's header.
 */
class ProxyProtocolConnectorTest {

  private static ProxyProtocolTomcat tomcat;

  @BeforeAll
  static void start() throws Exception {
    tomcat = ProxyProtocolTomcat.start("127.0.0.1");
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.close();
  }

  record Case(String name, byte[] header, String remoteAddr, String remotePort, String localAddr,
      String localPort) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** {@code null} addresses: the real TCP endpoints (127.0.0.1, the client's port). */
  static Stream<Case> headers() {
    return Stream.of(
        new Case("v1 TCP4", ascii("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n"),
            "192.0.2.1", "1234", "198.51.100.2", "80"),
        new Case("v1 TCP6 in canonical text",
            ascii("PROXY TCP6 2001:DB8:0:0:0:0:0:1 2001:db8::2 4321 443\r\n"),
            "2001:db8::1", "4321", "2001:db8::2", "443"),
        new Case("v1 TCP6 IPv4-mapped source is the IPv4 address",
            ascii("PROXY TCP6 ::ffff:192.0.2.9 2001:db8::2 4321 443\r\n"),
            "192.0.2.9", "4321", "2001:db8::2", "443"),
        new Case("v1 UNKNOWN keeps the real endpoints", ascii("PROXY UNKNOWN\r\n"),
            null, null, null, null),
        new Case("v2 PROXY TCP4", hex("SIG 21 11 00 0C C0 00 02 01 C6 33 64 02 DC 04 01 BB"),
            "192.0.2.1", "56324", "198.51.100.2", "443"),
        new Case("v2 PROXY TCP6",
            hex("SIG 21 21 00 24 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 01"
                + " 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 02 DC 04 01 BB"),
            "2001:db8::1", "56324", "2001:db8::2", "443"),
        new Case("v2 LOCAL keeps the real endpoints", hex("SIG 20 00 00 00"),
            null, null, null, null),
        new Case("v2 LOCAL with an address block keeps the real endpoints",
            hex("SIG 20 11 00 0C C0 00 02 01 C6 33 64 02 DC 04 01 BB"),
            null, null, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  void theServletAndTheAccessLogSeeTheHeaderAddresses(Case c) throws Exception {
    tomcat.forgetHeaders();
    int linesBefore = tomcat.accessLogLines(0).size();
    Map<String, String> echo;
    int clientPort;
    try (RawClient client = new RawClient(tomcat.port())) {
      clientPort = client.localPort();
      echo = client.send(concat(c.header(), TomcatRequests.GET)).readUntilClosed().echo();
    }
    String remoteAddr = c.remoteAddr() != null ? c.remoteAddr() : "127.0.0.1";
    String remotePort = c.remotePort() != null ? c.remotePort() : Integer.toString(clientPort);
    String localAddr = c.localAddr() != null ? c.localAddr() : "127.0.0.1";
    String localPort = c.localPort() != null ? c.localPort() : Integer.toString(tomcat.port());
    assertThat(echo)
        .containsEntry("remoteAddr", remoteAddr)
        .containsEntry("remoteHost", remoteAddr)
        .containsEntry("remotePort", remotePort)
        .containsEntry("localAddr", localAddr)
        .containsEntry("localPort", localPort)
        .containsEntry("header", "true");
    ProxyHeader header = tomcat.nextHeader();
    assertThat(header).isNotNull();
    assertThat(header.version()).isEqualTo(c.header()[0] == 'P' ? 1 : 2);
    List<String> log = tomcat.accessLogLines(linesBefore + 1);
    assertThat(log).hasSize(linesBefore + 1);
    assertThat(log.get(linesBefore))
        .isEqualTo(remoteAddr + " " + remotePort + " " + remoteAddr + " GET /echo HTTP/1.1");
  }

  @Test
  void everyKeepAliveRequestOfTheConnectionSeesItsHeader() throws Exception {
    tomcat.forgetHeaders();
    byte[] keepAlive = ascii("GET /one HTTP/1.1\r\nHost: tomcat.test\r\n\r\n");
    String response;
    try (RawClient client = new RawClient(tomcat.port())) {
      client.send(concat(ascii("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n"), keepAlive));
      ProxyHeader first = tomcat.nextHeader();
      client.send(TomcatRequests.GET);
      response = client.readUntilClosed().response();
      assertThat(tomcat.nextHeader()).isSameAs(first).isNotNull();
    }
    assertThat(response.split("remoteAddr=192.0.2.1 ", -1)).hasSize(3);
  }

  @Test
  void aSecondHeaderOnTheConnectionIsApplicationData() throws Exception {
    long malformed = tomcat.protocol().getProxyProtocolRejectedMalformed();
    String response;
    try (RawClient client = new RawClient(tomcat.port())) {
      byte[] header = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n");
      response = client.send(concat(header, header, TomcatRequests.GET)).readUntilClosed().response();
    }
    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(tomcat.protocol().getProxyProtocolRejectedMalformed()).isEqualTo(malformed);
  }

  @Test
  void countersCountAcceptedHeadersByVersion() throws Exception {
    long v1 = tomcat.protocol().getProxyProtocolAcceptedV1();
    long v2 = tomcat.protocol().getProxyProtocolAcceptedV2();
    try (RawClient client = new RawClient(tomcat.port())) {
      client.send(concat(ascii("PROXY UNKNOWN\r\n"), TomcatRequests.GET)).readUntilClosed();
    }
    assertThat(tomcat.protocol().getProxyProtocolAcceptedV1()).isEqualTo(v1 + 1);
    assertThat(tomcat.protocol().getProxyProtocolAcceptedV2()).isEqualTo(v2);
    assertThat(tomcat.protocol().getProxyProtocolCounters().count(Outcome.ACCEPTED_V1))
        .isEqualTo(v1 + 1);
  }

  @Test
  void forwardAndAsyncDispatchesSeeTheHeaderAndItsAddresses() throws Exception {
    byte[] header = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n");
    for (String path : new String[] {"/session", "/async"}) {
      tomcat.forgetHeaders();
      byte[] request = ascii("GET " + path + " HTTP/1.1\r\nHost: tomcat.test\r\n"
          + "Connection: close\r\n\r\n");
      try (RawClient client = new RawClient(tomcat.port())) {
        assertThat(client.send(concat(header, request)).readUntilClosed().echo())
            .as(path).containsEntry("remoteAddr", "192.0.2.1").containsEntry("header", "true");
      }
      assertThat(tomcat.nextHeader()).as(path).isNotNull();
    }
  }

  @Test
  void theValveWalksFromTheHeadersSourceAsItsPeer() throws Exception {
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy("10.0.0.0/8");
    try (ProxyProtocolTomcat withValve = ProxyProtocolTomcat.startWithValve("127.0.0.1", valve)) {
      byte[] fromProxy = ascii("PROXY TCP4 10.0.0.5 198.51.100.2 1234 80\r\n");
      byte[] fromClient = ascii("PROXY TCP4 198.51.100.1 198.51.100.2 1234 80\r\n");
      byte[] request = ascii("GET /echo HTTP/1.1\r\nHost: tomcat.test\r\n"
          + "X-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n");
      try (RawClient client = new RawClient(withValve.port())) {
        assertThat(client.send(concat(fromProxy, request)).readUntilClosed().echo())
            .as("the header's source is a trusted proxy: the valve takes the forwarded client")
            .containsEntry("remoteAddr", "203.0.113.9");
      }
      try (RawClient client = new RawClient(withValve.port())) {
        assertThat(client.send(concat(fromClient, request)).readUntilClosed().echo())
            .as("the header's source is not trusted by the valve: its header is ignored")
            .containsEntry("remoteAddr", "198.51.100.1");
      }
      List<String> log = withValve.accessLogLines(2);
      assertThat(log).hasSize(2);
      assertThat(log.get(0)).startsWith("10.0.0.5 1234 10.0.0.5 ");
    }
  }
}
