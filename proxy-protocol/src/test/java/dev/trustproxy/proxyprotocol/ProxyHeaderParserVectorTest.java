package dev.trustproxy.proxyprotocol;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader.Command;
import dev.trustproxy.proxyprotocol.ProxyHeader.Family;
import dev.trustproxy.proxyprotocol.ProxyHeader.Transport;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser-level attack and conformance vectors (V1-xx for v1, V2-xx for v2), fed whole,
 * byte by byte (every prefix, hence every split point), inside a larger little-endian buffer, and
 * followed by application bytes.
 */
class ProxyHeaderParserVectorTest {

  // The three parsers the vectors use. Package-private: the connector tests in other modules
  // (the test-jar) start one server configured like each, and compile against these names.
  static final ProxyHeaderParser DEFAULTS = ProxyHeaderParser.defaults();
  /** acceptIpv4InTcp6 = false: the strict reading, no IPv4 text anywhere in a TCP6 line. */
  static final ProxyHeaderParser STRICT_TCP6 = new ProxyHeaderParser(true, true, 4096, false);
  /** The largest v2 header the protocol allows (16-byte prefix plus a 65535-byte length). */
  static final ProxyHeaderParser BIG = new ProxyHeaderParser(true, true, 16 + 0xFFFF, true);

  sealed interface Expect {}

  record Accept(Consumer<ProxyHeader> check) implements Expect {}

  record Reject(Reason reason) implements Expect {}

  /** Valid so far, incomplete: the connection waits until the deadline. */
  record Incomplete() implements Expect {}

  record Vector(String id, byte[] bytes, ProxyHeaderParser parser, Expect expect) {
    @Override
    public String toString() {
      return id;
    }
  }

  static InetSocketAddress at(String ip, int port) {
    return new InetSocketAddress(IpAddress.parse(ip).toInetAddress(), port);
  }

  static Accept accept(Consumer<ProxyHeader> check) {
    return new Accept(check);
  }

  static Accept proxied(int version, String src, int srcPort, String dst, int dstPort) {
    return accept(
        h -> {
          assertThat(h.version()).isEqualTo(version);
          assertThat(h.command()).isEqualTo(Command.PROXY);
          assertThat(h.sourceAddress()).isEqualTo(at(src, srcPort));
          assertThat(h.destinationAddress()).isEqualTo(at(dst, dstPort));
        });
  }

  static Accept realEndpoints(int version, Command command) {
    return accept(
        h -> {
          assertThat(h.version()).isEqualTo(version);
          assertThat(h.command()).isEqualTo(command);
          assertThat(h.sourceAddress()).isNull();
          assertThat(h.destinationAddress()).isNull();
        });
  }

  static Reject reject(Reason reason) {
    return new Reject(reason);
  }

  static Vector v(String id, byte[] bytes, Expect expect) {
    return new Vector(id, bytes, DEFAULTS, expect);
  }

  static Vector v(String id, String ascii, Expect expect) {
    return v(id, ascii(ascii), expect);
  }

  static final String V1_04 =
      "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
          + " 65535 65535\r\n";

  static final String ADDR4 = "C0 00 02 01 C6 33 64 02 DC 04 01 BB";

  static Stream<Vector> vectors() {
    List<Vector> list = new ArrayList<>();
    // ---------------------------------------------------------------- v1 (§5.1)
    list.add(v("V1-01 spec example TCP4", "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
        proxied(1, "192.168.0.1", 56324, "192.168.0.11", 443)));
    list.add(v("V1-02 TCP6", "PROXY TCP6 2001:db8::1 2001:db8::2 56324 443\r\n",
        proxied(1, "2001:db8::1", 56324, "2001:db8::2", 443)));
    list.add(v("V1-03 UNKNOWN short form", "PROXY UNKNOWN\r\n", realEndpoints(1, Command.PROXY)));
    list.add(v("V1-04 UNKNOWN long form of exactly 107 bytes", V1_04,
        realEndpoints(1, Command.PROXY)));
    list.add(v("V1-05 108 bytes rejected at byte 107", V1_04.replace("65535\r\n", "655350\r\n"),
        reject(Reason.TOO_LARGE)));
    list.add(v("V1-06 TCP4 maximum 56 bytes",
        "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n",
        proxied(1, "255.255.255.255", 65535, "255.255.255.255", 65535)));
    list.add(v("V1-07 bare LF", "PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-08 CR not followed by LF", "PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\rX",
        reject(Reason.MALFORMED)));
    list.add(v("V1-09 double space", "PROXY  TCP4 192.0.2.1 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-10 lower case", "proxy tcp4 192.0.2.1 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-11 leading zero port", "PROXY TCP4 192.0.2.1 198.51.100.2 0443 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-12 port 65536", "PROXY TCP4 192.0.2.1 198.51.100.2 65536 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-13 leading zero octet", "PROXY TCP4 010.0.0.1 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-14 octet 256", "PROXY TCP4 256.0.0.1 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-15 IPv6 text in TCP4", "PROXY TCP4 2001:db8::1 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-16 IPv4 text as TCP6 source is always refused",
        "PROXY TCP6 192.0.2.1 2001:db8::2 1234 80\r\n", reject(Reason.MALFORMED)));
    list.add(new Vector("V1-16 IPv4 text as TCP6 source refused by the strict setting too",
        ascii("PROXY TCP6 192.0.2.1 2001:db8::2 1234 80\r\n"), STRICT_TCP6,
        reject(Reason.MALFORMED)));
    list.add(v("V1-16b nginx stream: TCP6 with an IPv4 destination accepted by default (D51)",
        "PROXY TCP6 2001:db8::1 192.0.2.2 1234 80\r\n",
        proxied(1, "2001:db8::1", 1234, "192.0.2.2", 80)));
    list.add(new Vector("V1-16b TCP6 with an IPv4 destination refused when acceptIpv4InTcp6=false",
        ascii("PROXY TCP6 2001:db8::1 192.0.2.2 1234 80\r\n"), STRICT_TCP6,
        reject(Reason.MALFORMED)));
    list.add(new Vector("V1-16b strict TCP6 still takes IPv6 text on both sides",
        ascii("PROXY TCP6 2001:db8::1 2001:db8::2 1234 80\r\n"), STRICT_TCP6,
        proxied(1, "2001:db8::1", 1234, "2001:db8::2", 80)));
    list.add(v("V1-17 IPv4-mapped TCP6 becomes IPv4",
        "PROXY TCP6 ::ffff:192.0.2.1 ::ffff:198.51.100.2 1234 80\r\n",
        accept(h -> {
          assertThat(h.sourceAddress()).isEqualTo(at("192.0.2.1", 1234));
          assertThat(h.sourceAddress().getAddress()).isInstanceOf(Inet4Address.class);
          assertThat(h.sourceAddress().getAddress().getHostAddress()).isEqualTo("192.0.2.1");
        })));
    list.add(v("V1-18 zone", "PROXY TCP6 fe80::1%eth0 2001:db8::2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-19 host name", "PROXY TCP4 evil.example 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-20 seven fields", "PROXY TCP4 192.0.2.1 198.51.100.2 1234 80 extra\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-21 UDP4", "PROXY UDP4 192.0.2.1 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("V1-22 header then HTTP in one read",
        "PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
        proxied(1, "192.0.2.1", 1234, "198.51.100.2", 80)));
    list.add(v("V1-23 partial line waits for the deadline", "PROXY TCP4 192.0.2.1",
        new Incomplete()));
    list.add(v("V1-25 PROXY UNKNOWN then 100 KB without CRLF",
        "PROXY UNKNOWN " + "A".repeat(100 * 1024), reject(Reason.TOO_LARGE)));
    list.add(v("V1-25 PROXY then 100 KB of a non-protocol: refused at once",
        "PROXY " + "A".repeat(100 * 1024), reject(Reason.MALFORMED)));
    list.add(v("V1-26 second header is application data",
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"
            + "PROXY TCP4 6.6.6.6 6.6.6.6 1 2\r\nGET / HTTP/1.1\r\n\r\n",
        proxied(1, "192.168.0.1", 56324, "192.168.0.11", 443)));
    list.add(v("v1 tab separator", "PROXY TCP4\t192.0.2.1 198.51.100.2 1234 80\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("v1 trailing space", "PROXY TCP4 192.0.2.1 198.51.100.2 1234 80 \r\n",
        reject(Reason.MALFORMED)));
    list.add(v("v1 UNKNOWN glued to text", "PROXY UNKNOWNX\r\n", reject(Reason.MALFORMED)));
    list.add(v("v1 PROXY without space", "PROXY\r\n", reject(Reason.MALFORMED)));
    list.add(v("v1 port zero is allowed", "PROXY TCP4 192.0.2.1 198.51.100.2 0 80\r\n",
        proxied(1, "192.0.2.1", 0, "198.51.100.2", 80)));
    list.add(v("v1 upper-case IPv6 hex", "PROXY TCP6 2001:DB8::1 2001:db8::2 1 2\r\n",
        proxied(1, "2001:db8::1", 1, "2001:db8::2", 2)));
    list.add(v("v1 bracketed IPv6", "PROXY TCP6 [2001:db8::1] 2001:db8::2 1 2\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("v1 non-ASCII byte", concat(ascii("PROXY TCP4 192.0.2.1 198.51.100.2 12"),
        hex("B3"), ascii(" 80\r\n")), reject(Reason.MALFORMED)));

    // ---------------------------------------------------------------- v2 (§5.2)
    list.add(v("V2-01 TCP4", hex("SIG 21 11 00 0C " + ADDR4),
        proxied(2, "192.0.2.1", 56324, "198.51.100.2", 443)));
    list.add(v("V2-02 TCP6", hex("SIG 21 21 00 24 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 01"
        + " 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 02 DC 04 01 BB"),
        proxied(2, "2001:db8::1", 56324, "2001:db8::2", 443)));
    list.add(v("V2-03 LOCAL", hex("SIG 20 00 00 00"), realEndpoints(2, Command.LOCAL)));
    list.add(v("V2-04 LOCAL with an address block is skipped",
        hex("SIG 20 11 00 0C 0A 00 00 01 0A 00 00 02 00 01 00 02"),
        realEndpoints(2, Command.LOCAL)));
    list.add(v("V2-05 length shorter than the IPv4 block",
        hex("SIG 21 11 00 08 C0 00 02 01 C6 33 64 02"), reject(Reason.MALFORMED)));
    list.add(v("V2-06 UDP4 with length 0", hex("SIG 21 12 00 00"), reject(Reason.UNSUPPORTED)));
    list.add(v("V2-07 version 1 nibble", hex("SIG 11 11 00 0C 12x00"), reject(Reason.MALFORMED)));
    list.add(v("V2-08 command 2", hex("SIG 22 11 00 0C 12x00"), reject(Reason.MALFORMED)));
    list.add(v("V2-09 transport 3", hex("SIG 21 13 00 0C 12x00"), reject(Reason.MALFORMED)));
    list.add(v("V2-10 family 4", hex("SIG 21 41 00 0C 12x00"), reject(Reason.MALFORMED)));
    list.add(v("V2-11 length over the cap, rejected from the prefix", hex("SIG 21 11 FF FF"),
        reject(Reason.TOO_LARGE)));
    list.add(v("V2-12 TLV longer than the header",
        hex("SIG 21 11 00 12 " + ADDR4 + " 02 00 10 61 62 63"), reject(Reason.MALFORMED)));
    list.add(v("V2-13 two stray bytes after the addresses",
        hex("SIG 21 11 00 0E " + ADDR4 + " 04 00"), reject(Reason.MALFORMED)));
    list.add(v("V2-14 empty NOOP", hex("SIG 21 11 00 0F " + ADDR4 + " 04 00 00"),
        accept(h -> assertThat(h.tlvs()).extracting(ProxyHeader.Tlv::type).containsExactly(4))));
    list.add(v("V2-15 AUTHORITY",
        hex("SIG 21 11 00 1A " + ADDR4 + " 02 00 0B 65 78 61 6D 70 6C 65 2E 63 6F 6D"),
        accept(h -> assertThat(h.authority()).hasValue("example.com"))));
    list.add(v("V2-16 CRC32C verifies",
        hex("SIG 21 11 00 13 " + ADDR4 + " 03 00 04 20 EC 95 49"),
        proxied(2, "192.0.2.1", 56324, "198.51.100.2", 443)));
    list.add(v("V2-17 CRC32C mismatch",
        hex("SIG 21 11 00 13 C1 00 02 01 C6 33 64 02 DC 04 01 BB 03 00 04 20 EC 95 49"),
        reject(Reason.CHECKSUM)));
    list.add(v("V2-18 CRC32C TLV of length 3",
        hex("SIG 21 11 00 12 " + ADDR4 + " 03 00 03 00 00 00"), reject(Reason.MALFORMED)));
    list.add(v("V2-19 AWS NLB capture 1", hex("SIG 21 11 00 54 AC 1F 07 71 AC 1F 0A 1F C8 F2 00 50"
        + " 03 00 04 E8 D6 89 2D EA 00 17 01 76 70 63 65 2D 30 38 64 32 62 66 31 35 66 61 63 35"
        + " 30 30 31 63 39 04 00 24 36x00"),
        accept(h -> {
          assertThat(h.sourceAddress()).isEqualTo(at("172.31.7.113", 51442));
          assertThat(h.awsVpceId()).hasValue("vpce-08d2bf15fac5001c9");
        })));
    list.add(v("V2-20 AWS NLB capture 2", hex("SIG 21 11 00 54 C0 A8 2C 0A C0 A8 2C 07 CC 3E 24 1B"
        + " 03 00 04 B9 28 6F A6 EA 00 17 01 76 70 63 65 2D 30 30 65 61 66 63 34 35 38 65 63 39"
        + " 37 62 38 33 33 04 00 24 36x00"),
        accept(h -> assertThat(h.awsVpceId()).hasValue("vpce-00eafc458ec97b833"))));
    list.add(v("V2-21 SSL with version and CN", hex("SIG 21 11 00 2C " + ADDR4 + " 20 00 1D 01 00"
        + " 00 00 00 21 00 07 54 4C 53 76 31 2E 33 22 00 0B 65 78 61 6D 70 6C 65 2E 63 6F 6D"),
        accept(h -> {
          ProxyHeader.Ssl ssl = h.ssl().orElseThrow();
          assertThat(ssl.clientSsl()).isTrue();
          assertThat(ssl.verify()).isZero();
          assertThat(ssl.version()).hasValue("TLSv1.3");
          assertThat(ssl.commonName()).hasValue("example.com");
          assertThat(ssl.cipher()).isEmpty();
        })));
    list.add(v("V2-22 SSL sub-TLV longer than the SSL TLV", hex("SIG 21 11 00 1E " + ADDR4
        + " 20 00 0F 01 00 00 00 00 21 00 20 54 4C 53 76 31 2E 33"), reject(Reason.MALFORMED)));
    list.add(new Vector("V2-23 SSL nested 8000 deep is read one level", nestedSsl(8000), BIG,
        accept(h -> {
          ProxyHeader.Ssl ssl = h.ssl().orElseThrow();
          assertThat(ssl.subTlvs()).hasSize(1);
          assertThat(ssl.subTlvs().get(0).type()).isEqualTo(0x20);
        })));
    list.add(v("V2-24 UNIQUE_ID of 129 bytes",
        hex("SIG 21 11 00 90 " + ADDR4 + " 05 00 81 129x41"), reject(Reason.MALFORMED)));
    list.add(v("V2-24 UNIQUE_ID of 128 bytes",
        hex("SIG 21 11 00 8F " + ADDR4 + " 05 00 80 128x41"),
        accept(h -> assertThat(h.uniqueId()).hasValueSatisfying(
            id -> assertThat(id).hasSize(128).containsOnly((byte) 0x41)))));
    list.add(v("V2-25 AWS VPCE id", hex("SIG 21 11 00 26 " + ADDR4 + " EA 00 17 01 76 70 63 65 2D"
        + " 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 30"),
        accept(h -> assertThat(h.awsVpceId()).hasValue("vpce-0123456789abcdef0"))));
    list.add(v("V2-26 Azure link id little-endian",
        hex("SIG 21 11 00 14 " + ADDR4 + " EE 00 05 01 78 56 34 12"),
        accept(h -> assertThat(h.azurePrivateLinkId()).hasValue(0x12345678L))));
    list.add(v("V2-27 GCP PSC id unsigned 64-bit",
        hex("SIG 21 11 00 17 " + ADDR4 + " E0 00 08 FF FF FF FF C0 A8 64 02"),
        accept(h -> assertThat(Long.toUnsignedString(h.gcpPscConnectionId().orElseThrow()))
            .isEqualTo("18446744072646845442"))));
    list.add(v("V2-28 UNIX stream keeps the real endpoints", concat(hex("SIG 21 31 00 D8"),
        padded("src.sock", 108), padded("dst.sock", 108)),
        accept(h -> {
          assertThat(h.family()).isEqualTo(Family.UNIX);
          assertThat(h.transport()).isEqualTo(Transport.STREAM);
          assertThat(h.sourceAddress()).isNull();
        })));
    list.add(v("V2-29 header then a TLS ClientHello",
        concat(hex("SIG 21 11 00 0C " + ADDR4), hex("16 03 01 00 05 01 00 00 01 00")),
        proxied(2, "192.0.2.1", 56324, "198.51.100.2", 443)));
    list.add(v("V2-30 TCP4 (split reads covered by every prefix)", hex("SIG 21 11 00 0C " + ADDR4),
        proxied(2, "192.0.2.1", 56324, "198.51.100.2", 443)));
    list.add(v("V2-31 signature start then silence", hex("0D 0A 0D 0A 00"), new Incomplete()));
    list.add(v("V2-33 plain HTTP is not a header", "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("v2 leading CRLF of an HTTP request", "\r\nGET / HTTP/1.1\r\n\r\n",
        reject(Reason.MALFORMED)));
    list.add(v("v2 PROXY UNSPEC keeps the real endpoints", hex("SIG 21 00 00 00"),
        realEndpoints(2, Command.PROXY)));
    list.add(v("v2 TCP6 length 12 is short", hex("SIG 21 21 00 0C " + ADDR4),
        reject(Reason.MALFORMED)));
    list.add(v("v2 duplicate AUTHORITY", hex("SIG 21 11 00 14 " + ADDR4 + " 02 00 01 61 02 00 01 62"),
        reject(Reason.MALFORMED)));
    list.add(v("v2 zero-length vendor TLV", hex("SIG 21 11 00 0F " + ADDR4 + " E1 00 00"),
        accept(h -> assertThat(h.tlv(0xE1)).hasValueSatisfying(b -> assertThat(b).isEmpty()))));
    list.add(v("v2 SSL TLV shorter than 5", hex("SIG 21 11 00 13 " + ADDR4 + " 20 00 04 01 00 00 00"),
        reject(Reason.MALFORMED)));
    list.add(v("v2 header of exactly the 4096 cap", concat(hex("SIG 21 11 0F F0 " + ADDR4),
        Bytes.tlv(4, new byte[4096 - 16 - 12 - 3])),
        accept(h -> assertThat(h.tlvs()).hasSize(1))));
    list.add(v("v2 header one byte over the 4096 cap", hex("SIG 21 11 0F F1"),
        reject(Reason.TOO_LARGE)));
    return list.stream();
  }

  static byte[] padded(String text, int size) {
    return Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), size);
  }

  /** An SSL TLV whose only sub-TLV is an SSL TLV, and so on, {@code depth} levels. */
  static byte[] nestedSsl(int depth) {
    byte[] value = hex("01 00 00 00 00");
    for (int i = 1; i < depth; i++) {
      value = concat(hex("01 00 00 00 00"), Bytes.tlv(0x20, value));
    }
    return Bytes.v2(0x21, 0x11, concat(hex(ADDR4), Bytes.tlv(0x20, value)));
  }

  static void check(Vector vector, Result result, int headerLength) {
    Expect expect = vector.expect();
    if (expect instanceof Accept a) {
      assertThat(result).isInstanceOf(Accepted.class);
      Accepted accepted = (Accepted) result;
      assertThat(accepted.consumed()).isEqualTo(headerLength);
      a.check().accept(accepted.header());
    } else if (expect instanceof Reject r) {
      assertThat(result).isInstanceOf(Rejected.class);
      assertThat(((Rejected) result).reason()).isEqualTo(r.reason());
    } else {
      assertThat(result).isSameAs(NeedMoreBytes.INSTANCE);
    }
  }

  /** The length of the header at the start of the vector, found by parsing the whole. */
  static int headerLength(Vector vector) {
    Result r = vector.parser().parse(ByteBuffer.wrap(vector.bytes()));
    return r instanceof Accepted a ? a.consumed() : -1;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void whole(Vector vector) {
    ByteBuffer buffer = ByteBuffer.wrap(vector.bytes());
    Result result = vector.parser().parse(buffer);
    check(vector, result, headerLength(vector));
    assertThat(buffer.position()).as("the window is not consumed").isZero();
    assertThat(buffer.limit()).isEqualTo(vector.bytes().length);
    if (result instanceof Rejected rejected) {
      assertThat(rejected.message()).doesNotContain("evil", "6.6.6.6", "192.0.2.1", "eth0");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void byteByByte(Vector vector) {
    byte[] all = vector.bytes();
    checkByteByByte(vector, k -> ByteBuffer.wrap(all, 0, k).slice());
  }

  /**
   * Parses the windows {@code window(1)}, {@code window(2)}, ... (the vector's first k bytes)
   * until the parser decides, and checks that decision and, for an accepted header, that it came
   * exactly with the header's last byte.
   */
  static void checkByteByByte(Vector vector, IntFunction<ByteBuffer> window) {
    int headerLength = headerLength(vector);
    Result decided = NeedMoreBytes.INSTANCE;
    int decidedAt = -1;
    for (int k = 1; k <= vector.bytes().length; k++) {
      Result r = vector.parser().parse(window.apply(k));
      if (r != NeedMoreBytes.INSTANCE) {
        decided = r;
        decidedAt = k;
        break;
      }
    }
    check(vector, decided, headerLength);
    if (vector.expect() instanceof Accept) {
      assertThat(decidedAt).as("decided exactly when the last header byte arrived")
          .isEqualTo(headerLength);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void insideALargerLittleEndianBuffer(Vector vector) {
    byte[] all = vector.bytes();
    ByteBuffer buffer = ByteBuffer.allocate(all.length + 40).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(ascii("junk before the window "));
    int start = buffer.position();
    buffer.put(all);
    buffer.put(ascii("after"));
    buffer.position(start).limit(start + all.length);
    check(vector, vector.parser().parse(buffer), headerLength(vector));
    assertThat(buffer.position()).isEqualTo(start);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void insideASliceWithAnArrayOffsetByteByByte(Vector vector) {
    // A heap buffer's array is read in place: every index must add arrayOffset() and the
    // position, and stop at the limit although the array goes on with bytes that would
    // complete a cut-off v1 line.
    byte[] all = vector.bytes();
    byte[] big = concat(ascii("PROXY TCP4 "), all, ascii("1.2.3.4 5.6.7.8 1 2\r\n"));
    ByteBuffer slice = ByteBuffer.wrap(big, 4, big.length - 4).slice();
    assertThat(slice.arrayOffset()).isEqualTo(4);
    int start = 7; // big[11], the vector's first byte
    checkByteByByte(vector, k -> slice.limit(start + k).position(start));
    assertThat(slice.position()).as("the window is not consumed").isEqualTo(start);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void insideADirectAndAReadOnlyBuffer(Vector vector) {
    // Neither exposes an array: the parser reads them through the buffer (v1: one bulk copy).
    byte[] all = vector.bytes();
    ByteBuffer direct = ByteBuffer.allocateDirect(all.length + 40);
    direct.put(ascii("junk before the window "));
    int start = direct.position();
    direct.put(all).put(ascii("after"));
    direct.position(start).limit(start + all.length);
    check(vector, vector.parser().parse(direct), headerLength(vector));
    assertThat(direct.position()).isEqualTo(start);
    ByteBuffer readOnly = ByteBuffer.wrap(all).asReadOnlyBuffer();
    check(vector, vector.parser().parse(readOnly), headerLength(vector));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void applicationBytesAfterTheHeaderAreNotConsumed(Vector vector) {
    byte[] withHttp = concat(vector.bytes(), ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    Result r = vector.parser().parse(ByteBuffer.wrap(withHttp));
    if (vector.expect() instanceof Accept) {
      assertThat(r).isInstanceOf(Accepted.class);
      assertThat(((Accepted) r).consumed()).isEqualTo(headerLength(vector));
    } else {
      assertThat(r).isNotInstanceOf(Accepted.class);
    }
  }
}
