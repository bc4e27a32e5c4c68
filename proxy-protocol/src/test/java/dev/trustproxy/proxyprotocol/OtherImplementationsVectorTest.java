package dev.trustproxy.proxyprotocol;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader.Command;
import dev.trustproxy.proxyprotocol.ProxyHeader.Family;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs from other implementations' test suites (facts, not their code), each named by the
 * suite and test it comes from: Netty's {@code HAProxyMessageDecoderTest}, go-proxyproto's
 * {@code v1_test.go}, the Rust {@code ppp} crate's v2 tests. Where this library decides otherwise
 * on purpose the row says so and names the README decision. Fed whole and byte by byte.
 */
class OtherImplementationsVectorTest {

  private static final ProxyHeaderParser PARSER = ProxyHeaderParser.defaults();

  sealed interface Expect {}

  record Accept(Consumer<ProxyHeader> check) implements Expect {}

  record Reject(Reason reason) implements Expect {}

  record Incomplete() implements Expect {}

  record Row(String source, byte[] bytes, Expect expect) {
    @Override
    public String toString() {
      return source;
    }
  }

  static Row row(String source, String ascii, Expect expect) {
    return new Row(source, ascii(ascii), expect);
  }

  static Row row(String source, byte[] bytes, Expect expect) {
    return new Row(source, bytes, expect);
  }

  static Accept proxied(String src, int srcPort, String dst, int dstPort) {
    return new Accept(h -> {
      assertThat(h.command()).isEqualTo(Command.PROXY);
      assertThat(h.sourceIp()).isEqualTo(IpAddress.parse(src));
      assertThat(h.sourcePort()).isEqualTo(srcPort);
      assertThat(h.destinationIp()).isEqualTo(IpAddress.parse(dst));
      assertThat(h.destinationPort()).isEqualTo(dstPort);
    });
  }

  static Accept realEndpoints(Command command) {
    return new Accept(h -> {
      assertThat(h.command()).isEqualTo(command);
      assertThat(h.sourceAddress()).isNull();
      assertThat(h.destinationAddress()).isNull();
      assertThat(h.tlvs()).isEmpty();
    });
  }

  static Reject rejected(Reason reason) {
    return new Reject(reason);
  }

  static final String NETTY = "netty HAProxyMessageDecoderTest.";
  static final String GO = "go-proxyproto v1_test.go ";
  static final String PPP = "ppp src/v2 tests ";
  /** Netty's v2 IPv4 block: 192.168.0.1:56324 to 192.168.0.11:443. */
  static final String NETTY_V4 = "C0 A8 00 01 C0 A8 00 0B DC 04 01 BB";
  /** ppp's v2 IPv4 block: 127.0.0.1:80 to 127.0.0.2:443. */
  static final String PPP_V4 = "7F 00 00 01 7F 00 00 02 00 50 01 BB";

  static Stream<Row> rows() {
    return Stream.of(
        row(NETTY + "testIPV6Decode (leading zeros inside IPv6 groups)",
            "PROXY TCP6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 1050:0:0:0:5:600:300c:326b"
                + " 56324 443\r\n",
            proxied("2001:db8:85a3::8a2e:370:7334", 56324, "1050::5:600:300c:326b", 443)),
        row(NETTY + "testUnknownProtocolDecode (addresses after UNKNOWN ignored)",
            "PROXY UNKNOWN 192.168.0.1 192.168.0.11 56324 443\r\n",
            realEndpoints(Command.PROXY)),
        row(NETTY + "testInvalidPort", "PROXY TCP4 192.168.0.1 192.168.0.11 80000 443\r\n",
            rejected(Reason.MALFORMED)),
        row(NETTY + "testInvalidIPV4Address",
            "PROXY TCP4 299.168.0.1 192.168.0.11 56324 443\r\n", rejected(Reason.MALFORMED)),
        row(NETTY + "testInvalidIPV6Address",
            "PROXY TCP6 r001:0db8:85a3:0000:0000:8a2e:0370:7334 1050:0:0:0:5:600:300c:326b 56324"
                + " 443\r\n", rejected(Reason.MALFORMED)),
        row(NETTY + "testInvalidProtocol", "PROXY TCP7 192.168.0.1 192.168.0.11 56324 443\r\n",
            rejected(Reason.MALFORMED)),
        row(NETTY + "testMissingParams", "PROXY TCP4 192.168.0.1 192.168.0.11 56324\r\n",
            rejected(Reason.MALFORMED)),
        row(NETTY + "testTooManyParams", "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 123\r\n",
            rejected(Reason.MALFORMED)),
        row(NETTY + "testInvalidCommand", "PING TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
            rejected(Reason.MALFORMED)),
        row(NETTY + "testInvalidEOL",
            "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\nGET / HTTP/1.1\r\n",
            rejected(Reason.MALFORMED)),
        row(NETTY + "testHeaderTooLong (a 71-digit port: refused at its sixth digit)",
            "PROXY TCP4 192.168.0.1 192.168.0.11 56324 " + "0".repeat(68) + "443\r\n",
            rejected(Reason.MALFORMED)),
        row(NETTY + "testIncompleteHeader", "PROXY TCP4 192.168.0.1 192.168.0.11 56324",
            new Incomplete()),
        row(NETTY + "testCloseOnInvalid", "GET / HTTP/1.1\r\n", rejected(Reason.MALFORMED)),
        row(NETTY + "testV2IPV4Decode", hex("SIG 21 11 00 0C " + NETTY_V4),
            proxied("192.168.0.1", 56324, "192.168.0.11", 443)),
        row(NETTY + "testV2UDPDecode: Netty accepts UDP; refused on a TCP listener (D27)",
            hex("SIG 21 12 00 0C " + NETTY_V4), rejected(Reason.UNSUPPORTED)),
        row(NETTY + "testv2IPV6Decode",
            hex("SIG 21 21 00 24 20 01 0D B8 85 A3 00 00 00 00 8A 2E 03 70 73 34"
                + " 10 50 00 00 00 00 00 00 00 05 06 00 30 0C 32 6B DC 04 01 BB"),
            proxied("2001:db8:85a3::8a2e:370:7334", 56324, "1050::5:600:300c:326b", 443)),
        row(NETTY + "testv2UnixDecode (real endpoints, the 216-byte block skipped)",
            hex("SIG 21 31 00 D8 216x2F"), new Accept(h -> {
              assertThat(h.family()).isEqualTo(Family.UNIX);
              assertThat(h.sourceAddress()).isNull();
              assertThat(h.tlvs()).isEmpty();
            })),
        row(NETTY + "testV2LocalProtocolDecode (LOCAL with an address block)",
            hex("SIG 20 00 00 0C " + NETTY_V4), realEndpoints(Command.LOCAL)),
        row(NETTY + "testV2UnknownProtocolDecode (PROXY over UNSPEC with a block, D27)",
            hex("SIG 21 00 00 0C " + NETTY_V4), realEndpoints(Command.PROXY)),
        row(NETTY + "testV2WithTLV (UNIX block, then a one-byte ALPN TLV)",
            hex("SIG 21 31 00 DC 216x00 01 00 01 01"), new Accept(h -> {
              assertThat(h.tlvs()).hasSize(1);
              assertThat(h.tlv(ProxyHeader.TYPE_ALPN)).hasValueSatisfying(
                  v -> assertThat(v).containsExactly(1));
            })),
        row(NETTY + "testV2InvalidProtocol", hex("SIG 21 41 00 0C " + NETTY_V4),
            rejected(Reason.MALFORMED)),
        row(NETTY + "testV2MissingParams", hex("SIG 21 11 00 0A C0 A8 00 01 C0 A8 00 0B DC 04"),
            rejected(Reason.MALFORMED)),
        row(NETTY + "testV2InvalidCommand", hex("SIG 22 11 00 0C " + NETTY_V4),
            rejected(Reason.MALFORMED)),
        row(NETTY + "testV2InvalidVersion", hex("SIG 31 11 00 0C " + NETTY_V4),
            rejected(Reason.MALFORMED)),
        row(NETTY + "testV2IncompleteHeader", hex("SIG 21"), new Incomplete()),
        row(GO + "proxy lf", "PROXY \n", rejected(Reason.MALFORMED)),
        row(GO + "proxy crlf", "PROXY \r\n", rejected(Reason.MALFORMED)),
        row(GO + "proxy no space crlf", "PROXY\r\n", rejected(Reason.MALFORMED)),
        row(GO + "proxy something crlf", "PROXY SOMETHING\r\n", rejected(Reason.MALFORMED)),
        row(GO + "incomplete signature TCP4", "PROXY TCP4 127.0.0.1 127.0.0.1 65533 65533",
            new Incomplete()),
        row(GO + "invalid IP address", "PROXY TCP4 invalid invalid 65533 65533\r\n",
            rejected(Reason.MALFORMED)),
        row(GO + "TCP6 with IPv4 addresses (the source decides: refused, D51)",
            "PROXY TCP6 127.0.0.1 127.0.0.1 65533 65533\r\n", rejected(Reason.MALFORMED)),
        row(GO + "TCP4 with IPv6 addresses", "PROXY TCP4 ::1 ::1 65533 65533\r\n",
            rejected(Reason.MALFORMED)),
        row(GO + "TCP4 with IPv4 mapped addresses",
            "PROXY TCP4 ::ffff:127.0.0.1 ::ffff:127.0.0.1 65533 65533\r\n",
            rejected(Reason.MALFORMED)),
        row(GO + "TCP4 with invalid port", "PROXY TCP4 127.0.0.1 127.0.0.1 99999 99999\r\n",
            rejected(Reason.MALFORMED)),
        row(GO + "header too long (108 bytes after UNKNOWN)",
            "PROXY UNKNOWN 1234:5678:9abc:def0:cafe:babe:dead:2bad"
                + " 1234:5678:9abc:def0:cafe:babe:dead:2bad 65533 65533 \r\n",
            rejected(Reason.TOO_LARGE)),
        row(GO + "TCP4IN6 (mapped addresses become IPv4)",
            "PROXY TCP6 ::ffff:127.0.0.1 ::ffff:127.0.0.1 65533 65533\r\nGET /",
            proxied("127.0.0.1", 65533, "127.0.0.1", 65533)),
        row(GO + "unknown with addresses and ports (invalid ports ignored)",
            "PROXY UNKNOWN 127.0.0.1 127.0.0.1 99999 99999\r\n", realEndpoints(Command.PROXY)),
        row(PPP + "no_tlvs", hex("SIG 21 11 00 0C " + PPP_V4),
            proxied("127.0.0.1", 80, "127.0.0.2", 443)),
        row(PPP + "no_tlvs_unspec (PROXY over UNSPEC: block skipped, D27)",
            hex("SIG 21 00 00 0C " + PPP_V4), realEndpoints(Command.PROXY)),
        row(PPP + "no_tlvs_unspec_stream: ppp accepts family byte 0x01; refused (D27)",
            hex("SIG 21 01 00 08 7F 00 00 01 7F 00 00 02"), rejected(Reason.MALFORMED)),
        row(PPP + "no_tlvs_unspec_ipv4: ppp accepts family byte 0x10; refused (D27)",
            hex("SIG 21 10 00 08 7F 00 00 01 7F 00 00 02"), rejected(Reason.MALFORMED)),
        row(PPP + "with_tlvs (IPv6, TLVs 01 and 02)",
            hex("SIG 21 21 00 2D 15xFF F2 15xFF F1 00 50 01 BB 01 00 01 05 02 00 02 05 05"),
            new Accept(h -> {
              assertThat(h.sourcePort()).isEqualTo(80);
              assertThat(h.tlvs()).extracting(ProxyHeader.Tlv::type).containsExactly(1, 2);
              assertThat(h.tlv(2)).hasValueSatisfying(v -> assertThat(v).containsExactly(5, 5));
            })),
        row(PPP + "tlvs_with_extra (bytes after the header are not consumed)",
            concat(hex("SIG 21 21 00 2D 16xFF 15xFF F1 00 50 01 BB 01 00 01 05 02 00 02 05 05"),
                hex("02 00 02 05 05")),
            new Accept(h -> assertThat(h.tlvs()).hasSize(2))),
        row(PPP + "partial_tlv (a TLV longer than the header)",
            hex("SIG 21 11 00 0F " + PPP_V4 + " 01 00 01"), rejected(Reason.MALFORMED)),
        row(PPP + "missing_tlvs (declared length not there yet)",
            hex("SIG 21 11 00 11 " + PPP_V4 + " 01 00 01"), new Incomplete()),
        row(PPP + "no_address: ppp accepts LOCAL with family byte 0x02; refused (D27)",
            hex("SIG 20 02 00 00"), rejected(Reason.MALFORMED)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void whole(Row row) {
    check(row, PARSER.parse(ByteBuffer.wrap(row.bytes())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void byteByByte(Row row) {
    Result decided = NeedMoreBytes.INSTANCE;
    for (int k = 1; k <= row.bytes().length && decided == NeedMoreBytes.INSTANCE; k++) {
      decided = PARSER.parse(ByteBuffer.wrap(row.bytes(), 0, k).slice());
    }
    check(row, decided);
  }

  private static void check(Row row, Result result) {
    if (row.expect() instanceof Accept a) {
      assertThat(result).isInstanceOf(Accepted.class);
      a.check().accept(((Accepted) result).header());
    } else if (row.expect() instanceof Reject r) {
      assertThat(result).isInstanceOf(Rejected.class);
      assertThat(((Rejected) result).reason()).isEqualTo(r.reason());
    } else {
      assertThat(result).isSameAs(NeedMoreBytes.INSTANCE);
    }
  }
}
