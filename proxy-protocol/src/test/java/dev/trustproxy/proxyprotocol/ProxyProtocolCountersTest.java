package dev.trustproxy.proxyprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every recorded event moves exactly its own counter; rejections are logged, never raw bytes. */
class ProxyProtocolCountersTest {

  static final IpAddress PEER = IpAddress.parse("10.0.0.1");

  static ProxyHeader header(String text) {
    return ((Accepted) ProxyHeaderParser.defaults().parse(ByteBuffer.wrap(Bytes.ascii(text))))
        .header();
  }

  static Stream<Arguments> events() {
    return Stream.of(
        Arguments.of("v1 header accepted", Outcome.ACCEPTED_V1,
            (Consumer<ProxyProtocolCounters>) c -> c.accepted(header("PROXY UNKNOWN\r\n"))),
        Arguments.of("v2 header accepted", Outcome.ACCEPTED_V2,
            (Consumer<ProxyProtocolCounters>) c -> c.accepted(
                ((Accepted) ProxyHeaderParser.defaults().parse(
                    ByteBuffer.wrap(Bytes.hex("SIG 20 00 00 00")))).header())),
        Arguments.of("untrusted served plain", Outcome.PLAIN_UNTRUSTED,
            (Consumer<ProxyProtocolCounters>) ProxyProtocolCounters::plainUntrusted),
        Arguments.of("trusted without header", Outcome.PLAIN_WITHOUT_HEADER,
            (Consumer<ProxyProtocolCounters>) ProxyProtocolCounters::plainWithoutHeader),
        Arguments.of("untrusted closed", Outcome.REJECTED_UNTRUSTED,
            (Consumer<ProxyProtocolCounters>) c -> c.untrusted("192.0.2.1")),
        Arguments.of("deadline passed", Outcome.REJECTED_TIMEOUT,
            (Consumer<ProxyProtocolCounters>) c -> c.timedOut(PEER, Duration.ofSeconds(3))),
        Arguments.of("malformed", Outcome.REJECTED_MALFORMED,
            (Consumer<ProxyProtocolCounters>) c -> c.rejected(PEER, Reason.MALFORMED, "m")),
        Arguments.of("unsupported counts as malformed", Outcome.REJECTED_MALFORMED,
            (Consumer<ProxyProtocolCounters>) c -> c.rejected(PEER, Reason.UNSUPPORTED, "u")),
        Arguments.of("too large", Outcome.REJECTED_TOO_LARGE,
            (Consumer<ProxyProtocolCounters>) c -> c.rejected(PEER, Reason.TOO_LARGE, "t")),
        Arguments.of("checksum", Outcome.REJECTED_CHECKSUM,
            (Consumer<ProxyProtocolCounters>) c -> c.rejected(PEER, Reason.CHECKSUM, "c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void eachEventCountsUnderItsOwnOutcomeOnly(
      String name, Outcome expected, Consumer<ProxyProtocolCounters> event) {
    ProxyProtocolCounters counters = new ProxyProtocolCounters(new RejectionLogTest.RecordingLogger());
    event.accept(counters);
    event.accept(counters);
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      counts.put(o, counters.count(o));
    }
    Map<Outcome, Long> want = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      want.put(o, o == expected ? 2L : 0L);
    }
    assertThat(counts).isEqualTo(want);
  }

  @Test
  void resetZeroesEveryCount() {
    ProxyProtocolCounters counters = new ProxyProtocolCounters(new RejectionLogTest.RecordingLogger());
    events().forEach(a -> ((Consumer<ProxyProtocolCounters>) a.get()[2]).accept(counters));
    assertThat(counters.count(Outcome.REJECTED_MALFORMED)).isEqualTo(2);
    counters.reset();
    for (Outcome o : Outcome.values()) {
      assertThat(counters.count(o)).as(o.name()).isZero();
    }
  }

  @Test
  void rejectionsAreLoggedWithPeerAndReason() {
    RejectionLogTest.RecordingLogger log = new RejectionLogTest.RecordingLogger();
    ProxyProtocolCounters counters = new ProxyProtocolCounters(log);
    counters.rejected(PEER, Reason.CHECKSUM, "v2: CRC32C does not match the header");
    counters.timedOut(IpAddress.parse("10.0.0.2"), Duration.ofSeconds(3));
    counters.untrusted("192.0.2.1");
    counters.plainUntrusted();
    assertThat(log.warn).hasSize(3);
    assertThat(log.warn.get(0)).contains("10.0.0.1", "bad PROXY header", "CRC32C");
    assertThat(log.warn.get(1)).contains("10.0.0.2", "not received in time", "PT3S");
    assertThat(log.warn.get(2)).contains("192.0.2.1", "not a trusted PROXY source");
  }
}
