package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The walk allocates its answer and nothing else, for IPv6 entries as for IPv4 (README D72): the
 * IPv6 parser writes into the {@link Resolution} being built, so an IPv6 walk allocates exactly
 * what an IPv4 walk of the same shape does (one {@code Resolution}). Counted with the JVM's
 * per-thread allocation counter, which counts bytes, not time; a walk that made one more object
 * (the former 128-bit holder was 32 bytes) fails.
 */
class WalkAllocationTest {

  private static final IpAddress PEER = IpAddress.parse("10.0.0.5");
  private static final int WALKS = 2_000;

  static Stream<Arguments> walks() {
    return Stream.of(
        // name, trust, entries, RFC 7239
        Arguments.of("1 entry, hop count", "1", 1, false),
        Arguments.of("3 entries, hop count", "3", 3, false),
        Arguments.of("10 entries, ranges", "10.0.0.0/8, fd00::/8", 10, false),
        Arguments.of("3 elements of Forwarded, ranges", "10.0.0.0/8, fd00::/8", 3, true),
        Arguments.of("every hop trusted", "true", 10, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("walks")
  void anIpv6WalkAllocatesWhatAnIpv4WalkDoes(String name, String trust, int entries,
      boolean rfc7239) {
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse(trust));
    String ipv4 = header(entries, rfc7239, "203.0.113.9", "10.0.0.");
    String ipv6 = header(entries, rfc7239, "2001:db8::9", "fd00::");
    // The walks give the answers they are measured for: the left-most entry is the client.
    assertThat(walk(resolver, ipv6, rfc7239).clientIndex()).isEqualTo(entries);
    assertThat(walk(resolver, ipv6, rfc7239).client())
        .isEqualTo(IpAddress.parse("2001:db8::9"));
    assertThat(walk(resolver, ipv4, rfc7239).client())
        .isEqualTo(IpAddress.parse("203.0.113.9"));

    long v4 = bytesPerWalk(resolver, ipv4, rfc7239);
    long v6 = bytesPerWalk(resolver, ipv6, rfc7239);
    assertThat(v4).as("an IPv4 walk allocates its Resolution").isPositive();
    assertThat(v6).as("IPv6 walk %s B, IPv4 walk %s B", v6, v4).isEqualTo(v4);
  }

  /** {@code client, hop_1, ..., hop_n-1}: the client left-most, trusted hops to its right. */
  private static String header(int entries, boolean rfc7239, String client, String hopPrefix) {
    return IntStream.range(0, entries)
        .mapToObj(i -> i == 0 ? client : hopPrefix + i)
        .map(a -> !rfc7239 ? a : a.contains(":") ? "for=\"[" + a + "]\"" : "for=" + a)
        .collect(Collectors.joining(", "));
  }

  private static Resolution walk(ClientResolver resolver, String header, boolean rfc7239) {
    return rfc7239 ? resolver.resolveForwarded(PEER, header) : resolver.resolve(PEER, header);
  }

  /**
   * The bytes one walk allocates on this thread, the least of a few rounds (a round that met
   * class loading or a deoptimization counts more, never less).
   */
  private static long bytesPerWalk(ClientResolver resolver, String header, boolean rfc7239) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    Resolution[] kept = new Resolution[WALKS]; // kept, so no answer can be optimised away
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < WALKS; i++) {
        kept[i] = walk(resolver, header, rfc7239);
      }
      long after = threads.getCurrentThreadAllocatedBytes();
      least = Math.min(least, (after - before) / WALKS);
    }
    assertThat(kept[WALKS - 1].fromHeader()).isTrue();
    return least;
  }
}
