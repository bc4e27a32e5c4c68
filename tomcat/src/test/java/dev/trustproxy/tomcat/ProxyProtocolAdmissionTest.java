package dev.trustproxy.tomcat;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may send a header, who must, and what happens to the others, on a real embedded Tomcat:
 * untrusted peers closed or served plain, trusted peers closed without a valid header (unless the
 * optional-header mode lets a health check through), and the absolute deadline from accept.
 */
class ProxyProtocolAdmissionTest {

  /** The deadline the timing tests use; they only check "closed before 10 times this". */
  private static final int DEADLINE_MILLIS = 1000;

  private static final byte[] V1 = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n");

  private static long count(ProxyProtocolTomcat tomcat, Outcome outcome) {
    return tomcat.protocol().getProxyProtocolCounters().count(outcome);
  }

  @Test
  void anUntrustedPeerIsClosedBeforeAnythingIsRead() throws Exception {
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("10.0.0.0/8");
        RawClient client = new RawClient(tomcat.port())) {
      RawClient.Outcome outcome = client.sendIgnoringReset(concat(V1, TomcatRequests.GET))
          .readUntilClosed();
      assertThat(outcome.closed()).isTrue();
      assertThat(outcome.noResponse()).isTrue();
      assertThat(count(tomcat, Outcome.REJECTED_UNTRUSTED)).isEqualTo(1);
      assertThat(tomcat.protocol().getProxyProtocolRejectedUntrusted()).isEqualTo(1);
    }
  }

  @Test
  void anUntrustedPeerIsServedPlainWithPlainAndItsHeaderIsBadHttp() throws Exception {
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("10.0.0.0/8",
        c -> c.setProperty("proxyProtocolUntrustedPeers", "PLAIN"))) {
      try (RawClient client = new RawClient(tomcat.port())) {
        assertThat(client.send(TomcatRequests.GET).readUntilClosed().echo())
            .containsEntry("remoteAddr", "127.0.0.1")
            .containsEntry("remotePort", Integer.toString(client.localPort()))
            .containsEntry("header", "false");
      }
      try (RawClient client = new RawClient(tomcat.port())) {
        assertThat(client.send(concat(V1, TomcatRequests.GET)).readUntilClosed().response())
            .startsWith("HTTP/1.1 400");
      }
      assertThat(count(tomcat, Outcome.PLAIN_UNTRUSTED)).isEqualTo(2);
      assertThat(count(tomcat, Outcome.ACCEPTED_V1)).isZero();
    }
  }

  record Missing(String name, Consumer<Connector> config, byte[] sent, Outcome counted,
      boolean served) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Missing> trustedPeersWithoutAHeader() {
    Consumer<Connector> strict = c -> {};
    Consumer<Connector> optional = c -> c.setProperty("proxyProtocolOptionalHeader", "true");
    return Stream.of(
        new Missing("plain HTTP from a trusted peer is closed", strict, TomcatRequests.GET,
            Outcome.REJECTED_MALFORMED, false),
        new Missing("optional header: plain HTTP from a trusted peer is served", optional,
            TomcatRequests.GET, Outcome.PLAIN_WITHOUT_HEADER, true),
        new Missing("optional header: a bad header is still closed", optional,
            concat(ascii("PROXY TCP4 010.0.0.1 192.0.2.1 1 2\r\n"), TomcatRequests.GET),
            Outcome.REJECTED_MALFORMED, false),
        new Missing("a TLS ClientHello instead of a header is closed", strict,
            new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0, 0, 1, 0},
            Outcome.REJECTED_MALFORMED, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trustedPeersWithoutAHeader")
  void aTrustedPeerMustSendAValidHeader(Missing c) throws Exception {
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("127.0.0.1", c.config());
        RawClient client = new RawClient(tomcat.port())) {
      RawClient.Outcome outcome = client.sendIgnoringReset(c.sent()).readUntilClosed();
      assertThat(outcome.closed()).isTrue();
      if (c.served()) {
        assertThat(outcome.echo()).containsEntry("remoteAddr", "127.0.0.1")
            .containsEntry("header", "false");
      } else {
        assertThat(outcome.noResponse()).as(outcome.response()).isTrue();
      }
      assertThat(count(tomcat, c.counted())).isEqualTo(1);
    }
  }

  record Stall(String name, byte[] sent, int pauseMillisPerByte) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Stall> stalls() {
    return Stream.of(
        new Stall("nothing at all", new byte[0], 0),
        new Stall("a partial v1 line", ascii("PROXY TCP4 192.0.2.1 "), 0),
        new Stall("a partial v2 prefix", new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00}, 0),
        // 20 bytes over 3 s: bytes keep coming after the deadline, which they must not extend.
        new Stall("a v1 line trickled one byte per 150 ms", ascii("PROXY TCP4 192.0.2.1"), 150));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stalls")
  void aHeaderThatIsNotCompleteAtTheDeadlineIsClosed(Stall c) throws Exception {
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("127.0.0.1",
            conn -> conn.setProperty("proxyProtocolHeaderTimeout", Integer.toString(DEADLINE_MILLIS)));
        RawClient client = new RawClient(tomcat.port())) {
      if (c.pauseMillisPerByte() == 0) {
        client.sendIgnoringReset(c.sent());
      } else {
        for (int i = 0; i < c.sent().length; i++) {
          client.sendIgnoringReset(c.sent(), i, i + 1);
          Thread.sleep(c.pauseMillisPerByte());
        }
      }
      RawClient.Outcome outcome = client.readUntilClosed();
      assertThat(outcome.closed()).isTrue();
      assertThat(outcome.noResponse()).isTrue();
      assertThat(outcome.millis()).isLessThan(10L * DEADLINE_MILLIS);
      assertThat(count(tomcat, Outcome.REJECTED_TIMEOUT)).isEqualTo(1);
      assertThat(count(tomcat, Outcome.REJECTED_MALFORMED)).isZero();
    }
  }

  @Test
  void aHeaderCompletedBeforeTheDeadlineIsServedAfterIt() throws Exception {
    // The deadline covers the header only: the request may follow later.
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("127.0.0.1",
            conn -> conn.setProperty("proxyProtocolHeaderTimeout", Integer.toString(DEADLINE_MILLIS)));
        RawClient client = new RawClient(tomcat.port())) {
      client.send(V1);
      Thread.sleep(3L * DEADLINE_MILLIS);
      assertThat(client.send(TomcatRequests.GET).readUntilClosed().echo())
          .containsEntry("remoteAddr", "192.0.2.1");
      assertThat(count(tomcat, Outcome.REJECTED_TIMEOUT)).isZero();
    }
  }
}
