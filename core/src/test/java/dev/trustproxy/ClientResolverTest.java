package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientResolverTest {

  static final IpAddress PEER = IpAddress.parse("10.0.0.5");

  static Resolution resolve(String trust, String xff) {
    return ClientResolver.of(TrustPolicy.parse(trust)).resolve(PEER, xff);
  }

  static Stream<Arguments> walks() {
    return Stream.of(
        // name, trust, header, client, ips
        Arguments.of("no header: the peer", "loopback", null, "10.0.0.5", ""),
        Arguments.of("untrusted peer: the peer", "loopback", "1.2.3.4", "10.0.0.5", ""),
        Arguments.of("hop count 1: the right-most entry", "1", "1.1.1.1, 2.2.2.2", "2.2.2.2",
            "2.2.2.2"),
        Arguments.of("hop count 2: the second from the right", "2", "1.1.1.1, 2.2.2.2, 3.3.3.3",
            "2.2.2.2", "2.2.2.2,3.3.3.3"),
        Arguments.of("ranges: first untrusted from the right", "10.0.0.0/8",
            "1.1.1.1, 2.2.2.2, 10.0.0.7, 10.9.9.9", "2.2.2.2", "2.2.2.2,10.0.0.7,10.9.9.9"),
        Arguments.of("ranges do not skip an untrusted hop", "10.0.0.0/8",
            "10.1.1.1, 2.2.2.2, 10.0.0.7", "2.2.2.2", "2.2.2.2,10.0.0.7"),
        Arguments.of("true: the left-most entry", "true", "1.1.1.1, 2.2.2.2", "1.1.1.1",
            "1.1.1.1,2.2.2.2"),
        Arguments.of("true stops at an invalid entry", "true", "1.1.1.1, junk, 2.2.2.2",
            "2.2.2.2", "2.2.2.2"),
        Arguments.of("tabs are trimmed", "1", "1.1.1.1,\t2.2.2.2\t", "2.2.2.2", "2.2.2.2"),
        Arguments.of("mapped IPv6 entries print as IPv4", "2", "::ffff:1.2.3.4, 10.0.0.1",
            "1.2.3.4", "1.2.3.4,10.0.0.1"),
        // The walk records that the entry had a port (D116); its text is the quad alone.
        Arguments.of("an IPv4 client's port is not in its text", "1", "1.1.1.1, 2.2.2.2:443",
            "2.2.2.2", "2.2.2.2"),
        Arguments.of("an IPv4 client after an entry with a port", "2", "1.1.1.1, 2.2.2.2,"
            + " 10.0.0.9:8080", "2.2.2.2", "2.2.2.2,10.0.0.9"),
        Arguments.of("the left-most IPv4 client with a port", "true", " 1.2.3.4:80 ,10.0.0.1",
            "1.2.3.4", "1.2.3.4,10.0.0.1"),
        Arguments.of("mapped IPv6 after a port", "2", "::ffff:1.2.3.4, 10.0.0.1:80", "1.2.3.4",
            "1.2.3.4,10.0.0.1"),
        Arguments.of("IPv6 entries print canonical", "2", "2001:DB8:0:0:0:0:0:1, [::1]:80",
            "2001:db8::1", "2001:db8::1,::1"),
        Arguments.of("a native IPv6 range never matches IPv4", "::/1", "1.2.3.4", "10.0.0.5",
            ""),
        // IPv6 entries are parsed into the Resolution being built (D72): a later entry read
        // into it never changes the client the walk settled on.
        Arguments.of("IPv6 client kept when the entry to its left is ::", "true",
            "::, 2001:db8::2", "2001:db8::2", "2001:db8::2"),
        Arguments.of("IPv6 client kept when the entry to its left is junk", "true",
            "2001:db8::9, fe80::1%eth0, 2001:db8::2", "2001:db8::2", "2001:db8::2"),
        Arguments.of("IPv6 client kept when an IPv4 entry follows it", "true",
            "0.0.0.0, 2001:db8::2", "2001:db8::2", "2001:db8::2"),
        Arguments.of("IPv6 client kept when the untrusted hop to its right was IPv6",
            "10.0.0.0/8, fd00::/8", "2001:db8::1, 2001:db8::2, fd00::7", "2001:db8::2", "2001:db8::2,fd00::7"),
        Arguments.of("IPv6 ranges match on the walked bits", "10.0.0.0/8, 2001:db8:0:1::/64",
            "2001:db8::1, 2001:db8:0:1::2, 2001:db8:0:1:ffff:ffff:ffff:ffff",
            "2001:db8::1", "2001:db8::1,2001:db8:0:1::2,2001:db8:0:1:ffff:ffff:ffff:ffff"),
        Arguments.of("an IPv4 client after IPv6 hops", "10.0.0.0/8, fd00::/8",
            "1.2.3.4, fd00::1, fd00::2", "1.2.3.4", "1.2.3.4,fd00::1,fd00::2"));
  }

  /**
   * The walk's client text for IPv4 entries (README D116): a bare quad is copied, and a quad with
   * a port, an IPv4-mapped IPv6 entry and a bracketed one are formatted, alone or left of two
   * entries.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 34, 55})
  void theWalksClientTextIsCanonicalForEverySpellingOfAnIpv4Entry(long seed) {
    Random random = new Random(seed);
    ClientResolver resolver = ClientResolver.of(TrustPolicy.hops(3));
    IpAddress peer = IpAddress.parse("10.0.0.1");
    for (int n = 0; n < 5_000; n++) {
      int bits = random.nextInt();
      String expected = IpAddress.ipv4ToString(bits);
      if (bits == 0) {
        continue; // the unspecified address never names a client
      }
      int port = 1 + random.nextInt(65535);
      String entry = switch (n % 5) {
        case 0 -> expected;
        case 1 -> expected + ":" + port;
        case 2 -> "::ffff:" + expected;
        case 3 -> "::FFFF:" + Integer.toHexString(bits >>> 16) + ":"
            + Integer.toHexString(bits & 0xffff);
        default -> "[::ffff:" + expected + "]:" + port;
      };
      String header = n % 3 == 0 ? " " + entry + " ,10.0.0.3:80, 10.0.0.2" : entry;
      assertThat(resolver.resolve(peer, header).clientText()).as("'%s'", header)
          .isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("walks")
  void walksFromTheRight(String name, String trust, String xff, String client, String ips) {
    Resolution r = resolve(trust, xff);
    assertThat(r.client()).isEqualTo(IpAddress.parse(client));
    if (r.fromHeader()) {
      // The text Forwarding reports, formatted from the walk's bits (D72): the canonical form.
      assertThat(resolve(trust, xff).clientText()).isEqualTo(IpAddress.parse(client).toString());
    }
    assertThat(r.ips().stream().map(IpAddress::toString).collect(Collectors.joining(",")))
        .isEqualTo(ips);
    assertThat(r.fromHeader()).isEqualTo(!ips.isEmpty());
    assertThat(r.clientIndex()).isEqualTo(ips.isEmpty() ? 0 : r.ips().size());
    assertThat(r.peer()).isEqualTo(PEER);
  }

  @Test
  void peerGateShutsOutDirectClientsUnderAHopCount() {
    ClientResolver resolver = ClientResolver.of(TrustPolicy.hops(1))
        .withTrustedPeers(IpRangeSet.parse("10.0.0.0/8"));
    IpAddress direct = IpAddress.parse("198.51.100.9");
    Resolution r = resolver.resolve(direct, "6.6.6.6");
    assertThat(r.client()).isEqualTo(direct);
    assertThat(r.headerIgnored()).isTrue();
    assertThat(r.peerTrusted()).isFalse();
    assertThat(resolver.resolve(PEER, "6.6.6.6").client()).isEqualTo(IpAddress.parse("6.6.6.6"));
  }

  @Test
  void customPredicateSeesEachHopOnceWithItsIndexAndNeverTheLeftMost() {
    List<String> calls = new ArrayList<>();
    ClientResolver resolver = ClientResolver.of(TrustPolicy.custom((address, index) -> {
      calls.add(address + "@" + index);
      return true;
    }));
    Resolution r = resolver.resolve(PEER, "1.1.1.1, 2.2.2.2, 3.3.3.3");
    assertThat(r.client()).isEqualTo(IpAddress.parse("1.1.1.1"));
    // Express never asks about the left-most entry: nothing left of it depends on the answer.
    assertThat(calls).containsExactly("10.0.0.5@0", "3.3.3.3@1", "2.2.2.2@2");
  }

  /** Counts every character read, to show the walk's cost follows the entries it walks. */
  static final class CountingText implements CharSequence {
    final String text;
    int reads;

    CountingText(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      reads++;
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      throw new UnsupportedOperationException("the walk must not copy the header");
    }

    @Override
    public String toString() {
      throw new UnsupportedOperationException("the walk must not copy the header");
    }
  }

  static Stream<Arguments> longHeaders() {
    return Stream.of(Arguments.of("1"), Arguments.of("2"), Arguments.of("10.0.0.0/8, 1.0.0.0/8"),
        Arguments.of("false"));
  }

  @ParameterizedTest(name = "trust {0}")
  @MethodSource("longHeaders")
  void aTenThousandEntryHeaderCostsWhatAThreeEntryHeaderCosts(String trust) {
    String tail = "203.0.113.7, 1.1.1.1, 10.0.0.9";
    String huge = IntStream.range(0, 10_000).mapToObj(i -> "198.51.100." + (i % 200 + 1))
        .collect(Collectors.joining(", ")) + ", " + tail;
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse(trust));
    CountingText small = new CountingText(tail);
    CountingText large = new CountingText(huge);
    Resolution a = resolver.resolve(PEER, small);
    Resolution b = resolver.resolve(PEER, large);
    assertThat(b.client()).isEqualTo(a.client());
    // The large header's extra reads: the separator before the last entry walked, and one
    // character of the entry before it (to learn that the walked entry is not the left-most).
    assertThat(large.reads).isBetween(small.reads, small.reads + 4);
    assertThat(large.reads).isLessThan(4 * tail.length()); // each byte walked is read a few times
  }

  @Test
  void randomChainsNeverThrowAndOnlyAnswerWithThePeerOrAValidEntry() {
    Random random = new Random(20261127);
    String[] pieces = {"1.2.3.4", "10.0.0.1", "::1", "[2001:db8::1]:443", "1.2.3.4:80", "unknown",
        "", " ", "\t", "127.1", "::ffff:10.0.0.9", "fe80::1%eth0", "0.0.0.0", "999.1.1.1",
        "[::1", "::ffff:7f00:1", "\"", "for=1.2.3.4", "_x", "1::2::3"};
    String[] trusts = {"true", "false", "1", "2", "5", "loopback", "uniquelocal, ::1", "::/1"};
    for (int n = 0; n < 20_000; n++) {
      int count = random.nextInt(6);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < count; i++) {
        sb.append(i == 0 ? "" : random.nextBoolean() ? ", " : ",")
            .append(pieces[random.nextInt(pieces.length)]);
      }
      String header = sb.toString();
      ClientResolver resolver = ClientResolver.of(TrustPolicy.parse(
          trusts[random.nextInt(trusts.length)]));
      Resolution r = random.nextBoolean()
          ? resolver.resolve(PEER, header) : resolver.resolveForwarded(PEER, header);
      IpAddress client = r.client();
      assertThat(client.isUnspecified()).isFalse();
      assertThat(IpAddress.parse(client.toString())).isEqualTo(client);
      if (!r.fromHeader()) {
        assertThat(client).isEqualTo(PEER);
        assertThat(r.ips()).isEmpty();
      } else {
        assertThat(r.ips()).hasSize(r.clientIndex()).first().isEqualTo(client);
      }
    }
  }
}
