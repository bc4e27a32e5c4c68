package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  // ---------------------------------------------------------------------------------------------
  // Rejected text

  /**
   * Text that is not an address literal of the accepted forms. Many rows are accepted by some other
   * parser (inet_aton, the JDK, ipaddr.js), which is exactly why they must be refused here: two
   * components that read the same text as different addresses can be played against each other.
   */
  static Stream<Named<String>> notAddresses() {
    return Stream.of(
            // Guava-style IPv4 corpus: octal, hex, short and integer forms, stray dots and signs.
            "",
            ".",
            "...",
            "016.016.016.016",
            "016.016.016",
            "016.016",
            "016",
            "000.000.000.000",
            "00.0.0.0",
            "000",
            "0x0a.0x0a.0x0a.0x0a",
            "0x0a.0x0a.0x0a",
            "0x0a",
            "42.42.42.42.42",
            "42.42.42",
            "42.42",
            "42",
            "42..42.42",
            "42..42.42.42",
            "42.42.42.42.",
            "42.42.42.42...",
            ".42.42.42.42",
            "...42.42.42.42",
            "42.42.42.-0",
            "42.42.42.+0",
            "42.42.42.-42",
            "42.42.42.ab",
            "+1.+2.+3.4",
            "1.2.3.4e0",
            "257.0.0.0",
            "1.2.3.256",
            "1.2.3.1000",
            "1.2.3.0255",
            "bogus",
            "bogus.com",
            "192.168.0.1.com",
            "12345.67899.-54321.-98765",
            // Guava-style IPv6 corpus.
            ":",
            ":::",
            "3ffe::1.net",
            "3ffe::1::1",
            "1::2::3::4:5",
            "::7:6:5:4:3:2:",
            ":6:5:4:3:2:1::",
            "2001::db:::1",
            "FEDC:9878",
            "6:5:4:3:2:1:0",
            "::7:6:5:4:3:2:1:0",
            "7:6:5:4:3:2:1:0::",
            "9:8:7:6:5:4:3::2:1",
            "0:1:2:3::4:5:6:7",
            "3ffe:0:0:0:0:0:0:0:1",
            "3ffe::10000",
            "3ffe::goog",
            "3ffe::-0",
            "3ffe::+0",
            "3ffe::-1",
            "::1.2.3",
            "::1.2.3.4.5",
            "::1.2.3.4:",
            "1.2.3.4::",
            "2001:db8::1:",
            ":2001:db8::1",
            ":1:2:3:4:5:6:7",
            ":12:3:4", // a lone leading colon, not "::", whatever follows it
            ":abc:1",
            ":11:22:33:44:55:66:77",
            "1:2:3:4:5:6:7:",
            "1:2:3:4:5:6:1.2.3.4:5",
            "::ffff:1.2.3.4.",
            "::ffff:.1.2.3.4",
            "::ffff:1.2.3",
            "::ffff:256.1.1.1",
            "::ffff:1.2.3.4.5",
            "00000::1",
            "::00000",
            // D4 and the attack catalogue (docs/attack-catalogue.md X8).
            " 1.2.3.4",
            "1.2.3.4 ",
            "\t1.2.3.4",
            "010.0.0.1",
            "0177.0.0.1",
            "127.1",
            "127.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "0x7f.0.0.1",
            "0x7f000001",
            "2130706433",
            "4294967295",
            "4294967296",
            "1e3",
            "+1.2.3.4",
            "-1.2.3.4",
            "\uff11\uff19\uff12.\uff11\uff16\uff18.\uff10.\uff11", // fullwidth 192.168.0.1
            "1\uff0e2\uff0e3\uff0e4", // fullwidth full stops
            "\u0661.\u0662.\u0663.\u0664", // Arabic-Indic digits
            "1.2.3.4%eth0",
            "fe80::1%eth0",
            "fe80::1%1",
            "fe80::1%",
            "::1%25eth0",
            "[::1]",
            "[::1]:443",
            "[1.2.3.4]",
            "1.2.3.4:80",
            "1.2.3.4:",
            "1::2::3",
            "12345::1",
            "1:2:3:4:5:6:7:8:9",
            "::8:8:8:8:8:8:8:8",
            "::8:8:8:8:8:8:8:8:8",
            "8:8:8:8:8:8:8:8::",
            "8:8:8:8::8:8:8:8",
            ":1::",
            "1::2:",
            ":::",
            "::::",
            ":::1",
            "1:::",
            "::ffff:010.0.0.1",
            "::ffff:0x7f.0.0.1",
            "::ffff:127.1",
            "::ffff:2130706433",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4:8",
            "::1.2.3.4:8",
            "1.2.3.4:1:2:3:4:5:6",
            "g::1",
            "::g",
            "fe80::1 ",
            " ::1",
            "::1\n",
            "1.2.3.4\r\n",
            "1.2.3.4\nX-Injected: 1",
            "1.2.3.4\u0000",
            "1.2\u0000.3.4",
            "::1\u0000",
            "\u0000",
            "evil.example",
            "localhost",
            "LOCALHOST",
            "unknown",
            "_hidden",
            "_abc",
            "obfuscated",
            "1.2.3.4,5.6.7.8",
            "1.2.3.4/32",
            "::1/128",
            "0000:0000:0000:0000:0000:0000:0000:0000:0000",
            "0000:0000:0000:0000:0000:ffff:255.255.255.2550",
            "00000:0000:0000:0000:0000:ffff:255.255.255.255",
            "1:2:3:4:5:6:7:8:",
            // Each part's and group's digits are read without a loop (README D120): a digit
            // after a whole 0, a fourth decimal or fifth hex digit, at every position.
            "00.1.2.3",
            "1.02.3.4",
            "1.2.00.4",
            "1.2.3.00",
            "1.2.3.09",
            "1234.2.3.4",
            "1.2.3.2555",
            "1.2.3.4.",
            "1.2.3.4.5.6",
            "12345::",
            "1:12345::",
            "::1:12345",
            "::abcd1.2.3.4",
            "::1234.5.6.7",
            "::ffff:1.2.3.04")
        .map(Shown::text);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notAddresses")
  void tryParseReturnsNullForTextThatIsNotALiteral(String text) {
    assertThat(IpAddress.tryParse(text)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notAddresses")
  void parseRejectsTextThatIsNotALiteralAndQuotesIt(String text) {
    assertThatThrownBy(() -> IpAddress.parse(text))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notAddresses")
  void rejectedTextIsAlsoRejectedInsideALongerString(String text) {
    String framed = "<" + text + ">";
    assertThat(IpAddress.tryParse(framed, 1, 1 + text.length())).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // Canonical text

  /** Input text and its canonical form (dotted decimal, or RFC 5952). */
  static Stream<Arguments> canonicalForms() {
    return Stream.of(
        // IPv4 is printed as given (the only accepted spelling is already canonical).
        arguments("0.0.0.0", "0.0.0.0"),
        arguments("1.2.3.4", "1.2.3.4"),
        arguments("127.0.0.1", "127.0.0.1"),
        arguments("10.0.0.1", "10.0.0.1"),
        arguments("100.64.0.0", "100.64.0.0"),
        arguments("203.0.113.9", "203.0.113.9"),
        arguments("255.255.255.255", "255.255.255.255"),
        // RFC 5952 4.3: lower case.
        arguments("2001:DB8::1", "2001:db8::1"),
        arguments("FE80::ABCD", "fe80::abcd"),
        arguments("2001:Db8:aBc::1", "2001:db8:abc::1"),
        // 4.1: leading zeros removed.
        arguments("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        arguments("2001:db8:00ab:000c::1", "2001:db8:ab:c::1"),
        arguments("0:0:0:0:0:0:0:1", "::1"),
        arguments("0000:0000:0000:0000:0000:0000:0000:0000", "::"),
        // 4.2.1: "::" used to its maximum.
        arguments("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
        arguments("2001:db8::0:1", "2001:db8::1"),
        arguments("2001:db8:0::1", "2001:db8::1"),
        // 4.2.2: never for a single zero group.
        arguments("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        arguments("2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        arguments("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        arguments("::1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7"),
        arguments("1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"),
        // 4.2.3: the longest run; the first of equally long runs.
        arguments("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        arguments("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        arguments("0:0:1:0:0:1:0:0", "::1:0:0:1:0:0"),
        arguments("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        arguments("1:0:0:0:2:0:0:0", "1::2:0:0:0"),
        arguments("1:0:0:0:0:2:0:0", "1::2:0:0"),
        // Groups of one to four digits, each in every position (README D120).
        arguments("1:22:333:4444:a:bb:ccc:dddd", "1:22:333:4444:a:bb:ccc:dddd"),
        arguments("dddd:ccc:bb:a:4444:333:22:1", "dddd:ccc:bb:a:4444:333:22:1"),
        arguments("fd00::2", "fd00::2"),
        arguments("0.10.200.255", "0.10.200.255"),
        arguments("255.200.10.0", "255.200.10.0"),
        // Runs at either end.
        arguments("::", "::"),
        arguments("::0", "::"),
        arguments("0::", "::"),
        arguments("1::", "1::"),
        arguments("1:0:0:0:0:0:0:0", "1::"),
        arguments("::1", "::1"),
        arguments("::2:0", "::2:0"),
        arguments("fe80::", "fe80::"),
        arguments("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        // IPv4-mapped IPv6 is the IPv4 address (D9, D16), in every spelling.
        arguments("::ffff:1.2.3.4", "1.2.3.4"),
        arguments("::ffff:7f00:1", "127.0.0.1"),
        arguments("0:0:0:0:0:ffff:127.0.0.1", "127.0.0.1"),
        arguments("::FFFF:127.0.0.1", "127.0.0.1"),
        arguments("0000:0000:0000:0000:0000:FFFF:7F00:0001", "127.0.0.1"),
        arguments("::ffff:0.0.0.0", "0.0.0.0"),
        arguments("::ffff:0:0", "0.0.0.0"),
        arguments("::ffff:ffff:ffff", "255.255.255.255"),
        arguments("0:0:0:0:0:ffff:0a00:0001", "10.0.0.1"),
        // Neighbours of the mapped block stay IPv6.
        arguments("::7f00:1", "::7f00:1"),
        arguments("::1:ffff:7f00:1", "::1:ffff:7f00:1"),
        arguments("::fffe:7f00:1", "::fffe:7f00:1"),
        arguments("1::ffff:7f00:1", "1::ffff:7f00:1"),
        arguments("::ffff:0:7f00:1", "::ffff:0:7f00:1"),
        arguments("64:ff9b::a00:1", "64:ff9b::a00:1"),
        arguments("64:ff9b::10.0.0.1", "64:ff9b::a00:1"),
        // IPv4-compatible (deprecated) addresses are plain IPv6, printed in hex.
        arguments("::1.2.3.4", "::102:304"),
        arguments("::0.0.0.1", "::1"),
        arguments("::0.0.0.0", "::"),
        arguments("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
        arguments("2001:db8::192.0.2.33", "2001:db8::c000:221"),
        // "::" for one group with a dotted quad: the canonical text is longer than the input.
        arguments("1:2::43:5:6:1.2.3.4", "1:2:0:43:5:6:102:304"),
        // The longest valid text (45 characters).
        arguments("0000:0000:0000:0000:0000:ffff:255.255.255.255", "255.255.255.255"),
        arguments("1111:2222:3333:4444:5555:6666:255.255.255.255", "1111:2222:3333:4444:5555:6666:ffff:ffff"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonicalForms")
  void toStringIsTheCanonicalForm(String text, String canonical) {
    assertThat(IpAddress.parse(text)).hasToString(canonical);
    assertThat(IpAddress.tryParse(text)).hasToString(canonical);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonicalForms")
  void canonicalFormParsesToAnEqualAddressAndPrintsTheSame(String text, String canonical) {
    IpAddress address = IpAddress.parse(text);
    IpAddress reparsed = IpAddress.parse(canonical);
    assertThat(reparsed).isEqualTo(address).hasSameHashCodeAs(address);
    assertThat(reparsed).hasToString(canonical);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonicalForms")
  void canonicalFormAgreesWithTheJdkAndAnIndependentRfc5952Formatter(String text, String canonical) {
    IpAddress address = IpAddress.parse(text);
    assertThat(referenceCanonical(address.toBytes())).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonicalForms")
  void addressIsFoundInsideALongerString(String text, String canonical) {
    String framed = "for=[" + text + "]:443";
    IpAddress address = IpAddress.tryParse(framed, 5, 5 + text.length());
    assertThat(address).isNotNull().hasToString(canonical);
  }

  // ---------------------------------------------------------------------------------------------
  // Families and the unspecified address

  @ParameterizedTest(name = "{0} -> ipv4={1} unspecified={2}")
  @CsvSource({
    "0.0.0.0, true, true",
    "0.0.0.1, true, false",
    "127.0.0.1, true, false",
    "255.255.255.255, true, false",
    "::ffff:0.0.0.0, true, true",
    "::ffff:0:0, true, true",
    "::ffff:7f00:1, true, false",
    "::, false, true",
    "0:0:0:0:0:0:0:0, false, true",
    "::0.0.0.0, false, true",
    "::1, false, false",
    "::1.2.3.4, false, false",
    "::ffff:0:0:0, false, false",
    "1::, false, false",
    "2001:db8::1, false, false",
  })
  void familyAndUnspecified(String text, boolean ipv4, boolean unspecified) {
    IpAddress address = IpAddress.parse(text);
    assertThat(address.isIpv4()).as("isIpv4").isEqualTo(ipv4);
    assertThat(address.isUnspecified()).as("isUnspecified").isEqualTo(unspecified);
    assertThat(address.toBytes()).hasSize(ipv4 ? 4 : 16);
  }

  // ---------------------------------------------------------------------------------------------
  // Equality

  @ParameterizedTest(name = "{0} == {1}")
  @CsvSource({
    "::ffff:1.2.3.4, 1.2.3.4",
    "::ffff:102:304, 1.2.3.4",
    "0:0:0:0:0:FFFF:0102:0304, 1.2.3.4",
    "::ffff:0.0.0.0, 0.0.0.0",
    "2001:DB8::1, 2001:0db8:0:0:0:0:0:1",
    "::1, 0:0:0:0:0:0:0:1",
    "::, 0::0",
    "::102:304, ::1.2.3.4",
  })
  void differentSpellingsOfOneAddressAreEqual(String a, String b) {
    IpAddress x = IpAddress.parse(a);
    IpAddress y = IpAddress.parse(b);
    assertThat(x).isEqualTo(y);
    assertThat(y).isEqualTo(x);
    assertThat(x.hashCode()).isEqualTo(y.hashCode());
    assertThat(x).hasToString(y.toString());
  }

  @ParameterizedTest(name = "{0} != {1}")
  @CsvSource({
    // Same low bits, different family: an IPv4 address is never an IPv6 one.
    "::1, 0.0.0.1",
    "::, 0.0.0.0",
    "::1.2.3.4, 1.2.3.4",
    "::7f00:1, 127.0.0.1",
    "64:ff9b::7f00:1, 127.0.0.1",
    "::1:ffff:7f00:1, 127.0.0.1",
    "1.2.3.4, 1.2.3.5",
    "2001:db8::1, 2001:db8::2",
    "2001:db8::1, 2001:db8:0:0:1::",
  })
  void differentAddressesAreNotEqual(String a, String b) {
    IpAddress x = IpAddress.parse(a);
    IpAddress y = IpAddress.parse(b);
    assertThat(x).isNotEqualTo(y);
    assertThat(y).isNotEqualTo(x);
  }

  @Test
  void isNotEqualToOtherTypes() {
    IpAddress address = IpAddress.parse("1.2.3.4");
    assertThat(address.equals("1.2.3.4")).isFalse();
    assertThat(address.equals(null)).isFalse();
    assertThat(address.equals(address.toInetAddress())).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // Bytes and InetAddress

  @ParameterizedTest(name = "{0} <-> {1}")
  @CsvSource({
    "0.0.0.0, 00000000",
    "1.2.3.4, 01020304",
    "255.255.255.255, ffffffff",
    "192.0.2.1, c0000201",
    "::, 00000000000000000000000000000000",
    "::1, 00000000000000000000000000000001",
    "2001:db8::1, 20010db8000000000000000000000001",
    "fe80::1:2, fe800000000000000000000000010002",
    "::102:304, 00000000000000000000000001020304",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffffffffffffffffffffffffffffffff",
    "8000::, 80000000000000000000000000000000",
  })
  void toBytesAndOfBytesRoundTrip(String text, String hex) {
    IpAddress address = IpAddress.parse(text);
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertThat(address.toBytes()).isEqualTo(bytes);
    assertThat(IpAddress.ofBytes(bytes)).isEqualTo(address).hasToString(text);
  }

  @Test
  void ofBytesTurnsSixteenMappedBytesIntoTheIpv4Address() {
    byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff7f000001");
    IpAddress address = IpAddress.ofBytes(mapped);
    assertThat(address.isIpv4()).isTrue();
    assertThat(address).isEqualTo(IpAddress.parse("127.0.0.1")).hasToString("127.0.0.1");
    assertThat(address.toBytes()).containsExactly(127, 0, 0, 1);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 3, 5, 8, 15, 17, 32})
  void ofBytesRejectsArraysOfOtherLengthsAndSaysTheLength(int length) {
    assertThatThrownBy(() -> IpAddress.ofBytes(new byte[length]))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(length));
  }

  @Test
  void ofBytesCopiesTheArrayAndToBytesReturnsAFreshOne() {
    byte[] bytes = {10, 0, 0, 1};
    IpAddress address = IpAddress.ofBytes(bytes);
    bytes[0] = 11;
    assertThat(address).hasToString("10.0.0.1");
    address.toBytes()[0] = 12;
    assertThat(address).hasToString("10.0.0.1");
    assertThat(address.toBytes()).isNotSameAs(address.toBytes());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1.2.3.4", "0.0.0.0", "::ffff:10.0.0.1", "::1", "::", "2001:db8::1",
      "::1.2.3.4", "fe80::1"})
  void toInetAddressCarriesTheSameBytesAndNoHostName(String text) {
    IpAddress address = IpAddress.parse(text);
    InetAddress inet = address.toInetAddress();
    assertThat(inet.getAddress()).isEqualTo(address.toBytes());
    assertThat(inet).isInstanceOf(address.isIpv4() ? Inet4Address.class : Inet6Address.class);
    // InetAddress.toString() is "hostname/literal"; an empty host name proves no lookup was made
    // (getHostName() itself would do a reverse lookup, so it is not called here).
    assertThat(inet.toString()).startsWith("/");
    assertThat(IpAddress.of(inet)).isEqualTo(address);
  }

  @Test
  void ofInetAddressReadsTheBytesOfAnUnresolvedAddress() throws UnknownHostException {
    // A host name in the InetAddress must not matter: only its bytes are read.
    InetAddress inet = InetAddress.getByAddress("evil.example", new byte[] {192 - 256, 0, 2, 7});
    assertThat(IpAddress.of(inet)).hasToString("192.0.2.7");
  }

  // ---------------------------------------------------------------------------------------------
  // Sub-range parsing

  @ParameterizedTest(name = "{0} [{1}, {2}) -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[2001:db8::1]:443 | 1 | 12 | 2001:db8::1",
        "for=1.2.3.4;proto=http | 4 | 11 | 1.2.3.4",
        "1.2.3.4:80 | 0 | 7 | 1.2.3.4",
        "x::1y | 1 | 4 | ::1",
        "10.0.0.1,10.0.0.2 | 9 | 17 | 10.0.0.2",
        "10.0.0.1,10.0.0.2 | 0 | 8 | 10.0.0.1",
        "::ffff:1.2.3.4 | 0 | 14 | 1.2.3.4",
        "11.2.3.44 | 1 | 8 | 1.2.3.4",
      })
  void tryParseReadsOnlyTheGivenRegion(String text, int from, int to, String expected) {
    assertThat(IpAddress.tryParse(text, from, to)).hasToString(expected);
  }

  @ParameterizedTest(name = "{0} [{1}, {2})")
  @CsvSource(
      delimiter = '|',
      value = {
        // The region cuts a valid address short, or includes a neighbour.
        "1.2.3.4 | 0 | 6",
        "1.2.3.4 | 1 | 7",
        "x1.2.3.4 | 0 | 8",
        "1.2.3.4:80 | 0 | 8",
        "2001:db8::1 | 0 | 8",
        "2001:db8::1 | 4 | 11",
        "2001:db8::1 | 0 | 9",
      })
  void tryParseReturnsNullForRegionsThatAreNotALiteral(String text, int from, int to) {
    assertThat(IpAddress.tryParse(text, from, to)).isNull();
  }

  @ParameterizedTest(name = "[{0}, {1}) of \"1.2.3.4\"")
  @CsvSource({
    "-1, 7",
    "0, 8",
    "-1, 8",
    "7, 7",
    "3, 3",
    "0, 0",
    "5, 3",
    "7, 0",
    "8, 9",
    "-2147483648, 7",
    "0, 2147483647",
    "2147483647, 2147483647",
    "-2147483648, -2147483648",
  })
  void tryParseReturnsNullForOutOfRangeOrEmptyRegionsWithoutThrowing(int from, int to) {
    assertThat(IpAddress.tryParse("1.2.3.4", from, to)).isNull();
    assertThat(IpAddress.tryParse("::1", from, to)).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // Seeded random values

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 0x5eed, 20260101})
  void randomIpv6ValuesRoundTripThroughTheirCanonicalText(long seed) {
    Random random = new Random(seed);
    for (int n = 0; n < 2000; n++) {
      byte[] bytes = randomIpv6Bytes(random);
      IpAddress address = IpAddress.ofBytes(bytes);
      String text = address.toString();
      String where = "seed " + seed + " value " + HexFormat.of().formatHex(bytes) + " text " + text;
      IpAddress reparsed = IpAddress.parse(text);
      assertThat(reparsed).as(where).isEqualTo(address);
      assertThat(reparsed.toString()).as(where).isEqualTo(text);
      assertThat(text).as(where).isEqualTo(referenceCanonical(bytes));
      assertThat(text).as(where).matches("[0-9a-f:.]+");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 0x5eed, 20260101})
  void randomIpv4ValuesRoundTripThroughTheirCanonicalText(long seed) {
    Random random = new Random(seed);
    for (int n = 0; n < 2000; n++) {
      int value = random.nextInt();
      byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
          (byte) value};
      IpAddress address = IpAddress.ofBytes(bytes);
      String text = address.toString();
      String where = "seed " + seed + " text " + text;
      String expected = (value >>> 24) + "." + ((value >>> 16) & 0xff) + "."
          + ((value >>> 8) & 0xff) + "." + (value & 0xff);
      assertThat(text).as(where).isEqualTo(expected);
      assertThat(IpAddress.parse(text)).as(where).isEqualTo(address).hasToString(text);
      assertThat(IpAddress.parse("::ffff:" + text)).as(where).isEqualTo(address);
      assertThat(address.toBytes()).as(where).isEqualTo(bytes);
    }
  }

  /**
   * Random short text over digits, dots, a colon, a letter and a space (and near-quads with random
   * parts) parses as IPv4 exactly when a regular expression of the strict grammar matches it (four
   * parts 0..255, no leading zeros), to the value its parts give; its run of digits and dots at the
   * start is a quad prefix exactly when that run matches.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 4711, 20261202})
  void randomTextIsADottedQuadExactlyWhenTheStrictGrammarSaysSo(long seed) {
    Pattern part = Pattern.compile(
        "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    Pattern quad = Pattern.compile(
        part + "\\." + part + "\\." + part + "\\." + part);
    Random random = new Random(seed);
    String alphabet = "0123456789.:a ";
    for (int n = 0; n < 20_000; n++) {
      String text;
      if (n % 2 == 0) {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(18); k > 0; k--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        text = b.toString();
      } else {
        text = (random.nextInt(5) == 0 ? "0" : "") + random.nextInt(300) + "."
            + random.nextInt(300) + "." + random.nextInt(1000) + "." + random.nextInt(300);
      }
      assertThat(IpAddress.parseIpv4(text, 0, text.length())).as("'%s'", text)
          .isEqualTo(quadValue(quad, text));
      // The prefix reader (D118) reads the run of digits and dots at the start as a whole quad.
      int run = 0;
      while (run < text.length() && "0123456789.".indexOf(text.charAt(run)) >= 0) {
        run++;
      }
      long runValue = quadValue(quad, text.substring(0, run));
      long expectedPrefix = runValue < 0 ? -1 : (long) run << 32 | runValue;
      assertThat(IpAddress.parseIpv4Prefix(text, 0, text.length())).as("prefix of '%s'", text)
          .isEqualTo(expectedPrefix);
    }
  }

  /** The value of {@code text} when the grammar's expression matches it whole, else -1. */
  private static long quadValue(Pattern quad, String text) {
    Matcher m = quad.matcher(text);
    return m.matches()
        ? (Long.parseLong(m.group(1)) << 24) | (Long.parseLong(m.group(2)) << 16)
            | (Long.parseLong(m.group(3)) << 8) | Long.parseLong(m.group(4))
        : -1;
  }

  @ParameterizedTest(name = "''{0}'' -> {1} ending at {2}")
  @CsvSource(delimiter = '|', value = {
      "203.0.113.7     | 203.0.113.7 | 11",
      "203.0.113.7:443 | 203.0.113.7 | 11",
      "1.2.3.4]:80     | 1.2.3.4     | 7",
      "1.2.3.4 x       | 1.2.3.4     | 7",
      "1.2.3.4a        | 1.2.3.4     | 7",
      "1.2.3.4.5       | -           | -",
      "1.2.3.45678:1   | -           | -",
      "01.2.3.4:1      | -           | -",
      "1.2.3.04:1      | -           | -",
      "1.2.3:4         | -           | -",
      "1.2.3.:4        | -           | -",
      "2001:db8::7     | -           | -",
      "fd00::1         | -           | -",
      "[1.2.3.4]       | -           | -",
  })
  void aQuadPrefixIsTheWholeRunOfDigitsAndDotsAtTheStart(String text, String address,
      String end) {
    long quad = IpAddress.parseIpv4Prefix(text, 0, text.length());
    assertThat(quad < 0 ? "-" : IpAddress.ipv4ToString((int) quad)).isEqualTo(address);
    assertThat(quad < 0 ? "-" : Integer.toString((int) (quad >>> 32))).isEqualTo(end);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8, 9, 1234, 99991})
  void randomIpv6ValuesWrittenNonCanonicallyParseToTheSameAddress(long seed) {
    Random random = new Random(seed);
    for (int n = 0; n < 2000; n++) {
      byte[] bytes = randomIpv6Bytes(random);
      IpAddress address = IpAddress.ofBytes(bytes);
      String text = nonCanonicalSpelling(bytes, random);
      String where = "seed " + seed + " value " + HexFormat.of().formatHex(bytes) + " text " + text;
      IpAddress parsed = IpAddress.tryParse(text);
      assertThat(parsed).as(where).isEqualTo(address);
      assertThat(parsed.toString()).as(where).isEqualTo(address.toString());
    }
  }

  /** 16 random bytes, with zero groups and the mapped and compatible prefixes made common. */
  static byte[] randomIpv6Bytes(Random random) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = switch (random.nextInt(4)) {
        case 0, 1 -> 0;
        case 2 -> random.nextInt(0x10);
        default -> random.nextInt(0x10000);
      };
    }
    switch (random.nextInt(8)) {
      case 0 -> { // IPv4-mapped
        Arrays.fill(groups, 0, 5, 0);
        groups[5] = 0xffff;
      }
      case 1 -> Arrays.fill(groups, 0, 6, 0); // IPv4-compatible, ::, ::1
      case 2 -> groups[random.nextInt(8)] = 0xffff;
      default -> { }
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[2 * i] = (byte) (groups[i] >>> 8);
      bytes[2 * i + 1] = (byte) groups[i];
    }
    return bytes;
  }

  /**
   * A valid RFC 4291 spelling that is usually not canonical: groups padded or not, upper or mixed
   * case, any run of zero groups (or none) compressed, the last 32 bits sometimes a dotted quad.
   */
  static String nonCanonicalSpelling(byte[] bytes, Random random) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    boolean dotted = random.nextInt(4) == 0;
    int groupCount = dotted ? 6 : 8;
    String[] parts = new String[groupCount];
    for (int i = 0; i < groupCount; i++) {
      String hex = Integer.toHexString(g[i]);
      if (random.nextBoolean()) {
        hex = "0".repeat(random.nextInt(5 - hex.length())) + hex;
      }
      parts[i] = switch (random.nextInt(3)) {
        case 0 -> hex.toUpperCase(Locale.ROOT);
        case 1 -> hex;
        default -> mixedCase(hex, random);
      };
    }
    // Compress a random run of zero groups (any length >= 1), or none.
    int runStart = -1;
    int runEnd = -1;
    if (random.nextBoolean()) {
      int start = random.nextInt(groupCount);
      if (g[start] == 0) {
        int end = start + 1;
        while (end < groupCount && g[end] == 0 && random.nextInt(4) != 0) {
          end++;
        }
        runStart = start;
        runEnd = end;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < groupCount; i++) {
      if (i == runStart) {
        sb.append("::");
        i = runEnd - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(parts[i]);
    }
    if (dotted) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(bytes[12] & 0xff).append('.').append(bytes[13] & 0xff).append('.')
          .append(bytes[14] & 0xff).append('.').append(bytes[15] & 0xff);
    }
    return sb.toString();
  }

  private static String mixedCase(String hex, Random random) {
    StringBuilder sb = new StringBuilder(hex.length());
    for (char c : hex.toCharArray()) {
      sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Reference formatting, independent of IpAddress.toString()

  /**
   * The canonical text of an address given as bytes, built from the JDK's uncompressed text
   * ({@code Inet6Address.getHostAddress()} prints all eight groups without leading zeros, lower
   * case) by replacing the longest run of two or more "0" groups, the left-most on a tie, with
   * "::" (RFC 5952 4.2), using string operations rather than the production code's bit shifts.
   */
  static String referenceCanonical(byte[] bytes) {
    InetAddress inet;
    try {
      inet = InetAddress.getByAddress(bytes); // never a lookup: no host name is involved
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    if (inet instanceof Inet4Address) { // 4 bytes, or 16 IPv4-mapped bytes (the JDK maps them too)
      return inet.getHostAddress();
    }
    String full = inet.getHostAddress();
    // ":0:0:...:" runs, longest first: the first match of the longest length is the left-most.
    String framed = ":" + full + ":";
    for (int length = 8; length >= 2; length--) {
      String run = ":" + String.join(":", Collections.nCopies(length, "0")) + ":";
      int at = framed.indexOf(run);
      if (at >= 0) {
        String compressed = framed.substring(0, at) + "::" + framed.substring(at + run.length());
        // Drop the framing colons, except where they are part of a "::" at either end.
        if (!compressed.startsWith("::")) {
          compressed = compressed.substring(1);
        }
        if (!compressed.endsWith("::")) {
          compressed = compressed.substring(0, compressed.length() - 1);
        }
        return compressed;
      }
    }
    return full;
  }
}
