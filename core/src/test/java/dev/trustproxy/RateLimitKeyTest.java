package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rate-limit key (README D95): IPv4 as is, IPv6 masked to a prefix. */
class RateLimitKeyTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      IPv4 is the address                        | 203.0.113.7                 | 64  | 203.0.113.7
      IPv4 ignores the IPv6 prefix               | 203.0.113.7                 | 1   | 203.0.113.7
      IPv4-mapped IPv6 counts as IPv4            | ::ffff:203.0.113.7          | 64  | 203.0.113.7
      IPv6 /64 drops the interface id            | 2001:db8:1:2:aaaa:bbbb:cccc:dddd | 64 | 2001:db8:1:2::/64
      two hosts of one /64 share a key           | 2001:db8:1:2::1             | 64  | 2001:db8:1:2::/64
      IPv6 /56                                   | 2001:db8:1:2ff::1           | 56  | 2001:db8:1:200::/56
      IPv6 /48                                   | 2001:db8:1:2::1             | 48  | 2001:db8:1::/48
      IPv6 /128 is the address                   | 2001:db8::1                 | 128 | 2001:db8::1/128
      IPv6 /1                                    | ffff::1                     | 1   | 8000::/1
      loopback /64                               | ::1                         | 64  | ::/64
      """)
  void rateLimitKeys(String name, String address, int bits, String key) {
    assertThat(IpAddress.parse(address).rateLimitKey(bits)).isEqualTo(key);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a resolution keys its client with a /64 | 2001:db8:1:2::99 | 2001:db8:1:2::/64
      an IPv4 client                          | 203.0.113.7      | 203.0.113.7
      """)
  void resolutionKeysItsClientWithASlash64(String name, String client, String key) {
    Resolution r = ClientResolver.of(TrustPolicy.hops(1))
        .resolve(IpAddress.parse("10.0.0.1"), client);
    assertThat(r.client()).hasToString(IpAddress.parse(client).toString());
    assertThat(r.rateLimitKey()).isEqualTo(key);
  }

  @ParameterizedTest(name = "prefix {0} is refused")
  @ValueSource(ints = {0, -1, 129})
  void badPrefixesAreRefused(int bits) {
    assertThatThrownBy(() -> IpAddress.parse("2001:db8::1").rateLimitKey(bits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ipv6PrefixBits: '" + bits + "' is not an IPv6 prefix length: expected"
            + " 1..128");
  }
}
