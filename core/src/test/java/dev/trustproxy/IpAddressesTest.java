package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IpAddress values from raw bits, sockets and family-fixed text, never from a name. */
class IpAddressesTest {

  @Test
  void rawBitsAreTheAddressAndMappedIpv6IsIpv4() {
    assertThat(IpAddresses.ofIpv4(0xC0000201)).isEqualTo(IpAddress.parse("192.0.2.1"));
    assertThat(IpAddresses.ofIpv6(0x20010DB800000000L, 1L)).isEqualTo(IpAddress.parse("2001:db8::1"));
    IpAddress mapped = IpAddresses.ofIpv6(0L, 0x0000FFFFC0000201L);
    assertThat(mapped.isIpv4()).isTrue();
    assertThat(mapped).isEqualTo(IpAddress.parse("192.0.2.1"));
  }

  @Test
  void aSocketGivesItsAddressOrNullWhenItHasNone() throws Exception {
    SocketAddress inet = new InetSocketAddress(IpAddress.parse("2001:db8::7").toInetAddress(), 80);
    assertThat(IpAddresses.ofSocket(inet)).isEqualTo(IpAddress.parse("2001:db8::7"));
    // Unresolved: only a name, which must never be looked up.
    assertThat(IpAddresses.ofSocket(InetSocketAddress.createUnresolved("evil.example", 80)))
        .isNull();
    assertThat(IpAddresses.ofSocket(UnixDomainSocketAddress.of("/tmp/x.sock"))).isNull();
    assertThat(IpAddresses.ofSocket(null)).isNull();
  }

  @ParameterizedTest(name = "[{0}] in \"{1}\" is {2}")
  @CsvSource(delimiter = '|', textBlock = """
      v4 | x192.0.2.1y    | 192.0.2.1
      v4 | x010.0.0.1y    | -
      v4 | x::1y          | -
      v6 | x2001:db8::1y  | 2001:db8::1
      v6 | x::ffff:1.2.3.4y | 1.2.3.4
      v6 | x192.0.2.1y    | -
      v6 | xfe80::1%ethy  | -
      """)
  void familyFixedTextUsesTheOneGrammar(String family, String text, String expected) {
    int to = text.length() - 1;
    IpAddress parsed = family.equals("v4")
        ? IpAddresses.tryParseIpv4(text, 1, to)
        : IpAddresses.tryParseIpv6(text, 1, to);
    assertThat(parsed == null ? "-" : parsed.toString()).isEqualTo(expected);
    assertThat(IpAddresses.tryParseIpv4(text, 1, text.length() + 1)).isNull();
    assertThat(IpAddresses.tryParseIpv6(text, 2, 2)).isNull();
  }

  @ParameterizedTest(name = "[{0}] in bytes \"{1}\" is {2}")
  @CsvSource(delimiter = '|', textBlock = """
      v4 | x192.0.2.1y       | 192.0.2.1
      v4 | x255.255.255.255y | 255.255.255.255
      v4 | x010.0.0.1y       | -
      v4 | x1.2.3.4.y        | -
      v4 | x::1y             | -
      v4 | x1.2.3.\u00b1y   | -
      v6 | x2001:db8::1y     | 2001:db8::1
      v6 | x2001:DB8::Ay     | 2001:db8::a
      v6 | x::ffff:1.2.3.4y  | 1.2.3.4
      v6 | x192.0.2.1y       | -
      v6 | xfe80::1%ethy     | -
      v6 | x\u00e1::1y      | -
      """)
  void bytesReadInPlaceAreTheSameGrammar(String family, String text, String expected) {
    // ISO-8859-1, one byte per character: 0xB1 and 0xE1 are '1' and 'a' with the high bit set,
    // and must not pass for a digit or a hex letter.
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    assertThat(bytes).hasSize(text.length());
    int to = bytes.length - 1;
    IpAddress parsed = family.equals("v4")
        ? IpAddresses.tryParseIpv4(bytes, 1, to)
        : IpAddresses.tryParseIpv6(bytes, 1, to);
    assertThat(parsed == null ? "-" : parsed.toString()).isEqualTo(expected);
    IpAddress fromText = family.equals("v4")
        ? IpAddresses.tryParseIpv4(text, 1, to)
        : IpAddresses.tryParseIpv6(text, 1, to);
    assertThat(parsed).isEqualTo(fromText);
    assertThat(IpAddresses.tryParseIpv4(bytes, 1, bytes.length + 1)).isNull();
    assertThat(IpAddresses.tryParseIpv6(bytes, -1, to)).isNull();
    assertThat(IpAddresses.tryParseIpv6(bytes, 2, 2)).isNull();
  }
}
