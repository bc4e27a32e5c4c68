package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeSetTest {

  private static final String SETTING = "trustproxy.trustedProxies";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "loopback | 127.0.0.0/8, ::1/128",
        "linklocal | 169.254.0.0/16, fe80::/10",
        "uniquelocal | 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7",
        "loopback,linklocal,uniquelocal | 127.0.0.0/8, ::1/128, 169.254.0.0/16, fe80::/10,"
            + " 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7",
        "10.0.0.0/8, loopback | 10.0.0.0/8, 127.0.0.0/8, ::1/128",
        "192.0.2.1 | 192.0.2.1/32",
        "2001:db8::1 | 2001:db8::1/128",
        "10.1.2.3/255.255.0.0,2001:DB8::/32 | 10.1.0.0/16, 2001:db8::/32",
        "::ffff:10.0.0.0/104 | 10.0.0.0/8",
      })
  void presetsExpandExactlyAndItemsKeepTheirOrder(String text, String expected) {
    IpRangeSet set = IpRangeSet.parse(SETTING, text);
    assertThat(set.ranges()).map(IpRange::toString).containsExactly(expected.split(", "));
    assertThat(set).hasToString(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "loopback, loopback | 127.0.0.0/8, ::1/128",
        "loopback, 127.0.0.1/8, ::1 | 127.0.0.0/8, ::1/128",
        "10.0.0.0/8, 10.1.2.3/8, ::ffff:10.0.0.0/104, 10.0.0.0/255.0.0.0 | 10.0.0.0/8",
        "uniquelocal, 10.0.0.0/8, 192.168.0.0/16 | 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,"
            + " fc00::/7",
        "::1, 0:0:0:0:0:0:0:1, loopback | ::1/128, 127.0.0.0/8",
        // Same base, different prefix: not duplicates.
        "10.0.0.0/8, 10.0.0.0/9 | 10.0.0.0/8, 10.0.0.0/9",
      })
  void duplicatesAreRemovedKeepingTheFirst(String text, String expected) {
    assertThat(IpRangeSet.parse(SETTING, text)).hasToString(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    " loopback",
    "loopback ",
    "\tloopback\t",
    " \t loopback \t ",
  })
  void itemsAreTrimmedOfSpacesAndTabs(String text) {
    assertThat(IpRangeSet.parse(SETTING, text)).isEqualTo(IpRangeSet.parse(SETTING, "loopback"));
  }

  @Test
  void itemsBetweenCommasAreTrimmedOfSpacesAndTabs() {
    IpRangeSet spaced = IpRangeSet.parse(SETTING, " 10.0.0.0/8 ,\t::1\t, \tlinklocal  ");
    assertThat(spaced).isEqualTo(IpRangeSet.parse(SETTING, "10.0.0.0/8,::1,linklocal"));
    assertThat(spaced).hasToString("10.0.0.0/8, ::1/128, 169.254.0.0/16, fe80::/10");
  }

  /** A list with a bad item, and the bad item the message must quote. */
  static Stream<Named<String[]>> badLists() {
    return Stream.of(
            // Presets are case-sensitive (as in Express); other words are not presets.
            new String[] {"Loopback", "Loopback"},
            new String[] {"LOOPBACK", "LOOPBACK"},
            new String[] {"LinkLocal", "LinkLocal"},
            new String[] {"uniqueLocal", "uniqueLocal"},
            new String[] {"private", "private"},
            new String[] {"localhost", "localhost"},
            new String[] {"loopback, localhost", "localhost"},
            new String[] {"true", "true"},
            new String[] {"all", "all"},
            new String[] {"*", "*"},
            new String[] {"loop back", "loop back"},
            new String[] {"loopback;linklocal", "loopback;linklocal"},
            new String[] {"loopback\n", "loopback\n"},
            new String[] {"\u00a0loopback", "\u00a0loopback"},
            // Bad ranges (see IpRangeTest for the full table).
            new String[] {"10.0.0.0/8, 0.0.0.0/0", "0.0.0.0/0"},
            new String[] {"::/0", "::/0"},
            new String[] {"10.0.0.1/33", "10.0.0.1/33"},
            new String[] {"loopback, 010.0.0.1", "010.0.0.1"},
            new String[] {"fe80::%eth0/10", "fe80::%eth0/10"},
            new String[] {"10.0.0.0/255.0.255.0", "10.0.0.0/255.0.255.0"},
            new String[] {"::ffff:10.0.0.0/8", "::ffff:10.0.0.0/8"},
            new String[] {"10.0.0.0/8 10.1.0.0/16", "10.0.0.0/8 10.1.0.0/16"},
            new String[] {"a,,b", "a"},
            // Empty items: the message quotes the whole list, since the item itself is empty.
            new String[] {"loopback,,linklocal", "loopback,,linklocal"},
            new String[] {",loopback", ",loopback"},
            new String[] {"loopback,", "loopback,"},
            new String[] {"loopback, ,linklocal", "loopback, ,linklocal"},
            new String[] {"loopback,\t,linklocal", "loopback,\t,linklocal"},
            new String[] {"", ""},
            new String[] {" ", " "},
            new String[] {"\t", "\t"},
            new String[] {",", ","},
            new String[] {" , ", " , "})
        .map(row -> Named.of(Shown.quoted(row[0]), row));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLists")
  void rejectsBadListsNamingTheSettingAndQuotingTheItem(String[] row) {
    String text = row[0];
    String badItem = row[1];
    assertThatThrownBy(() -> IpRangeSet.parse(SETTING, text))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SETTING)
        .hasMessageContaining("'" + badItem + "'");
  }

  @Test
  void singleArgumentParseNamesTheSettingRanges() {
    assertThatThrownBy(() -> IpRangeSet.parse("Loopback"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ranges")
        .hasMessageContaining("'Loopback'");
    assertThat(IpRangeSet.parse("loopback")).isEqualTo(IpRangeSet.parse("x", "loopback"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "loopback",
    "linklocal, uniquelocal, loopback",
    "10.1.2.3/8, 2001:DB8::1/48, ::ffff:a00:2/122, 10.0.0.2/255.255.255.192, 8000::/1",
    "0.0.0.0/1, 128.0.0.0/1, ::/1, 8000::/1",
    "1.2.3.4, ::1.2.3.4, ::ffff:1.2.3.4, 64:ff9b::1.2.3.4",
  })
  void toStringParsesBackToAnEqualSet(String text) {
    IpRangeSet set = IpRangeSet.parse(SETTING, text);
    IpRangeSet reparsed = IpRangeSet.parse(SETTING, set.toString());
    assertThat(reparsed).isEqualTo(set).hasSameHashCodeAs(set).hasToString(set.toString());
    assertThat(reparsed.ranges()).isEqualTo(set.ranges());
  }

  @Test
  void emptySetContainsNothing() {
    IpRangeSet empty = IpRangeSet.empty();
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.ranges()).isEmpty();
    assertThat(empty.contains(IpAddress.parse("127.0.0.1"))).isFalse();
    assertThat(empty.contains(IpAddress.parse("::"))).isFalse();
    assertThat(IpRangeSet.of()).isEqualTo(empty);
    assertThat(IpRangeSet.parse(SETTING, "loopback").isEmpty()).isFalse();
  }

  @Test
  void rangesListIsUnmodifiable() {
    IpRangeSet set = IpRangeSet.parse(SETTING, "loopback");
    assertThatThrownBy(() -> set.ranges().add(IpRange.parse("10.0.0.0/8")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(set).hasToString("127.0.0.0/8, ::1/128");
  }

  @Test
  void ofCopiesItsInputAndRemovesDuplicates() {
    List<IpRange> input = new ArrayList<>(List.of(IpRange.parse("10.0.0.0/8"),
        IpRange.parse("10.9.9.9/8"), IpRange.parse("::1")));
    IpRangeSet set = IpRangeSet.of(input);
    input.add(IpRange.parse("192.0.2.0/24"));
    assertThat(set).hasToString("10.0.0.0/8, ::1/128");
    assertThat(set.contains(IpAddress.parse("192.0.2.1"))).isFalse();
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "loopback | 127.0.0.1 | true",
        "loopback | 127.255.255.255 | true",
        "loopback | ::ffff:127.0.0.1 | true",
        "loopback | ::1 | true",
        "loopback | ::7f00:1 | false",
        "loopback | 128.0.0.1 | false",
        "loopback | ::2 | false",
        "loopback | 0.0.0.1 | false",
        "linklocal | 169.254.169.254 | true",
        "linklocal | fe80::1 | true",
        "linklocal | febf:ffff::1 | true",
        "linklocal | fec0::1 | false",
        "linklocal | 169.255.0.1 | false",
        "uniquelocal | 10.255.0.1 | true",
        "uniquelocal | 172.31.0.1 | true",
        "uniquelocal | 172.32.0.1 | false",
        "uniquelocal | 192.168.255.255 | true",
        "uniquelocal | 192.169.0.0 | false",
        "uniquelocal | fd12:3456::1 | true",
        "uniquelocal | fe00::1 | false",
        "uniquelocal | ::a00:1 | false",
        "::/1 | 203.0.113.9 | false",
        "::/96 | 203.0.113.9 | false",
        "::/80 | 203.0.113.9 | false",
        "::/1, 0.0.0.0/1 | 10.0.0.1 | true",
      })
  void containsTable(String set, String address, boolean contained) {
    assertThat(IpRangeSet.parse(SETTING, set).contains(IpAddress.parse(address)))
        .isEqualTo(contained);
  }

  // ---------------------------------------------------------------------------------------------
  // Seeded random sets against a brute-force bit comparison

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 17, 4711, 20260101})
  void containsAgreesWithABruteForceCheckOfEveryRange(long seed) {
    Random random = new Random(seed);
    int hits = 0;
    int misses = 0;
    for (int round = 0; round < 200; round++) {
      List<IpRange> ranges = new ArrayList<>();
      int count = random.nextInt(8);
      for (int i = 0; i < count; i++) {
        ranges.add(randomRange(random));
      }
      IpRangeSet set = IpRangeSet.of(ranges);
      for (int n = 0; n < 50; n++) {
        IpAddress address = randomAddressNear(ranges, random);
        boolean expected = set.ranges().stream().anyMatch(r -> bitsMatch(r, address));
        String where = "seed " + seed + " set [" + set + "] address " + address;
        assertThat(set.contains(address)).as(where).isEqualTo(expected);
        assertThat(set.ranges().stream().anyMatch(r -> r.contains(address)))
            .as(where).isEqualTo(expected);
        if (expected) {
          hits++;
        } else {
          misses++;
        }
      }
    }
    // The generator must exercise both answers, or the comparison proves little.
    assertThat(hits).as("hits").isGreaterThan(1000);
    assertThat(misses).as("misses").isGreaterThan(1000);
  }

  /** Same family, and the first prefixLength bits equal, compared as big integers. */
  private static boolean bitsMatch(IpRange range, IpAddress address) {
    byte[] base = range.base().toBytes();
    byte[] bytes = address.toBytes();
    if (base.length != bytes.length) {
      return false;
    }
    int shift = bytes.length * 8 - range.prefixLength();
    return new BigInteger(1, base).shiftRight(shift)
        .equals(new BigInteger(1, bytes).shiftRight(shift));
  }

  private static IpRange randomRange(Random random) {
    switch (random.nextInt(3)) {
      case 0 -> {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return IpRange.of(IpAddress.ofBytes(b), 1 + random.nextInt(32));
      }
      case 1 -> {
        // Written as IPv4-mapped IPv6 text with a prefix of 97..128.
        byte[] b = new byte[4];
        random.nextBytes(b);
        String text = "::ffff:" + IpAddress.ofBytes(b) + "/" + (97 + random.nextInt(32));
        return IpRange.parse(text);
      }
      default -> {
        byte[] b = IpAddressTest.randomIpv6Bytes(random);
        IpAddress base = IpAddress.ofBytes(b);
        if (base.isIpv4()) {
          return IpRange.of(base, 1 + random.nextInt(32));
        }
        return IpRange.of(base, 1 + random.nextInt(128));
      }
    }
  }

  /** Usually a range base with some of its low bits flipped, so that hits and misses both occur. */
  private static IpAddress randomAddressNear(List<IpRange> ranges, Random random) {
    if (ranges.isEmpty() || random.nextInt(5) == 0) {
      byte[] b = random.nextBoolean() ? new byte[4] : IpAddressTest.randomIpv6Bytes(random);
      if (b.length == 4) {
        random.nextBytes(b);
      }
      return IpAddress.ofBytes(b);
    }
    IpRange near = ranges.get(random.nextInt(ranges.size()));
    byte[] b = near.base().toBytes();
    int bits = b.length * 8;
    int flips = random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      // Mostly host bits, sometimes the last prefix bit.
      int low = Math.max(0, near.prefixLength() - 1);
      int bit = low + random.nextInt(bits - low);
      b[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    }
    IpAddress address = IpAddress.ofBytes(b);
    // Sometimes the same bits in the other family.
    if (random.nextInt(6) == 0) {
      if (address.isIpv4()) {
        byte[] v6 = new byte[16];
        System.arraycopy(b, 0, v6, 12, 4); // IPv4-compatible: IPv6, never the IPv4 address
        return IpAddress.ofBytes(v6);
      }
      return IpAddress.ofBytes(Arrays.copyOfRange(b, 12, 16));
    }
    return address;
  }
}
