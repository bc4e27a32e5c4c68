package dev.trustproxy.proxyprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edges of the parser and of the {@link ProxyHeader} values that the vector tests leave open:
 * exact lengths at the limits, every rejection message's numbers, the SSL TLV's fields, TLV
 * and header equality, typed TLV decoding. Written for the mutation run (PIT showed these
 * unchecked).
 */
class ProxyHeaderEdgesTest {

  private static final String SIG = "0D0A0D0A000D0A515549540A";
  private static final String TCP4 = "C0000201 C6336402 DC04 01BB";
  private static final ProxyHeaderParser PARSER = ProxyHeaderParser.defaults();

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static Result parse(byte[] bytes) {
    return PARSER.parse(ByteBuffer.wrap(bytes));
  }

  private static Result parse(String latin1) {
    return parse(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static ProxyHeader accepted(byte[] bytes) {
    Result r = parse(bytes);
    assertThat(r).isInstanceOf(Accepted.class);
    return ((Accepted) r).header();
  }

  /** A v2 TCP4 header (V2-01 addresses) followed by the given TLV bytes. */
  private static byte[] v2WithTlvs(String tlvHex) {
    byte[] tlvs = hex(tlvHex);
    int len = 12 + tlvs.length;
    return concat(hex(SIG + "21 11"), new byte[] {(byte) (len >> 8), (byte) len}, hex(TCP4), tlvs);
  }

  /** A TLV of {@code type} holding {@code value}. */
  private static String tlv(int type, byte[] value) {
    return String.format("%02X %04X ", type, value.length) + HexFormat.of().formatHex(value);
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        Arguments.of("v1 UNKNOWN glued to more text is an unknown protocol", "PROXY UNKNOWNX\r\n",
            Reason.MALFORMED, "v1: protocol field is not TCP4, TCP6 or UNKNOWN (case-sensitive)"),
        Arguments.of("v1 empty field between addresses", "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",
            Reason.MALFORMED, "v1: empty field (double space) at offset 19"),
        Arguments.of("v1 TCP4 bad destination", "PROXY TCP4 1.2.3.4 5.6.7.256 1 2\r\n",
            Reason.MALFORMED, "v1: TCP4 destination address is not a dotted quad (four decimal"
                + " parts 0-255, no leading zeros)"),
        Arguments.of("v1 TCP6 bad source", "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", Reason.MALFORMED,
            "v1: TCP6 source address is not IPv6 text (RFC 4291, no brackets, no zone)"),
        Arguments.of("v1 bad destination port", "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n",
            Reason.MALFORMED, "v1: destination port is not a decimal 0-65535 without leading zeros"),
        Arguments.of("v1 colon in a port", "PROXY TCP4 1.2.3.4 5.6.7.8 1: 2\r\n",
            Reason.MALFORMED, "v1: source port is not a decimal 0-65535 without leading zeros"),
        Arguments.of("v1 slash in a port", "PROXY TCP4 1.2.3.4 5.6.7.8 1/ 2\r\n",
            Reason.MALFORMED, "v1: source port is not a decimal 0-65535 without leading zeros"),
        Arguments.of("v1 107 bytes without CRLF", "PROXY " + "X".repeat(101), Reason.TOO_LARGE,
            "v1: no CRLF in the first 107 bytes"),
        Arguments.of("v1 CR at offset 106 leaves no room for LF",
            "PROXY UNKNOWN " + "X".repeat(92) + "\r", Reason.TOO_LARGE,
            "v1: no CRLF in the first 107 bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejectionReasonAndMessage(String name, String bytes, Reason reason, String message) {
    assertThat(parse(bytes)).isEqualTo(new Rejected(reason, message));
  }

  @Test
  void v2RejectionMessagesCarryTheDecodedNumbers() {
    assertThat(parse(concat(hex(SIG + "11 11 000C"), new byte[12])))
        .isEqualTo(new Rejected(Reason.MALFORMED, "v2: version 1, expected 2"));
    assertThat(parse(hex(SIG + "21 11 000E" + TCP4 + "04 00")))
        .isEqualTo(new Rejected(Reason.MALFORMED,
            "v2: 2 stray bytes after the last TLV at offset 28"));
    assertThat(parse(hex(SIG + "21 11 0012" + TCP4 + "02 0010 616263")))
        .isEqualTo(new Rejected(Reason.MALFORMED,
            "v2: TLV 0x02 at offset 28 claims 16 bytes, only 3 left in the header"));
    assertThat(parse(v2WithTlvs("20 000F 01 00000000 21 0020 544C5376312E33")))
        .isEqualTo(new Rejected(Reason.MALFORMED,
            "v2: SSL sub-TLV 0x21 claims 32 bytes, only 7 left in the SSL TLV"));
    assertThat(parse(hex("0D0A0D0A 58")))
        .isEqualTo(new Rejected(Reason.MALFORMED,
            "not a PROXY protocol header (byte 4 matches neither the v1 nor the v2 signature)"));
  }

  @Test
  void limitsAreInclusive() {
    assertThat(new ProxyHeaderParser(true, true, 16, false).parse(ByteBuffer.wrap(hex(SIG + "20 00 0000"))))
        .isInstanceOf(Accepted.class);
    assertThatThrownBy(() -> ProxyProtocolSettings.builder().maxV2HeaderSize(15))
        .hasMessageContaining("maxV2HeaderSize: 15");
    assertThatThrownBy(() -> ProxyProtocolSettings.builder().maxV2HeaderSize(65552))
        .hasMessageContaining("maxV2HeaderSize: 65552");
    assertThat(ProxyProtocolSettings.builder().maxV2HeaderSize(65551).maxV2HeaderSize())
        .isEqualTo(65551);
    assertThat(parse("PROXY UNKNOWN\r")).isSameAs(NeedMoreBytes.INSTANCE);
    assertThat(parse("PROXY " + "X".repeat(100))).isSameAs(NeedMoreBytes.INSTANCE);
    ProxyHeader zeroPorts = accepted("PROXY TCP4 1.2.3.4 5.6.7.8 0 0\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(zeroPorts.sourceAddress().getPort()).isZero();
    assertThat(zeroPorts.destinationAddress().getPort()).isZero();
    ProxyHeader digits = accepted("PROXY TCP4 1.2.3.4 5.6.7.8 10 19\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(digits.sourceAddress().getPort()).isEqualTo(10);
    assertThat(digits.destinationAddress().getPort()).isEqualTo(19);
  }

  @Test
  void couldStartHeaderOnlyForPAndCr() {
    assertThat(ProxyHeaderParser.couldStartHeader((byte) 'P')).isTrue();
    assertThat(ProxyHeaderParser.couldStartHeader((byte) '\r')).isTrue();
    assertThat(ProxyHeaderParser.couldStartHeader((byte) 'G')).isFalse();
    assertThat(ProxyHeaderParser.couldStartHeader((byte) '\n')).isFalse();
    assertThat(ProxyHeaderParser.couldStartHeader((byte) 0x16)).isFalse();
  }

  @Test
  void sslFieldsAreDecoded() {
    ProxyHeader.Ssl ssl = accepted(v2WithTlvs("20 000A 05 01020304 21 0002 6869")).ssl().orElseThrow();
    assertThat(ssl.client()).isEqualTo(5);
    assertThat(ssl.verify()).isEqualTo(0x01020304L);
    assertThat(ssl.clientSsl()).isTrue();
    assertThat(ssl.clientCertificateVerified()).as("verify is not 0").isFalse();
    assertThat(ssl.version()).contains("hi");
    assertThat(ssl).hasToString("Ssl[client=5, verify=16909060, subTlvs=1]");

    ProxyHeader.Ssl unsigned = accepted(v2WithTlvs("20 0005 01 FFFFFFFF")).ssl().orElseThrow();
    assertThat(unsigned.verify()).isEqualTo(0xFFFFFFFFL);
    assertThat(unsigned.subTlvs()).isEmpty();

    ProxyHeader.Ssl certOnly = accepted(v2WithTlvs("20 0005 02 00000000")).ssl().orElseThrow();
    assertThat(certOnly.clientSsl()).isFalse();
    assertThat(certOnly.clientCertificateVerified()).isTrue();
    ProxyHeader.Ssl session = accepted(v2WithTlvs("20 0005 04 00000000")).ssl().orElseThrow();
    assertThat(session.clientCertificateVerified()).isTrue();
    ProxyHeader.Ssl noCert = accepted(v2WithTlvs("20 0005 01 00000000")).ssl().orElseThrow();
    assertThat(noCert.clientCertificateVerified()).isFalse();

    ProxyHeader.Ssl emptySub = accepted(v2WithTlvs("20 0008 01 00000000 23 0000")).ssl().orElseThrow();
    assertThat(emptySub.cipher()).contains("");

    ProxyHeader.Ssl cn = accepted(v2WithTlvs("20 000C 01 00000000 22 0004 C3A46161")).ssl().orElseThrow();
    assertThat(cn.commonName()).contains("\u00e4aa");
  }

  @Test
  void sslTlvOfFourBytesIsRejected() {
    assertThat(parse(v2WithTlvs("20 0004 01 000000")))
        .isEqualTo(new Rejected(Reason.MALFORMED, "v2: SSL TLV of 4 bytes, expected at least 5"));
  }

  @Test
  void valueEquality() {
    byte[] bytes = v2WithTlvs("20 0005 05 01020304 02 0003 616263");
    ProxyHeader a = accepted(bytes);
    ProxyHeader b = accepted(bytes.clone());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo("a string");
    assertThat(a.ssl().orElseThrow()).isEqualTo(b.ssl().orElseThrow())
        .hasSameHashCodeAs(b.ssl().orElseThrow()).isNotEqualTo("a string");
    ProxyHeader other = accepted(v2WithTlvs("20 0005 05 01020305 02 0003 616263"));
    assertThat(other).isNotEqualTo(a);
    assertThat(other.hashCode()).isNotEqualTo(a.hashCode());
    assertThat(other.ssl().orElseThrow()).isNotEqualTo(a.ssl().orElseThrow());
    assertThat(other.ssl().orElseThrow().hashCode()).isNotEqualTo(a.ssl().orElseThrow().hashCode());
    assertThat(accepted(v2WithTlvs("20 0005 06 01020304")).ssl().orElseThrow())
        .isNotEqualTo(a.ssl().orElseThrow());

    ProxyHeader.Tlv authority = a.tlvs().get(1);
    assertThat(authority.length()).isEqualTo(3);
    assertThat(authority).hasToString("Tlv[type=0x02, length=3]");
    assertThat(authority).isEqualTo(b.tlvs().get(1)).hasSameHashCodeAs(b.tlvs().get(1))
        .isNotEqualTo(a.tlvs().get(0)).isNotEqualTo("a string");
    ProxyHeader sameValueOtherType = accepted(v2WithTlvs("E1 0003 616263"));
    ProxyHeader otherValue = accepted(v2WithTlvs("02 0003 616264"));
    assertThat(sameValueOtherType.tlvs().get(0)).isNotEqualTo(authority);
    assertThat(sameValueOtherType.tlvs().get(0).hashCode()).isNotEqualTo(authority.hashCode());
    assertThat(otherValue.tlvs().get(0)).isNotEqualTo(authority);
    assertThat(otherValue.tlvs().get(0).hashCode()).isNotEqualTo(authority.hashCode());
    assertThat(a).hasToString("ProxyHeader[v2 PROXY INET/STREAM source=192.0.2.1:56324"
        + " destination=198.51.100.2:443 tlvTypes=[0x20,0x02]]");
  }

  @Test
  void repeatableTlvTypesMayRepeat() {
    ProxyHeader h = accepted(v2WithTlvs("04 0000 04 0001 00 E1 0001 01 E1 0001 02"));
    assertThat(h.tlvs()).hasSize(4);
    assertThat(h.tlv(0xE1)).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
  }

  @Test
  void authorityIsUtf8AndAlpnAscii() {
    ProxyHeader h = accepted(v2WithTlvs(tlv(0x02, "b\u00fccher.test".getBytes(StandardCharsets.UTF_8))
        + tlv(0x01, "h2".getBytes(StandardCharsets.US_ASCII))));
    assertThat(h.authority()).contains("b\u00fccher.test");
    assertThat(h.alpn()).contains("h2");
  }

  static Stream<Arguments> vpceIds() {
    return Stream.of(
        Arguments.of("vpce-azAZ09", true), Arguments.of("", true), Arguments.of("a`", false),
        Arguments.of("a{", false), Arguments.of("a@", false), Arguments.of("a[", false),
        Arguments.of("a/", false), Arguments.of("a:", false), Arguments.of("a.", false));
  }

  @ParameterizedTest(name = "AWS VPCE id ''{0}'' is read: {1}")
  @MethodSource("vpceIds")
  void awsVpceIdAcceptsOnlyLettersDigitsAndDash(String id, boolean readable) {
    byte[] value = concat(new byte[] {0x01}, id.getBytes(StandardCharsets.US_ASCII));
    ProxyHeader h = accepted(v2WithTlvs(tlv(0xEA, value)));
    if (readable) {
      assertThat(h.awsVpceId()).contains(id);
    } else {
      assertThat(h.awsVpceId()).isEmpty();
    }
  }

  @Test
  void awsTlvOfOtherSubtypeOrEmptyHasNoVpceId() {
    assertThat(accepted(v2WithTlvs("EA 0000")).awsVpceId()).isEmpty();
    assertThat(accepted(v2WithTlvs("EA 0003 02 6162")).awsVpceId()).isEmpty();
  }
}
