package dev.trustproxy.integration;

import static dev.trustproxy.integration.Bytes.SIG;
import static dev.trustproxy.integration.Bytes.V2_TCP4_BLOCK;
import static dev.trustproxy.integration.Bytes.concat;
import static dev.trustproxy.integration.Bytes.get;
import static dev.trustproxy.integration.Bytes.hex;
import static dev.trustproxy.integration.Bytes.repeat;
import static dev.trustproxy.integration.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.trustproxy.integration.AttackServer.Endpoint;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PROXY rows P1-P19 of the attack catalogue ({@code docs/attack-catalogue.md}),
 * each performed over a real socket against {@link AttackServer}: Jetty with the PROXY
 * connection factory and the filter. Each case asserts what the application saw (or that it was
 * never reached), whether the connection was closed, exactly which counter moved, and that the
 * log holds none of the attack's bytes. P20 cannot be produced here (see README-security.md).
 */
class ProxyAttackTest {

  private static AttackServer server;
  private static final LogCapture LOG = new LogCapture();

  /** Which connector a case uses. */
  enum Listener {
    /** Loopback is a trusted PROXY source: the header is mandatory. */
    TRUSTED(s -> s.proxy),
    /** Loopback is untrusted; such peers are closed. */
    UNTRUSTED_CLOSE(s -> s.untrustedClose),
    /** Loopback is untrusted; such peers are served as plain HTTP. */
    UNTRUSTED_PLAIN(s -> s.untrustedPlain);

    final Function<AttackServer, Endpoint> endpoint;

    Listener(Function<AttackServer, Endpoint> endpoint) {
      this.endpoint = endpoint;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = AttackServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  // ------------------------------------------------------------------ closed without an answer

  static Stream<Arguments> rejected() {
    return Stream.of(
        closed("P1 untrusted peer sending PROXY on a proxy-only listener is closed unparsed",
            Listener.UNTRUSTED_CLOSE,
            concat(text("PROXY TCP4 1.2.3.4 198.51.100.2 1234 80\r\n"), get("/none/")),
            "rejectedUntrusted", "1.2.3.4"),
        closed("P2 trusted peer sending plain HTTP without a header is closed, never guessed",
            Listener.TRUSTED, get("/none/"), "rejectedMalformed"),
        closed("P4 v1 line without CRLF is rejected at byte 107",
            Listener.TRUSTED, text("PROXY UNKNOWN " + "1".repeat(107 - 14)), "rejectedTooLarge"),
        closed("P4 v1 UNKNOWN line of 108 bytes (V1-05) is rejected",
            Listener.TRUSTED,
            text("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 655350\r\n"),
            "rejectedTooLarge"),
        closed("P4 v1 PROXY followed by 100 KB without CR/LF (V1-25) is refused at the first"
                + " byte no protocol token starts with (D52)",
            Listener.TRUSTED, concat(text("PROXY "), repeat(100_000, 'A')), "rejectedMalformed",
            "AAAAAAAA"),
        closed("P5 v2 length 0xFFFF is rejected from the 16-byte prefix",
            Listener.TRUSTED, hex(SIG + "21 11 FFFF"), "rejectedTooLarge"),
        closed("P6 v2 TLV claiming more bytes than the header holds is rejected",
            Listener.TRUSTED, hex(SIG + "21 11 0012" + V2_TCP4_BLOCK + "02 0010 616263"),
            "rejectedMalformed"),
        closed("P6 v2 two stray bytes after the last TLV are rejected",
            Listener.TRUSTED, hex(SIG + "21 11 000E" + V2_TCP4_BLOCK + "04 00"),
            "rejectedMalformed"),
        closed("P7 v2 SSL sub-TLV overrunning its SSL TLV is rejected",
            Listener.TRUSTED,
            concat(hex(SIG + "21 11 001E" + V2_TCP4_BLOCK + "20 000F 01 00000000 21 0020"),
                text("TLSv1.3")),
            "rejectedMalformed", "TLSv1.3"),
        closed("P8 v2 PROXY TCP4 with length 8 < 12 is rejected",
            Listener.TRUSTED, hex(SIG + "21 11 0008 C0000201 C6336402"), "rejectedMalformed"),
        closed("P8 v2 PROXY UDP4 with length 0 (CVE-2019-14243 shape) is rejected",
            Listener.TRUSTED, hex(SIG + "21 12 0000"), "rejectedMalformed"),
        closed("P9 v2 version nibble 1 is rejected",
            Listener.TRUSTED, concat(hex(SIG + "11 11 000C"), repeat(12, 0)), "rejectedMalformed"),
        closed("P9 v2 command 2 is rejected",
            Listener.TRUSTED, concat(hex(SIG + "22 11 000C"), repeat(12, 0)), "rejectedMalformed"),
        closed("P9 v2 family/transport 0x13 is rejected",
            Listener.TRUSTED, concat(hex(SIG + "21 13 000C"), repeat(12, 0)), "rejectedMalformed"),
        closed("P9 v2 family/transport 0x41 is rejected",
            Listener.TRUSTED, concat(hex(SIG + "21 41 000C"), repeat(12, 0)), "rejectedMalformed"),
        closed("P10 v2 wrong CRC32C is rejected",
            Listener.TRUSTED,
            hex(SIG + "21 11 0013 C1000201 C6336402 DC04 01BB 03 0004 20EC9549"),
            "rejectedChecksum"),
        closed("P10 v2 CRC32C TLV of length 3 is rejected",
            Listener.TRUSTED, hex(SIG + "21 11 0012" + V2_TCP4_BLOCK + "03 0003 000000"),
            "rejectedMalformed"),
        closed("P14 v1 host name as address is rejected by grammar and never resolved",
            Listener.TRUSTED, v1Then("PROXY TCP4 evil.example 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "evil.example", "192.0.2.254"),
        closed("P15 v1 TCP6 carrying IPv4 text is rejected by default",
            Listener.TRUSTED, v1Then("PROXY TCP6 192.0.2.1 2001:db8::2 1234 80\r\n"),
            "rejectedMalformed", "192.0.2.1 2001"),
        closed("P15 v1 TCP6 with a zone id is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP6 fe80::1%eth0 2001:db8::2 1234 80\r\n"),
            "rejectedMalformed", "%eth0"),
        closed("P15 v1 TCP6 with bracketed addresses is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP6 [2001:db8::1] [2001:db8::2] 1234 80\r\n"),
            "rejectedMalformed", "[2001:db8::1]"),
        closed("P15 v1 TCP4 carrying IPv6 text is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 2001:db8::1 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "2001:db8::1"),
        closed("P16 v1 lower-case proxy tcp4 is rejected",
            Listener.TRUSTED, v1Then("proxy tcp4 192.0.2.1 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "192.0.2.1 198"),
        closed("P16 v1 double space is rejected",
            Listener.TRUSTED, v1Then("PROXY  TCP4 192.0.2.1 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "192.0.2.1 198"),
        closed("P16 v1 tab separator is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4\t192.0.2.1 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "192.0.2.1 198"),
        closed("P16 v1 bare LF is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\n"),
            "rejectedMalformed", "192.0.2.1 198"),
        closed("P16 v1 CR not followed by LF is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\rX"),
            "rejectedMalformed", "192.0.2.1 198"),
        closed("P16 v1 port with a leading zero 0443 is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 192.0.2.1 198.51.100.2 0443 80\r\n"),
            "rejectedMalformed", "0443"),
        closed("P16 v1 octet with a leading zero 010.0.0.1 is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 010.0.0.1 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "010.0.0.1"),
        closed("P16 v1 port 65536 is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 192.0.2.1 198.51.100.2 65536 80\r\n"),
            "rejectedMalformed", "65536"),
        closed("P16 v1 octet 256 is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 256.0.0.1 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "256.0.0.1"),
        closed("P16 v1 trailing 7th field is rejected",
            Listener.TRUSTED, v1Then("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80 extra\r\n"),
            "rejectedMalformed", "extra"),
        closed("P16 v1 UDP4 protocol is rejected",
            Listener.TRUSTED, v1Then("PROXY UDP4 192.0.2.1 198.51.100.2 1234 80\r\n"),
            "rejectedMalformed", "UDP4"));
  }

  private static Arguments closed(
      String name, Listener listener, byte[] bytes, String counter, String... raw) {
    return arguments(name, listener, bytes, counter, List.of(raw));
  }

  private static byte[] v1Then(String line) {
    return concat(text(line), get("/none/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void rejected(String name, Listener listener, byte[] bytes, String counter, List<String> raw)
      throws Exception {
    Endpoint endpoint = listener.endpoint.apply(server);
    Counters before = Counters.of(endpoint.factory());
    long mark = LOG.mark();

    RawConnection.Closed closed;
    try (RawConnection c = new RawConnection(endpoint.port())) {
      try {
        c.write(bytes);
      } catch (IOException closedWhileWriting) {
        // The server may close (reset) before a long attack is fully written: that is the point.
      }
      closed = c.readUntilClosed();
    }

    assertThat(closed.received()).as("bytes the server sent before closing").isEmpty();
    assertThat(closed.afterMillis())
        .as("closed at once, not at the %s header deadline", AttackServer.HEADER_TIMEOUT)
        .isLessThan(AttackServer.HEADER_TIMEOUT.toMillis());
    assertThat(Counters.of(endpoint.factory()).minus(before)).isEqualTo(Map.of(counter, 1L));
    // The connector's messages never carry received bytes, at any level.
    LOG.assertNothingRawAtAnyLevel(mark, raw);
  }

  // ------------------------------------------------------------------ accepted and served

  static Stream<Arguments> accepted() {
    return Stream.of(
        served("P7 v2 SSL TLV holding SSL TLVs as deep as fit in 4 KiB is read one level, no recursion",
            nestedSsl(), "192.0.2.1", "acceptedV2"),
        served("P10 v2 correct CRC32C (V2-16) is accepted",
            hex(SIG + "21 11 0013" + V2_TCP4_BLOCK + "03 0004 20EC9549"), "192.0.2.1",
            "acceptedV2"),
        served("P11 v2 zero-length NOOP TLV is accepted",
            hex(SIG + "21 11 000F" + V2_TCP4_BLOCK + "04 0000"), "192.0.2.1", "acceptedV2"),
        served("P13 v1 header and HTTP request in one segment: HTTP gets exactly the request",
            text("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n"), "192.0.2.1", "acceptedV1"),
        served("P13 v2 header and HTTP request in one segment: HTTP gets exactly the request",
            hex(SIG + "21 11 000C" + V2_TCP4_BLOCK), "192.0.2.1", "acceptedV2"),
        served("P15 v1 TCP6 with an IPv4-mapped source is accepted as the IPv4 address",
            text("PROXY TCP6 ::ffff:192.0.2.1 ::ffff:198.51.100.2 1234 80\r\n"), "192.0.2.1",
            "acceptedV1"),
        served("P17 v2 LOCAL with a non-zero length and a garbage block keeps the real endpoints",
            hex(SIG + "20 11 000C 0A000001 0A000002 0001 0002"), "127.0.0.1", "acceptedV2"),
        served("P18 v1 UNKNOWN long form of 107 bytes keeps the real endpoints",
            text("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"),
            "127.0.0.1", "acceptedV1"));
  }

  private static Arguments served(String name, byte[] header, String remote, String counter) {
    return arguments(name, header, remote, counter);
  }

  /** An SSL TLV whose sub-TLVs are SSL TLVs, nested as deep as fits under the 4 KiB cap. */
  static byte[] nestedSsl() {
    byte[] inner = new byte[0];
    while (true) {
      byte[] body = concat(hex("01 00000000"), inner);
      byte[] next = concat(new byte[] {0x20, (byte) (body.length >> 8), (byte) body.length}, body);
      if (next.length + 12 + 16 > 4096) {
        break;
      }
      inner = next;
    }
    int len = 12 + inner.length;
    return concat(hex(SIG + "21 11"), new byte[] {(byte) (len >> 8), (byte) len},
        hex(V2_TCP4_BLOCK), inner);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void accepted(String name, byte[] header, String remote, String counter) throws Exception {
    Counters before = Counters.of(server.proxy.factory());
    Response response;
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(concat(header, get("/none/")));
      response = c.readUntilClosed().response();
    }
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.seen("remoteAddr")).isEqualTo(remote);
    assertThat(response.seen("proxyVersion")).isEqualTo(counter.equals("acceptedV1") ? "1" : "2");
    assertThat(Counters.of(server.proxy.factory()).minus(before)).isEqualTo(Map.of(counter, 1L));
  }

  // ------------------------------------------------------------------ rows with their own shape

  @Test
  void p1UntrustedPeerOnAMixedListenerIsServedPlainAndItsProxyLineIsABadRequest() throws Exception {
    Endpoint plain = server.untrustedPlain;
    Counters before = Counters.of(plain.factory());
    long mark = LOG.mark();
    Response attack;
    try (RawConnection c = new RawConnection(plain.port())) {
      c.write(concat(text("PROXY TCP4 1.2.3.4 198.51.100.2 1234 80\r\n"), get("/none/")));
      attack = c.readUntilClosed().response();
    }
    assertThat(attack.status()).isEqualTo(400);
    assertThat(attack.text()).doesNotContain("1.2.3.4");

    Response direct;
    try (RawConnection c = new RawConnection(plain.port())) {
      direct = c.write(get("/none/")).readUntilClosed().response();
    }
    assertThat(direct.status()).isEqualTo(200);
    assertThat(direct.seen("remoteAddr")).isEqualTo("127.0.0.1");
    assertThat(direct.seen("proxyVersion")).isEqualTo("none");
    assertThat(Counters.of(plain.factory()).minus(before)).isEqualTo(Map.of("plainUntrusted", 2L));
    LOG.assertNothingRawAboveDebug(mark, List.of("1.2.3.4"));
  }

  @Test
  void p3PartialHeaderThenSilenceIsClosedAtTheDeadline() throws Exception {
    Counters before = Counters.of(server.proxy.factory());
    RawConnection.Closed closed;
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write("PROXY TCP4 192.0.2.1");
      closed = c.readUntilClosed();
    }
    assertClosedAtDeadline(closed);
    assertThat(Counters.of(server.proxy.factory()).minus(before))
        .isEqualTo(Map.of("rejectedTimeout", 1L));
  }

  @Test
  void p3V2SignatureThenSilenceIsClosedAtTheDeadlineNeverServedAsHttp() throws Exception {
    Counters before = Counters.of(server.proxy.factory());
    RawConnection.Closed closed;
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(hex("0D0A0D0A00"));
      closed = c.readUntilClosed();
    }
    assertClosedAtDeadline(closed);
    assertThat(Counters.of(server.proxy.factory()).minus(before))
        .isEqualTo(Map.of("rejectedTimeout", 1L));
  }

  @Test
  void p3SlowlorisTrickleDoesNotExtendTheAbsoluteDeadline() throws Exception {
    Counters before = Counters.of(server.proxy.factory());
    byte[] header = text("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
    RawConnection.Closed closed;
    AtomicBoolean stop = new AtomicBoolean();
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      Thread trickle = new Thread(() -> {
        // One byte every 100 ms: the 47-byte header would take 4.7 s, the deadline is 1 s.
        for (int i = 0; i < header.length && !stop.get(); i++) {
          try {
            c.write(new byte[] {header[i]});
          } catch (IOException closedByServer) {
            return;
          }
          RawConnection.sleep(100);
        }
      });
      trickle.start();
      closed = c.readUntilClosed();
      stop.set(true);
      trickle.join();
    }
    assertClosedAtDeadline(closed);
    assertThat(Counters.of(server.proxy.factory()).minus(before))
        .isEqualTo(Map.of("rejectedTimeout", 1L));
  }

  private static void assertClosedAtDeadline(RawConnection.Closed closed) {
    long deadline = AttackServer.HEADER_TIMEOUT.toMillis();
    assertThat(closed.received()).isEmpty();
    assertThat(closed.afterMillis())
        .as("closed at the %d ms deadline (plus generous slack)", deadline)
        .isBetween(deadline - 100, deadline + 2000);
  }

  @Test
  void p12SecondProxyHeaderIsApplicationDataAndTheFirstStaysInForce() throws Exception {
    Counters before = Counters.of(server.proxy.factory());
    long mark = LOG.mark();
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(concat(text("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
          Bytes.getKeepAlive("/none/")));
      Response first = c.readResponse();
      assertThat(first.seen("remoteAddr")).isEqualTo("192.168.0.1");

      c.write(concat(text("PROXY TCP4 6.6.6.6 6.6.6.6 1 2\r\n"), get("/none/")));
      Response second = c.readUntilClosed().response();
      assertThat(second.status()).isEqualTo(400);
      assertThat(second.text()).doesNotContain("6.6.6.6");
    }
    assertThat(Counters.of(server.proxy.factory()).minus(before))
        .isEqualTo(Map.of("acceptedV1", 1L));
    LOG.assertNothingRawAboveDebug(mark, List.of("6.6.6.6"));
  }

  @Test
  void p12ClientHeaderBehindTheProxyHeaderIsABadRequestNotANewAddress() throws Exception {
    // An NLB in front forwards the client's own PROXY line after its v2 header.
    Response response;
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(concat(hex(SIG + "21 11 000C" + V2_TCP4_BLOCK),
          text("PROXY TCP4 6.6.6.6 6.6.6.6 1 2\r\n"), get("/none/")));
      response = c.readUntilClosed().response();
    }
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).doesNotContain("6.6.6.6");
  }

  @Test
  void p13V1HeaderSplitIntoOneByteSegmentsIsReassembled() throws Exception {
    Counters before = Counters.of(server.proxy.factory());
    Response response;
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.writeByteByByte(text("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"), 2);
      response = c.write(get("/none/")).readUntilClosed().response();
    }
    assertThat(response.seen("remoteAddr")).isEqualTo("192.168.0.1");
    assertThat(response.seen("remotePort")).isEqualTo("56324");
    assertThat(response.seen("localAddr")).isEqualTo("192.168.0.11");
    assertThat(Counters.of(server.proxy.factory()).minus(before))
        .isEqualTo(Map.of("acceptedV1", 1L));
  }

  @Test
  void p13V2HeaderSplitAcrossSegmentsIsReassembled() throws Exception {
    byte[] header = hex(SIG + "21 11 000C" + V2_TCP4_BLOCK);
    Response response;
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(java.util.Arrays.copyOfRange(header, 0, 5));
      RawConnection.sleep(20);
      c.write(java.util.Arrays.copyOfRange(header, 5, 16));
      RawConnection.sleep(20);
      c.write(concat(java.util.Arrays.copyOfRange(header, 16, 28), get("/none/")));
      response = c.readUntilClosed().response();
    }
    assertThat(response.seen("remoteAddr")).isEqualTo("192.0.2.1");
    assertThat(response.seen("remotePort")).isEqualTo("56324");
  }

  @Test
  void p19ProxyAddressAppliesToEveryRequestOnTheConnection() throws Exception {
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(text("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n"));
      for (int i = 0; i < 3; i++) {
        Response r = c.write(Bytes.getKeepAlive("/none/")).readResponse();
        assertThat(r.seen("remoteAddr")).as("request %d", i + 1).isEqualTo("192.0.2.1");
        assertThat(r.seen("proxyVersion")).isEqualTo("1");
      }
      assertThat(c.write(get("/none/")).readUntilClosed().response().seen("remoteAddr"))
          .isEqualTo("192.0.2.1");
    }
  }

  @Test
  void theLogCaptureSeesTheConnectorsRejections() throws Exception {
    // Guards the log assertions above against a capture that reads nothing.
    long mark = LOG.mark();
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(get("/none/")).readUntilClosed();
    }
    assertThat(LOG.since(mark)).anySatisfy(r ->
        assertThat(r.text()).contains("Closed connection from 127.0.0.1").contains("PROXY"));
  }
}
