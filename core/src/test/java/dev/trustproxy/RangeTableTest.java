package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The interval table agrees with the ranges it was built from (README D81). */
class RangeTableTest {

  /** The definition: an address is in the set when one of its ranges holds it. */
  private static boolean linear(IpRangeSet set, IpAddress a) {
    return set.ranges().stream().anyMatch(r -> r.contains(a));
  }

  private static IpAddress v4(Random random) {
    return IpAddress.ipv4(random.nextInt());
  }

  private static IpAddress v6(Random random, long highPrefix) {
    long high = random.nextBoolean() ? highPrefix | (random.nextLong() >>> 40) : random.nextLong();
    return IpAddress.ipv6(high, random.nextLong());
  }

  @ParameterizedTest(name = "{0} ranges")
  @ValueSource(ints = {1, 3, 15, 16, 17, 100, 10_000})
  void randomSetsMatchExactlyWhatTheirRangesHold(int count) {
    Random random = new Random(count);
    long highPrefix = 0x2001_0db8_0000_0000L;
    List<IpRange> ranges = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ranges.add(random.nextInt(5) < 3
          ? IpRange.of(v4(random), 8 + random.nextInt(25))
          : IpRange.of(v6(random, highPrefix), 24 + random.nextInt(105)));
    }
    IpRangeSet set = IpRangeSet.of(ranges);
    for (int i = 0; i < 20_000; i++) {
      IpAddress a;
      if (i % 3 == 0) {
        // Near the edges of a range: its first address, its last, and just outside.
        IpRange r = ranges.get(random.nextInt(ranges.size()));
        a = edge(r, random.nextInt(4));
      } else {
        a = i % 3 == 1 ? v4(random) : v6(random, highPrefix);
      }
      assertThat(set.contains(a)).as("%s in %d ranges", a, count).isEqualTo(linear(set, a));
    }
  }

  /** 0: the base, 1: the last address, 2: just below the base, 3: just above the last. */
  private static IpAddress edge(IpRange r, int which) {
    long high = r.base().high();
    long low = r.base().low();
    if (r.isIpv4()) {
      long last = low | (~r.maskLow() & 0xffffffffL);
      long v = switch (which) {
        case 0 -> low;
        case 1 -> last;
        case 2 -> low - 1;
        default -> last + 1;
      };
      return IpAddress.ipv4((int) v);
    }
    long lastHigh = high | ~r.maskHigh();
    long lastLow = low | ~r.maskLow();
    return switch (which) {
      case 0 -> IpAddress.ipv6(high, low);
      case 1 -> IpAddress.ipv6(lastHigh, lastLow);
      case 2 -> IpAddress.ipv6(low == 0 ? high - 1 : high, low - 1);
      default -> IpAddress.ipv6(lastLow == -1 ? lastHigh + 1 : lastHigh, lastLow + 1);
    };
  }

  @ParameterizedTest(name = "{0} holds {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Adjacent and overlapping ranges merge, and nothing between them is lost or added.
        "10.0.0.0/9, 10.128.0.0/9 | 10.127.255.255 | true",
        "10.0.0.0/9, 10.128.0.0/9 | 11.0.0.0 | false",
        "10.0.0.0/8, 10.1.0.0/16 | 10.255.255.255 | true",
        // The ends of each family's space.
        "128.0.0.0/1, 0.0.0.0/1 | 255.255.255.255 | true",
        "128.0.0.0/1 | 0.0.0.0 | false",
        "8000::/1 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | true",
        "8000::/1, ::/1 | :: | true",
        "::/128 | ::1 | false",
        "::/64 | ::ffff:ffff:ffff:ffff | true",
        // IPv4-mapped text is IPv4; native IPv6 ranges never hold an IPv4 address.
        "::/1 | ::ffff:10.0.0.1 | false",
        "::ffff:10.0.0.0/104 | 10.0.0.1 | true",
        "10.0.0.0/8 | ::ffff:10.0.0.1 | true",
        "10.0.0.0/8 | ::a00:1 | false",
      })
  void edgesOfTheAddressSpaceAndOfMergedRanges(String ranges, String address, boolean held) {
    IpRangeSet set = IpRangeSet.parse(ranges);
    IpAddress a = IpAddress.parse(address);
    assertThat(set.contains(a)).isEqualTo(held).isEqualTo(linear(set, a));
  }

  @Test
  void overlappingAndAdjacentRangesAreMergedIntoOneInterval() {
    IpRangeSet set = IpRangeSet.parse("10.0.0.0/9, 10.128.0.0/9, 10.1.0.0/16, 192.0.2.0/24");
    assertThat(RangeTable.of(set.ranges(), true).size()).isEqualTo(2);
    assertThat(RangeTable.of(set.ranges(), false).size()).isZero();
    // The set itself keeps every range as written: merging is only how it is matched.
    assertThat(set.ranges()).hasSize(4);
  }
}
