package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The counters every adapter keeps: what each outcome of a walk adds, and reset. */
class ResolutionCountersTest {

  private static final ClientResolver LOOPBACK = ClientResolver.of(TrustPolicy.parse("loopback"));

  static Stream<Arguments> outcomes() {
    return Stream.of(
        // name, peer, X-Forwarded-For, counts: requests,fromHeader,headerIgnored,stoppedOnInvalid
        Arguments.of("a trusted peer's header names the client", "127.0.0.1", "203.0.113.7",
            "1,1,0,0"),
        Arguments.of("an untrusted peer's header is ignored", "192.0.2.9", "203.0.113.7",
            "1,0,1,0"),
        Arguments.of("a right-most invalid entry leaves the peer", "127.0.0.1",
            "203.0.113.7, unknown", "1,0,0,1"),
        Arguments.of("an invalid entry behind a trusted hop: from the header and stopped",
            "127.0.0.1", "unknown, 127.0.0.2", "1,1,0,1"),
        Arguments.of("no header from a trusted peer", "127.0.0.1", null, "1,0,0,0"),
        Arguments.of("no header from an untrusted peer", "192.0.2.9", null, "1,0,0,0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void eachOutcomeCountsWhereItBelongs(String name, String peer, String header, String counts) {
    ResolutionCounters counters = new ResolutionCounters();
    counters.record(LOOPBACK.resolve(IpAddress.parse(peer), header));
    assertThat(values(counters)).isEqualTo(counts);
  }

  @Test
  void countsAddUpOverRequestsAndResetToZero() {
    ResolutionCounters counters = new ResolutionCounters();
    outcomes().forEach(row -> counters.record(LOOPBACK.resolve(
        IpAddress.parse((String) row.get()[1]), (String) row.get()[2])));
    // The column sums of the table above.
    assertThat(values(counters)).isEqualTo("6,2,1,2");

    counters.reset();
    assertThat(values(counters)).isEqualTo("0,0,0,0");
  }

  @Test
  void recordsFromManyThreadsAreAllCounted() throws Exception {
    ResolutionCounters counters = new ResolutionCounters();
    Resolution fromHeader = LOOPBACK.resolve(IpAddress.parse("127.0.0.1"), "203.0.113.7");
    int threads = 4;
    int each = 10_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          counters.record(fromHeader);
        }
      });
      thread.start();
      started.add(thread);
    }
    start.countDown();
    for (Thread thread : started) {
      thread.join();
    }
    assertThat(counters.requests()).isEqualTo((long) threads * each);
    assertThat(counters.resolvedFromHeader()).isEqualTo((long) threads * each);
    assertThat(counters.headerIgnored()).isZero();
  }

  private static String values(ResolutionCounters c) {
    return c.requests() + "," + c.resolvedFromHeader() + "," + c.headerIgnored() + ","
        + c.stoppedOnInvalid();
  }
}
