package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrustPolicyTest {

  static final IpAddress LOOPBACK = IpAddress.parse("127.0.0.1");
  static final IpAddress PUBLIC = IpAddress.parse("203.0.113.9");

  @ParameterizedTest(name = "''{0}'' trusts nothing")
  @NullSource
  @ValueSource(strings = {"", "  ", "\t", "false", " false ", "0"})
  void absentEmptyFalseAndZeroTrustNothing(String text) {
    TrustPolicy policy = TrustPolicy.parse("trust-proxy", text);
    assertThat(policy.trustsNothing()).isTrue();
    assertThat(policy.isTrusted(LOOPBACK, 0)).isFalse();
    assertThat(policy).hasToString("false");
  }

  @Test
  void trueTrustsEveryHop() {
    TrustPolicy policy = TrustPolicy.parse("true");
    assertThat(policy.trustsEverything()).isTrue();
    assertThat(policy.isTrusted(PUBLIC, 1_000_000)).isTrue();
    assertThat(policy).hasToString("true");
  }

  static Stream<Arguments> hopCounts() {
    return Stream.of(
        Arguments.of("1", 1), Arguments.of("2", 2), Arguments.of(" 3\t", 3),
        Arguments.of("2147483647", Integer.MAX_VALUE));
  }

  @ParameterizedTest(name = "''{0}'' is hop count {1}, never an address")
  @MethodSource("hopCounts")
  void anIntegerIsAHopCount(String text, int hops) {
    TrustPolicy policy = TrustPolicy.parse(text);
    assertThat(policy.isTrusted(PUBLIC, hops - 1)).isTrue();
    assertThat(policy.isTrusted(LOOPBACK, hops)).isFalse();
    assertThat(policy).hasToString(Integer.toString(hops));
    assertThat(TrustPolicy.parse(policy.toString())).isEqualTo(policy);
  }

  @Test
  void rangesTrustByAddressAtAnyIndex() {
    TrustPolicy policy = TrustPolicy.parse("loopback, 10.0.0.0/8");
    assertThat(policy.isTrusted(LOOPBACK, 0)).isTrue();
    assertThat(policy.isTrusted(IpAddress.parse("10.9.9.9"), 50)).isTrue();
    assertThat(policy.isTrusted(PUBLIC, 0)).isFalse();
    assertThat(TrustPolicy.parse(policy.toString())).isEqualTo(policy);
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        // text, what the message must quote
        Arguments.of("-1", "'-1'"),
        Arguments.of("01", "'01'"),
        Arguments.of("2147483648", "'2147483648'"),
        Arguments.of("99999999999999999999", "'99999999999999999999'"),
        Arguments.of("TRUE", "'TRUE'"),
        Arguments.of("true, 10.0.0.1", "'true'"),
        Arguments.of("1, loopback", "'1'"),
        Arguments.of("loopback,", "empty item"),
        Arguments.of("loopback,,10.0.0.1", "empty item"),
        Arguments.of("Loopback", "'Loopback'"),
        Arguments.of("private", "'private'"),
        Arguments.of("localhost", "'localhost'"),
        Arguments.of("0.0.0.0/0", "true"),
        Arguments.of("10.0.0.0/255.0.255.0", "non-contiguous"),
        Arguments.of("fe80::%eth0/10", "'fe80::%eth0/10'"),
        Arguments.of("127.1", "'127.1'"));
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @MethodSource("badSettings")
  void badSettingsFailNamingTheSettingAndQuotingTheItem(String text, String quoted) {
    assertThatThrownBy(() -> TrustPolicy.parse("init-param trust-proxy", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("init-param trust-proxy: ")
        .hasMessageContaining(quoted)
        .hasMessageContaining("expected");
  }

  @Test
  void hopsRejectsNegativeAndZeroIsNone() {
    assertThatThrownBy(() -> TrustPolicy.hops(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThat(TrustPolicy.hops(0)).isEqualTo(TrustPolicy.none());
    assertThat(TrustPolicy.ranges(IpRangeSet.empty())).isEqualTo(TrustPolicy.none());
  }

  @Test
  void customPredicateIsCalledWithAddressAndIndex() {
    TrustPolicy policy = TrustPolicy.custom((address, index) -> index == 3 && address.isIpv4());
    assertThat(policy.isTrusted(PUBLIC, 3)).isTrue();
    assertThat(policy.isTrusted(PUBLIC, 2)).isFalse();
    assertThat(policy.isTrusted(IpAddress.parse("::1"), 3)).isFalse();
  }
}
