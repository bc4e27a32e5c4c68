package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.proxyprotocol.Bytes;
import dev.trustproxy.testsupport.RawClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PROXY protocol switched on by properties alone, on the container's own connector: the header's
 * source becomes the peer the whole application sees, and the meters count each connection. The
 * header bytes are written by hand here, so these tests need no real proxy (RealPeersTest has
 * curl and haproxy).
 */
class ProxyProtocolTest {

  private static ConfigurableApplicationContext app;
  private static int port;

  @BeforeAll
  static void start() {
    // Only 127.0.0.1 may send PROXY headers; the header's source, not 127.0.0.1, is trusted by
    // trust-proxy, so its X-Forwarded-For is believed only when the header says 10.1.2.3.
    app = Apps.start("--trustproxy.proxy-protocol.enabled=true",
        "--trustproxy.proxy-protocol.trusted-sources=127.0.0.1",
        "--trustproxy.trust-proxy=10.1.2.3");
    port = Apps.port(app);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static byte[] v1(String source) {
    return ("PROXY TCP4 " + source + " 127.0.0.1 50000 " + port + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A v2 PROXY TCP4 header from {@code a.b.c.d} port 50000 to 127.0.0.1. */
  private static byte[] v2(int a, int b, int c, int d) {
    return Bytes.v2(0x21, 0x11, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d,
        127, 0, 0, 1, (byte) 0xC3, 0x50, (byte) (port >>> 8), (byte) port});
  }

  @Test
  void aV1HeaderMakesItsSourceThePeer() throws Exception {
    long before = connections("accepted", "1", "none");
    assertThat(Apps.send(port, v1("198.51.100.7"), "/who").echo())
        .containsEntry("remote", "198.51.100.7").containsEntry("proxyHeader", "true")
        .containsEntry("security", "198.51.100.7");
    assertThat(connections("accepted", "1", "none")).isEqualTo(before + 1);
  }

  @Test
  void aV1HeaderSentByteByByteIsTheSame() throws Exception {
    byte[] header = v1("198.51.100.9");
    byte[] request = ("GET /who HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    try (RawClient client = new RawClient(port)) {
      for (byte b : header) {
        client.send(new byte[] {b});
      }
      client.send(request);
      assertThat(client.readUntilClosed().echo()).containsEntry("remote", "198.51.100.9");
    }
  }

  @Test
  void aV2HeaderMakesItsSourceThePeer() throws Exception {
    long before = connections("accepted", "2", "none");
    assertThat(Apps.send(port, v2(198, 51, 100, 8), "/who").echo())
        .containsEntry("remote", "198.51.100.8").containsEntry("proxyHeader", "true");
    assertThat(connections("accepted", "2", "none")).isEqualTo(before + 1);
  }

  @Test
  void theWalkStartsFromTheHeadersSource() throws Exception {
    MeterRegistry registry = app.getBean(MeterRegistry.class);
    double ignored = MetricsTest.requests(registry, "header_ignored");
    // From 10.1.2.3 (trusted) the X-Forwarded-For is the client; from 198.51.100.7 it is not.
    assertThat(Apps.send(port, v2(10, 1, 2, 3), "/who", "X-Forwarded-For: 203.0.113.9").echo())
        .containsEntry("remote", "203.0.113.9");
    assertThat(Apps.send(port, v1("198.51.100.7"), "/who", "X-Forwarded-For: 203.0.113.9")
        .echo()).containsEntry("remote", "198.51.100.7");
    assertThat(MetricsTest.requests(registry, "header_ignored")).isEqualTo(ignored + 1);
  }

  @Test
  void aTrustedPeerWithoutAHeaderIsClosedAndCounted() throws Exception {
    long before = connections("rejected", "none", "malformed");
    RawClient.Outcome outcome = Apps.get(port, "/who");
    assertThat(outcome.noResponse()).as(outcome.response()).isTrue();
    assertThat(connections("rejected", "none", "malformed")).isEqualTo(before + 1);
  }

  private static long connections(String outcome, String version, String reason) {
    return (long) app.getBean(MeterRegistry.class).get("trustproxy.proxy.connections")
        .tags("outcome", outcome, "version", version, "reason", reason)
        .functionCounter().count();
  }
}
