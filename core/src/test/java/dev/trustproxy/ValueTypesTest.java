package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public value API that the other modules build on and that the string-based tests do not
 * reach: addresses to and from bytes and {@link InetAddress}, ranges built in code, equality of
 * the value types, the custom trust predicate and the diagnostic {@code toString}s. Written
 * for the mutation run (PIT found these paths unchecked).
 */
class ValueTypesTest {

  static Stream<Arguments> addressBytes() {
    // Every byte distinct and non-zero where possible, so a shifted or masked byte shows.
    return Stream.of(
        Arguments.of("1.2.3.4", "01020304"),
        Arguments.of("254.253.252.251", "FEFDFCFB"),
        Arguments.of("128.0.0.1", "80000001"),
        Arguments.of("::ffff:192.0.2.1", "C0000201"),
        Arguments.of("2001:db8:1234:5678:9abc:def0:1357:2468",
            "20010DB8123456789ABCDEF013572468"),
        Arguments.of("8001:203:405:607:8809:a0b:c0d:e0f", "800102030405060788090A0B0C0D0E0F"),
        Arguments.of("::1", "00000000000000000000000000000001"),
        Arguments.of("fe80::8000:0:0:1", "FE800000000000008000000000000001"));
  }

  @ParameterizedTest(name = "{0} is the bytes {1}")
  @MethodSource("addressBytes")
  void addressesConvertToAndFromBytesAndInetAddress(String text, String hex) throws Exception {
    byte[] bytes = HexFormat.of().parseHex(hex);
    IpAddress address = IpAddress.parse(text);
    assertThat(address.toBytes()).isEqualTo(bytes);
    assertThat(IpAddress.ofBytes(bytes)).isEqualTo(address);
    assertThat(address.toInetAddress().getAddress()).isEqualTo(bytes);
    assertThat(IpAddress.of(InetAddress.getByAddress(bytes))).isEqualTo(address);
    assertThat(IpAddress.ofBytes(bytes).toString()).isEqualTo(IpAddress.parse(text).toString());
  }

  @Test
  void mappedBytesAreIpv4() {
    IpAddress mapped = IpAddress.ofBytes(HexFormat.of().parseHex("00000000000000000000FFFFC0000201"));
    assertThat(mapped.isIpv4()).isTrue();
    assertThat(mapped).isEqualTo(IpAddress.parse("192.0.2.1"));
    assertThat(mapped.toBytes()).hasSize(4);
  }

  @Test
  void ofBytesRefusesOtherLengthsNamingTheLength() {
    assertThatThrownBy(() -> IpAddress.ofBytes(new byte[5]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");
    assertThatThrownBy(() -> IpAddress.ofBytes(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void addressEqualityAndHashCodes() {
    List<IpAddress> distinct = Stream.of("1.2.3.4", "::102:304", "1.2.3.5", "2.2.3.4",
            "2001:db8::1", "2001:db8::2", "2001:db9::1", "::", "0.0.0.0", "255.255.255.255")
        .map(IpAddress::parse).toList();
    for (IpAddress a : distinct) {
      assertThat(a).isEqualTo(IpAddress.parse(a.toString()));
      assertThat(a.hashCode()).isEqualTo(IpAddress.parse(a.toString()).hashCode());
      assertThat(a).isNotEqualTo(a.toString());
      for (IpAddress b : distinct) {
        if (a != b) {
          assertThat(a).isNotEqualTo(b);
        }
      }
    }
    // IPv4 1.2.3.4 and IPv6 ::102:304 share their low bits; the family alone tells them apart.
    assertThat(IpAddress.parse("1.2.3.4").hashCode())
        .isNotEqualTo(IpAddress.parse("::102:304").hashCode());
    // A hash code spreads distinct addresses (one collision among ten is tolerated).
    Set<Integer> hashes = distinct.stream().map(IpAddress::hashCode).collect(Collectors.toSet());
    assertThat(hashes).hasSizeGreaterThanOrEqualTo(distinct.size() - 1);
  }

  @Test
  void rangesBuiltInCode() {
    IpRange ten = IpRange.of(IpAddress.parse("10.1.2.3"), 8);
    assertThat(ten.base()).isEqualTo(IpAddress.parse("10.0.0.0"));
    assertThat(ten.prefixLength()).isEqualTo(8);
    assertThat(ten).hasToString("10.0.0.0/8");
    assertThat(ten.contains(IpAddress.parse("10.255.255.255"))).isTrue();
    assertThat(ten.contains(IpAddress.parse("10.0.0.0"))).isTrue();
    assertThat(ten.contains(IpAddress.parse("11.0.0.0"))).isFalse();
    assertThat(ten.contains(IpAddress.parse("9.255.255.255"))).isFalse();
    assertThat(ten.contains(IpAddress.parse("::a00:1"))).as("IPv6 never in an IPv4 range")
        .isFalse();

    IpRange v6 = IpRange.of(IpAddress.parse("2001:db8:ffff::1"), 32);
    assertThat(v6.base()).isEqualTo(IpAddress.parse("2001:db8::"));
    assertThat(v6.contains(IpAddress.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
    assertThat(v6.contains(IpAddress.parse("2001:db9::"))).isFalse();
    assertThat(v6.contains(IpAddress.parse("32.1.13.184"))).isFalse();
    IpRange low = IpRange.of(IpAddress.parse("2001:db8::ff"), 120);
    assertThat(low.contains(IpAddress.parse("2001:db8::1"))).isTrue();
    assertThat(low.contains(IpAddress.parse("2001:db8::100"))).isFalse();

    assertThat(IpRange.of(IpAddress.parse("10.0.0.1"), 32).contains(IpAddress.parse("10.0.0.1")))
        .isTrue();
    assertThat(IpRange.of(IpAddress.parse("10.0.0.1"), 32).contains(IpAddress.parse("10.0.0.2")))
        .isFalse();
    assertThat(IpRange.of(IpAddress.parse("::1"), 128).prefixLength()).isEqualTo(128);
    assertThat(IpRange.of(IpAddress.parse("128.0.0.0"), 1).contains(IpAddress.parse("127.0.0.1")))
        .isFalse();
  }

  @Test
  void rangePrefixOutsideTheFamilyIsRefused() {
    assertThatThrownBy(() -> IpRange.of(IpAddress.parse("10.0.0.0"), 0))
        .hasMessageContaining("1..32");
    assertThatThrownBy(() -> IpRange.of(IpAddress.parse("10.0.0.0"), 33))
        .hasMessageContaining("1..32");
    assertThatThrownBy(() -> IpRange.of(IpAddress.parse("::"), 0)).hasMessageContaining("1..128");
    assertThatThrownBy(() -> IpRange.of(IpAddress.parse("::"), 129))
        .hasMessageContaining("1..128");
  }

  @Test
  void rangeTryParseAnswersNullForNonRanges() {
    assertThat(IpRange.tryParse("10.0.0.0/8")).isEqualTo(IpRange.of(IpAddress.parse("10.0.0.0"), 8));
    assertThat(IpRange.tryParse("10.0.0.0/33")).isNull();
    assertThat(IpRange.tryParse("loopback")).isNull();
    assertThat(IpRange.tryParse("")).isNull();
  }

  @Test
  void rangeAndSetEquality() {
    List<IpRange> distinct = Stream.of("10.0.0.0/8", "10.0.0.0/9", "11.0.0.0/8", "::a00:0/104",
        "2001:db8::/32", "2001:db8::/33").map(IpRange::parse).toList();
    Set<Integer> hashes = new HashSet<>();
    for (IpRange a : distinct) {
      assertThat(a).isEqualTo(IpRange.parse(a.toString()))
          .hasSameHashCodeAs(IpRange.parse(a.toString()))
          .isNotEqualTo(a.toString());
      hashes.add(a.hashCode());
      for (IpRange b : distinct) {
        if (a != b) {
          assertThat(a).isNotEqualTo(b);
        }
      }
    }
    assertThat(hashes).hasSize(distinct.size());

    IpRangeSet set = IpRangeSet.of(distinct.get(0), distinct.get(4), distinct.get(0));
    assertThat(set.ranges()).containsExactly(distinct.get(0), distinct.get(4));
    assertThat(set).isEqualTo(IpRangeSet.parse("10.0.0.0/8, 2001:db8::/32"))
        .hasSameHashCodeAs(IpRangeSet.parse("10.0.0.0/8, 2001:db8::/32"))
        .isNotEqualTo(IpRangeSet.parse("10.0.0.0/8"))
        .isNotEqualTo(set.toString());
    assertThat(set.hashCode()).isNotEqualTo(IpRangeSet.parse("10.0.0.0/8").hashCode());
    assertThat(IpRangeSet.of(List.of())).isSameAs(IpRangeSet.empty());
    assertThat(set.contains(IpAddress.parse("2001:db8::5"))).isTrue();
  }

  @Test
  void trustPolicyEquality() {
    List<TrustPolicy> distinct = List.of(TrustPolicy.none(), TrustPolicy.all(), TrustPolicy.hops(1),
        TrustPolicy.hops(2), TrustPolicy.parse("10.0.0.0/8"), TrustPolicy.parse("loopback"));
    Set<Integer> hashes = new HashSet<>();
    for (TrustPolicy a : distinct) {
      TrustPolicy again = TrustPolicy.parse(a.toString());
      assertThat(a).isEqualTo(again).hasSameHashCodeAs(again).isNotEqualTo(a.toString());
      hashes.add(a.hashCode());
      for (TrustPolicy b : distinct) {
        if (a != b) {
          assertThat(a).isNotEqualTo(b);
        }
      }
    }
    assertThat(hashes).hasSize(distinct.size());
    assertThat(TrustPolicy.hops(1).trustsNothing()).isFalse();
    assertThat(TrustPolicy.parse("10.0.0.0/8").trustsNothing()).isFalse();
    assertThat(TrustPolicy.none().trustsNothing()).isTrue();
  }

  @Test
  void customPredicateDecidesEachHop() {
    IpAddress peer = IpAddress.parse("10.0.0.5");
    ClientResolver twoHops = ClientResolver.of(TrustPolicy.custom((address, index) -> index < 2));
    assertThat(twoHops.resolve(peer, "6.6.6.6, 203.0.113.7, 10.0.0.2").client())
        .isEqualTo(IpAddress.parse("203.0.113.7"));
    ClientResolver nobody = ClientResolver.of(TrustPolicy.custom((address, index) -> false));
    assertThat(nobody.resolve(peer, "203.0.113.7").client()).isEqualTo(peer);
    ClientResolver byAddress = ClientResolver.of(TrustPolicy.custom(
        (address, index) -> address.toString().startsWith("10.")));
    assertThat(byAddress.resolve(peer, "6.6.6.6, 203.0.113.7, 10.0.0.2").client())
        .isEqualTo(IpAddress.parse("203.0.113.7"));
    ClientResolver v6 = ClientResolver.of(TrustPolicy.custom(
        (address, index) -> !address.toString().equals("2001:db8::7")));
    assertThat(v6.resolve(IpAddress.parse("2001:db8::1"), "2001:db8::7, 2001:db8::2").client())
        .isEqualTo(IpAddress.parse("2001:db8::7"));
  }

  @Test
  void trustAllWalksToTheLeftMostEntry() {
    ClientResolver all = ClientResolver.of(TrustPolicy.all());
    Resolution r = all.resolve(IpAddress.parse("10.0.0.5"), "198.51.100.1, 203.0.113.7");
    assertThat(r.client()).isEqualTo(IpAddress.parse("198.51.100.1"));
    assertThat(r.clientIndex()).isEqualTo(2);
  }

  @Test
  void diagnosticTextNamesTheFlagsThatAreSet() {
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse("10.0.0.0/8"));
    assertThat(resolver).hasToString("ClientResolver[trust=10.0.0.0/8]");
    assertThat(resolver.trustedPeers()).isNull();
    ClientResolver gated = ClientResolver.of(TrustPolicy.hops(1))
        .withTrustedPeers(IpRangeSet.parse("10.0.0.0/8"));
    assertThat(gated).hasToString("ClientResolver[trust=1, trustedPeers=10.0.0.0/8]");
    assertThat(gated.trustedPeers()).isEqualTo(IpRangeSet.parse("10.0.0.0/8"));

    Resolution fromHeader = resolver.resolve(IpAddress.parse("10.0.0.5"), "203.0.113.7");
    assertThat(fromHeader).hasToString(
        "Resolution[client=203.0.113.7, peer=10.0.0.5, index=1, peerTrusted]");
    Resolution ignored = resolver.resolve(IpAddress.parse("198.51.100.9"), "203.0.113.7");
    assertThat(ignored).hasToString(
        "Resolution[client=198.51.100.9, peer=198.51.100.9, index=0, headerIgnored]");
    Resolution stopped = resolver.resolve(IpAddress.parse("10.0.0.5"), "unknown");
    assertThat(stopped).hasToString(
        "Resolution[client=10.0.0.5, peer=10.0.0.5, index=0, stoppedOnInvalid, peerTrusted]");
  }
}
