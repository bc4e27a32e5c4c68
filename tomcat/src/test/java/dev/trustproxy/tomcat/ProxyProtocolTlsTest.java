package dev.trustproxy.tomcat;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.proxyprotocol.Bytes;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROXY then TLS on Tomcat's NIO connector: the header is read before the TLS handshake and
 * consumed exactly, whether the ClientHello arrives in a later read or in the same segment as the
 * header; and the SSL TLV's effect on the scheme with {@code proxyProtocolSslTlvMarksSecure}.
 * openssl makes the test certificate.
 */
@RealPeers(Peer.OPENSSL)
class ProxyProtocolTlsTest {

  private static final byte[] V2_TCP4 = hex("SIG 21 11 00 0C C0 00 02 01 C6 33 64 02 DC 04 01 BB");

  @TempDir static Path dir;
  private static TlsMaterial tls;
  private static ProxyProtocolTomcat tomcat;

  @BeforeAll
  static void start() throws Exception {
    tls = TlsMaterial.create(Files.createDirectories(dir.resolve("tls")));
    tomcat = ProxyProtocolTomcat.start("127.0.0.1", tls::configure);
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.close();
  }

  /** Writes {@code header} in clear on a new connection to {@code port}, then speaks TLS. */
  private static Map<String, String> httpsAfter(byte[] header, int port) throws Exception {
    SSLContext context = tls.clientContext();
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
      raw.setSoTimeout(15_000);
      raw.getOutputStream().write(header);
      raw.getOutputStream().flush();
      try (SSLSocket ssl = (SSLSocket) context.getSocketFactory()
          .createSocket(raw, "localhost", port, true)) {
        ssl.startHandshake();
        ssl.getOutputStream().write(TomcatRequests.GET);
        ssl.getOutputStream().flush();
        String response = new String(ssl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return new RawClient.Outcome(response, true, 0).echo();
      }
    }
  }

  @Test
  void theHeaderIsReadBeforeTheTlsHandshake() throws Exception {
    assertThat(httpsAfter(V2_TCP4, tomcat.port()))
        .containsEntry("remoteAddr", "192.0.2.1")
        .containsEntry("remotePort", "56324")
        .containsEntry("localAddr", "198.51.100.2")
        .containsEntry("scheme", "https")
        .containsEntry("secure", "true")
        .containsEntry("header", "true");
  }

  @Test
  void aClientHelloInTheHeadersSegmentReachesTheTlsEngineWhole() throws Exception {
    byte[] v1 = ascii("PROXY TCP6 2001:db8::1 2001:db8::2 4321 443\r\n");
    try (CoalescingRelay relay = new CoalescingRelay(tomcat.port(), v1)) {
      assertThat(httpsAfter(new byte[0], relay.port()))
          .containsEntry("remoteAddr", "2001:db8::1")
          .containsEntry("remotePort", "4321")
          .containsEntry("scheme", "https");
    }
  }

  @Test
  void aTlsClientWithoutAHeaderIsClosed() throws Exception {
    long malformed = tomcat.protocol().getProxyProtocolCounters().count(Outcome.REJECTED_MALFORMED);
    SSLContext context = tls.clientContext();
    try (SSLSocket ssl = (SSLSocket) context.getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), tomcat.port())) {
      ssl.setSoTimeout(15_000);
      try {
        ssl.startHandshake();
        throw new AssertionError("the handshake must not complete");
      } catch (java.io.IOException closed) {
        // expected: the connector closed the connection at the first byte
      }
    }
    assertThat(tomcat.protocol().getProxyProtocolCounters().count(Outcome.REJECTED_MALFORMED))
        .isEqualTo(malformed + 1);
  }

  @Test
  void anUntrustedPeerIsServedTlsWithoutAHeaderWithPlain() throws Exception {
    try (ProxyProtocolTomcat plain = ProxyProtocolTomcat.start("10.0.0.0/8", c -> {
      tls.configure(c);
      c.setProperty("proxyProtocolUntrustedPeers", "PLAIN");
    })) {
      assertThat(httpsAfter(new byte[0], plain.port()))
          .containsEntry("remoteAddr", "127.0.0.1")
          .containsEntry("scheme", "https")
          .containsEntry("header", "false");
    }
  }

  @Test
  void anSslTlvMakesTheRequestSecureOnlyWhenAskedFor() throws Exception {
    // SSL TLV: client = 0x01 (PP2_CLIENT_SSL), verify = 0, sub-TLV version "TLSv1.3".
    byte[] ssl = Bytes.tlv(0x20, concat(hex("01 00 00 00 00"), Bytes.tlv(0x21, ascii("TLSv1.3"))));
    byte[] header = Bytes.v2(0x21, 0x11, concat(hex("C0 00 02 01 C6 33 64 02 DC 04 01 BB"), ssl));
    try (ProxyProtocolTomcat marks = ProxyProtocolTomcat.start("127.0.0.1",
            c -> c.setProperty("proxyProtocolSslTlvMarksSecure", "true"));
        ProxyProtocolTomcat ignores = ProxyProtocolTomcat.start("127.0.0.1")) {
      try (RawClient client = new RawClient(marks.port())) {
        assertThat(client.send(concat(header, TomcatRequests.GET)).readUntilClosed().echo())
            .containsEntry("scheme", "https").containsEntry("secure", "true");
      }
      ProxyHeader seen = marks.nextHeader();
      assertThat(seen.ssl()).hasValueSatisfying(s -> assertThat(s.version()).hasValue("TLSv1.3"));
      byte[] session = ascii("GET /session HTTP/1.1\r\nHost: tomcat.test\r\nConnection: close\r\n\r\n");
      try (RawClient client = new RawClient(marks.port())) {
        assertThat(client.send(concat(header, session)).readUntilClosed().response())
            .as("Tomcat's session cookie for a request the SSL TLV made secure")
            .containsPattern("Set-Cookie: JSESSIONID=[^\r]*; Secure");
      }
      try (RawClient client = new RawClient(ignores.port())) {
        assertThat(client.send(concat(header, session)).readUntilClosed().response())
            .contains("Set-Cookie: JSESSIONID=").doesNotContain("Secure");
      }
      try (RawClient client = new RawClient(ignores.port())) {
        assertThat(client.send(concat(header, TomcatRequests.GET)).readUntilClosed().echo())
            .containsEntry("scheme", "http").containsEntry("secure", "false");
      }
    }
  }
}
