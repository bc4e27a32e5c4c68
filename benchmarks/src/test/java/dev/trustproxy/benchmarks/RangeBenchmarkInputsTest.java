package dev.trustproxy.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.IpRange;
import dev.trustproxy.IpRangeSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The range benchmarks measure what they claim: the 10,000-range list really has 10,000 distinct
 * ranges of both families, holds none of the request's other addresses, and the walk gives the
 * same answer with 3 and with 10,000 ranges; the reload benchmark loads exactly that list.
 */
class RangeBenchmarkInputsTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"3, ipv4", "3, ipv6", "10000, ipv4", "10000, ipv6", "10000-file, ipv4",
      "10000-file, ipv6"})
  void theWalkResolvesTheSameClientWithEveryRangeCount(String ranges, String family)
      throws Exception {
    RangeSetBenchmark b = new RangeSetBenchmark();
    b.ranges = ranges;
    b.family = family;
    b.setUp();
    try {
      assertThat(b.walk().client()).hasToString(family.equals("ipv4") ? "203.0.113.7"
          : "2001:db8::7");
    } finally {
      b.tearDown();
    }
  }

  @org.junit.jupiter.api.Test
  void theLargeListIsTenThousandMixedRangesThatHoldNoneOfTheRequestsOtherAddresses() {
    List<IpRange> ranges = RangeLists.ranges(10_000);
    IpRangeSet set = IpRangeSet.of(ranges);
    assertThat(set.ranges()).hasSize(10_000);
    long v4 = ranges.stream().filter(r -> r.base().isIpv4()).count();
    assertThat(v4).isBetween(6_000L, 8_000L);
    for (String client : new String[] {"203.0.113.7", "2001:db8::7", "198.51.100.1",
        "2001:db8::1:1"}) {
      assertThat(set.contains(IpAddress.parse(client))).as(client).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text", "aws"})
  void theReloadBenchmarkLoadsTheWholeList(String format) throws Exception {
    RangeReloadBenchmark b = new RangeReloadBenchmark();
    b.format = format;
    b.setUp();
    try {
      assertThat(b.load().current().ranges()).hasSize(10_000);
      assertThat(b.pollUnchanged()).isZero();
    } finally {
      b.tearDown();
    }
  }
}
