package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class IpRangeTest {

  /** Range text, its canonical form, addresses inside it and addresses outside it. */
  static Stream<Arguments> validRanges() {
    return Stream.of(
        range("10.0.0.0/8", "10.0.0.0/8",
            List.of("10.0.0.0", "10.255.255.255", "10.1.2.3", "::ffff:10.9.9.9"),
            List.of("9.255.255.255", "11.0.0.0", "::ffff:b00:0", "::a00:0", "::10.0.0.1")),
        // Host bits are masked, as in Express.
        range("10.1.2.3/8", "10.0.0.0/8", List.of("10.200.0.1"), List.of("11.1.2.3")),
        range("192.168.1.77/24", "192.168.1.0/24", List.of("192.168.1.0", "192.168.1.255"),
            List.of("192.168.2.0", "192.168.0.255")),
        range("255.255.255.255/1", "128.0.0.0/1", List.of("128.0.0.0", "255.255.255.255"),
            List.of("127.255.255.255", "0.0.0.0")),
        range("1.2.3.4/31", "1.2.3.4/31", List.of("1.2.3.4", "1.2.3.5"), List.of("1.2.3.6", "1.2.3.3")),
        // A bare address is a block of one.
        range("127.0.0.1", "127.0.0.1/32", List.of("127.0.0.1", "::ffff:127.0.0.1"),
            List.of("127.0.0.2", "::1", "::7f00:1")),
        range("1.2.3.4/32", "1.2.3.4/32", List.of("1.2.3.4"), List.of("1.2.3.5")),
        range("0.0.0.0/1", "0.0.0.0/1", List.of("0.0.0.0", "127.255.255.255"),
            List.of("128.0.0.0", "::", "::1")),
        // IPv4 netmask form, contiguous only.
        range("10.0.0.0/255.0.0.0", "10.0.0.0/8", List.of("10.1.1.1"), List.of("11.0.0.0")),
        range("10.0.0.2/255.255.255.192", "10.0.0.0/26", List.of("10.0.0.0", "10.0.0.63"),
            List.of("10.0.0.64")),
        range("10.0.0.1/255.255.255.255", "10.0.0.1/32", List.of("10.0.0.1"), List.of("10.0.0.0")),
        range("200.0.0.0/128.0.0.0", "128.0.0.0/1", List.of("128.0.0.1"), List.of("127.0.0.1")),
        range("172.16.0.0/255.240.0.0", "172.16.0.0/12", List.of("172.31.255.255"),
            List.of("172.32.0.0", "172.15.255.255")),
        // IPv6.
        range("2001:db8::/32", "2001:db8::/32", List.of("2001:db8::1", "2001:db8:ffff::"),
            List.of("2001:db9::", "2001:db7:ffff::", "32.1.13.184")),
        range("2001:DB8:0:0:0:0:0:1/64", "2001:db8::/64", List.of("2001:db8::ffff:1"),
            List.of("2001:db8:0:1::")),
        range("fe80::/10", "fe80::/10", List.of("fe80::1", "febf:ffff::"), List.of("fec0::", "fe7f::")),
        range("fc00::/7", "fc00::/7", List.of("fc00::", "fdff::1"), List.of("fe00::", "fb00::")),
        range("::1", "::1/128", List.of("::1"), List.of("::2", "0.0.0.1", "127.0.0.1")),
        range("::1/128", "::1/128", List.of("::1"), List.of("::")),
        range("8000::/1", "8000::/1", List.of("ffff::"), List.of("7fff::")),
        range("::ffff:ffff:ffff:ffff/65", "::8000:0:0:0/65", List.of("::8000:0:0:0", "::ffff:0:0:1"),
            List.of("::7fff:ffff:ffff:ffff", "1::8000:0:0:0")),
        // Native IPv6 ranges never match an IPv4 address, even one whose mapped form they cover.
        range("::/1", "::/1", List.of("::", "7fff::"), List.of("203.0.113.9", "0.0.0.0", "127.0.0.1")),
        range("::/96", "::/96", List.of("::1.2.3.4", "::1"), List.of("203.0.113.9", "1.2.3.4")),
        range("::/80", "::/80", List.of("::1"), List.of("203.0.113.9", "::ffff:203.0.113.9")),
        range("::fffe:0:0/95", "::fffe:0:0/95", List.of("::fffe:0:1"), List.of("1.2.3.4")),
        range("64:ff9b::/96", "64:ff9b::/96", List.of("64:ff9b::a00:1"), List.of("10.0.0.1")),
        // An IPv4-mapped IPv6 range is the IPv4 range it names (D16).
        range("::ffff:10.0.0.0/104", "10.0.0.0/8", List.of("10.1.1.1", "::ffff:10.1.1.1"),
            List.of("11.0.0.0", "::a01:101")),
        range("::ffff:a00:2/122", "10.0.0.0/26", List.of("10.0.0.63"), List.of("10.0.0.64")),
        range("::ffff:127.0.0.1", "127.0.0.1/32", List.of("127.0.0.1"), List.of("::1")),
        range("::ffff:127.0.0.1/128", "127.0.0.1/32", List.of("127.0.0.1"), List.of("127.0.0.2")),
        range("::FFFF:7F00:1/97", "0.0.0.0/1", List.of("127.0.0.1"), List.of("128.0.0.1", "::1")),
        range("0:0:0:0:0:ffff:192.168.0.0/112", "192.168.0.0/16", List.of("192.168.3.4"),
            List.of("192.169.0.0")));
  }

  private static Arguments range(String text, String canonical, List<String> in, List<String> out) {
    return arguments(text, canonical, in, out);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("validRanges")
  void parsesToTheCanonicalRange(String text, String canonical, List<String> in, List<String> out) {
    IpRange range = IpRange.parse(text);
    assertThat(range).hasToString(canonical);
    assertThat(IpRange.tryParse(text)).isEqualTo(range);
    int slash = canonical.indexOf('/');
    assertThat(range.base()).hasToString(canonical.substring(0, slash));
    assertThat(range.prefixLength()).isEqualTo(Integer.parseInt(canonical.substring(slash + 1)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("validRanges")
  void canonicalTextParsesToAnEqualRange(
      String text, String canonical, List<String> in, List<String> out) {
    IpRange range = IpRange.parse(text);
    IpRange reparsed = IpRange.parse(canonical);
    assertThat(reparsed).isEqualTo(range).hasSameHashCodeAs(range).hasToString(canonical);
    assertThat(IpRange.of(range.base(), range.prefixLength())).isEqualTo(range);
  }

  @ParameterizedTest(name = "{0} contains {2}")
  @MethodSource("validRanges")
  void containsTheAddressesInside(String text, String canonical, List<String> in, List<String> out) {
    IpRange range = IpRange.parse(text);
    assertThat(in).allSatisfy(a -> assertThat(range.contains(IpAddress.parse(a))).as(a).isTrue());
    assertThat(range.contains(range.base())).isTrue();
  }

  @ParameterizedTest(name = "{0} excludes {3}")
  @MethodSource("validRanges")
  void doesNotContainTheAddressesOutside(
      String text, String canonical, List<String> in, List<String> out) {
    IpRange range = IpRange.parse(text);
    assertThat(out).allSatisfy(a -> assertThat(range.contains(IpAddress.parse(a))).as(a).isFalse());
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    // Family separation (proxy-addr 2.0.8): IPv4 ranges never hold native IPv6 and vice versa.
    "127.0.0.1, ::1, false",
    "127.0.0.0/8, ::1, false",
    "127.0.0.0/8, ::7f00:1, false",
    "127.0.0.0/8, ::ffff:7f00:1, true",
    "::1, 127.0.0.1, false",
    "::/1, 203.0.113.9, false",
    "::/96, 203.0.113.9, false",
    "::/80, 203.0.113.9, false",
    "::/80, ::ffff:203.0.113.9, false",
    "0.0.0.0/1, ::, false",
    "0.0.0.0/1, ::1, false",
    "0.0.0.0/32, ::, false",
    "::/128, 0.0.0.0, false",
    "203.0.113.0/24, ::ffff:203.0.113.9, true",
    "::ffff:203.0.113.0/120, 203.0.113.9, true",
    "::ffff:203.0.113.0/120, ::cb00:7109, false",
  })
  void neverMatchesAcrossFamilies(String range, String address, boolean contained) {
    assertThat(IpRange.parse(range).contains(IpAddress.parse(address))).isEqualTo(contained);
  }

  /** Bad range text and a fragment the message must contain besides the quoted text. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // /0 in every spelling is the setting "true", not a range.
        "0.0.0.0/0 | true",
        "::/0 | true",
        "10.0.0.0/0 | true",
        "10.0.0.0/0.0.0.0 | true",
        "::ffff:0:0/96 | true",
        "::ffff:10.0.0.0/96 | true",
        // Prefix out of range, or not plain decimal.
        "10.0.0.1/33 | 32",
        "10.0.0.1/1000 | 32",
        "::1/129 | 128",
        "::ffff:10.0.0.0/129 | 128",
        "10.0.0.0/08 | prefix",
        "::1/0128 | prefix",
        "10.0.0.0/ | prefix",
        "10.0.0.0/-8 | prefix",
        "10.0.0.0/+8 | prefix",
        "'10.0.0.0/ 8' | prefix",
        "'10.0.0.0/8 ' | prefix", // quoted: CsvSource trims unquoted values
        "10.0.0.1/internet | prefix",
        "10.0.0.1/ffc0:: | prefix",
        "10.0.0.0/0x8 | prefix",
        "10.0.0.0/\uff18 | prefix",
        // Netmasks only for plain IPv4, and only contiguous.
        "fe80::/255.255.255.0 | prefix",
        "::ffff:a00:2/255.255.255.0 | prefix",
        "10.0.0.0/255.0.255.0 | non-contiguous",
        "10.0.0.0/0.255.255.255 | non-contiguous",
        "10.0.0.0/255.255.255.254.0 | prefix",
        "10.0.0.0/255.255.255 | prefix",
        "10.0.0.0/255.255.0255.0 | prefix",
        // Mapped prefixes under 96 name no IPv4 range.
        "::ffff:10.0.0.0/8 | 96",
        "::ffff:10.0.0.0/95 | 96",
        "::ffff:0:0/80 | 96",
        // Addresses that §3 rejects.
        "fe80::%eth0/10 | address",
        "fe80::1%eth0 | address",
        "010.0.0.1 | address",
        "010.0.0.0/8 | address",
        "127.1/8 | address",
        "[::1]/128 | address",
        "/8 | address",
        "/ | address",
        "loopback | address",
        "10.0.0.0/8/8 | address",
        "10.0.0.0 /8 | address",
        "' 10.0.0.0/8' | address",
        "'10.0.0.0\t/8' | address",
      })
  void rejectsBadRangesQuotingThem(String text, String mention) {
    assertThatThrownBy(() -> IpRange.parse(text))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining(mention);
    assertThat(IpRange.tryParse(text)).isNull();
  }

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
    "10.0.0.0, 0",
    "10.0.0.0, 33",
    "10.0.0.0, -1",
    "::, 0",
    "::1, 129",
    "::ffff:10.0.0.0, 104", // the base is IPv4, so the prefix counts IPv4 bits
  })
  void ofRejectsPrefixesOutsideTheFamily(String base, int prefix) {
    assertThatThrownBy(() -> IpRange.of(IpAddress.parse(base), prefix))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(prefix));
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    "10.1.2.3, 8, 10.0.0.0/8",
    "10.1.2.3, 32, 10.1.2.3/32",
    "10.1.2.3, 1, 0.0.0.0/1",
    "2001:db8::1, 32, 2001:db8::/32",
    "2001:db8::1, 128, 2001:db8::1/128",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 1, 8000::/1",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 63, ffff:ffff:ffff:fffe::/63",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 64, ffff:ffff:ffff:ffff::/64",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 65, ffff:ffff:ffff:ffff:8000::/65",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 127, ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127",
  })
  void ofMasksHostBits(String base, int prefix, String expected) {
    assertThat(IpRange.of(IpAddress.parse(base), prefix)).hasToString(expected);
  }

  @ParameterizedTest(name = "{0} != {1}")
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0/9",
    "0.0.0.0/1, ::/1",
    "::/96, 0.0.0.0/1",
    "127.0.0.1, ::1",
  })
  void differentRangesAreNotEqual(String a, String b) {
    assertThat(IpRange.parse(a)).isNotEqualTo(IpRange.parse(b));
  }
}
