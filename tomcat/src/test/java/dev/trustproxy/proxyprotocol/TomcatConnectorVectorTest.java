package dev.trustproxy.proxyprotocol;

import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeaderParserVectorTest.Accept;
import dev.trustproxy.proxyprotocol.ProxyHeaderParserVectorTest.Incomplete;
import dev.trustproxy.proxyprotocol.ProxyHeaderParserVectorTest.Reject;
import dev.trustproxy.proxyprotocol.ProxyHeaderParserVectorTest.Vector;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.tomcat.TomcatRequests;
import dev.trustproxy.tomcat.ProxyProtocolTomcat;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every v1 and v2 vector of the parser's own vector test, sent over real sockets to the Tomcat
 * connector on an embedded Tomcat: whole with the request, byte by byte, and split at a few
 * points. Accepted vectors reach the servlet with the header's addresses and a {@link ProxyHeader}
 * attribute that passes the vector's own check; rejected ones are closed without a response and
 * counted under their reason; incomplete ones are closed at the deadline.
 *
 * <p>The class sits in the parser's package because the vectors are package-private in the
 * parser module's test-jar: one table, replayed here rather than copied.
 */
class TomcatConnectorVectorTest {

  /** Short, so that the incomplete vectors end quickly; long enough for byte-by-byte sending. */
  private static final int DEADLINE_MILLIS = 2000;

  /** Vectors longer than this are sent in splits, not byte by byte. */
  private static final int BYTE_BY_BYTE_LIMIT = 300;

  private static final Map<ProxyHeaderParser, ProxyProtocolTomcat> SERVERS =
      new IdentityHashMap<>();

  enum Delivery {
    WHOLE,
    BYTE_BY_BYTE,
    SPLIT_AFTER_FIRST_BYTE,
    SPLIT_IN_THE_MIDDLE,
    SPLIT_BEFORE_LAST_BYTE
  }

  record Run(Vector vector, Delivery delivery) {
    @Override
    public String toString() {
      return vector.id() + " / " + delivery;
    }
  }

  /** One Tomcat per parser configuration the vectors use; a parser we do not know fails. */
  @BeforeAll
  static void startTomcats() throws Exception {
    SERVERS.put(ProxyHeaderParserVectorTest.DEFAULTS, start(c -> {}));
    SERVERS.put(ProxyHeaderParserVectorTest.STRICT_TCP6,
        start(c -> c.setProperty("proxyProtocolAcceptIpv4InTcp6", "false")));
    SERVERS.put(ProxyHeaderParserVectorTest.BIG,
        start(c -> c.setProperty("proxyProtocolMaxV2HeaderSize", "65551")));
  }

  private static ProxyProtocolTomcat start(
      java.util.function.Consumer<org.apache.catalina.connector.Connector> config) throws Exception {
    return ProxyProtocolTomcat.start("127.0.0.1", c -> {
      c.setProperty("proxyProtocolHeaderTimeout", Integer.toString(DEADLINE_MILLIS));
      config.accept(c);
    });
  }

  @AfterAll
  static void stopTomcats() throws Exception {
    for (ProxyProtocolTomcat tomcat : SERVERS.values()) {
      tomcat.close();
    }
  }

  static Stream<Run> runs() {
    List<Run> runs = new ArrayList<>();
    ProxyHeaderParserVectorTest.vectors().forEach(vector -> {
      for (Delivery delivery : Delivery.values()) {
        if (delivery == Delivery.BYTE_BY_BYTE && vector.bytes().length > BYTE_BY_BYTE_LIMIT) {
          continue;
        }
        if (vector.expect() instanceof Incomplete && delivery != Delivery.WHOLE) {
          continue; // each waits for the deadline; one delivery is enough
        }
        runs.add(new Run(vector, delivery));
      }
    });
    return runs.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void theConnectorAnswersEveryVectorAsTheParserDoes(Run run) throws Exception {
    Vector vector = run.vector();
    ProxyProtocolTomcat tomcat = SERVERS.get(vector.parser());
    assertThat(tomcat).as("a Tomcat configured like the vector's parser").isNotNull();
    ProxyProtocolCounters counters = tomcat.protocol().getProxyProtocolCounters();
    long[] before = counts(counters);
    tomcat.forgetHeaders();
    int headerLength = ProxyHeaderParserVectorTest.headerLength(vector);
    // Vectors that carry bytes after the header send them as they are, then end the stream:
    // HTTP must get exactly those bytes. The others get a request after the header (accepted or
    // rejected ones) or nothing (incomplete ones, which must wait for the deadline).
    boolean carriesApplicationBytes = headerLength >= 0 && headerLength < vector.bytes().length;
    byte[] bytes = carriesApplicationBytes || vector.expect() instanceof Incomplete
        ? vector.bytes() : concat(vector.bytes(), TomcatRequests.GET);
    int splitEnd = headerLength >= 0 ? headerLength : vector.bytes().length;
    try (RawClient client = new RawClient(tomcat.port())) {
      send(client, run.delivery(), bytes, splitEnd);
      if (carriesApplicationBytes) {
        client.shutdownOutput();
      }
      RawClient.Outcome outcome = client.readUntilClosed();
      assertThat(outcome.closed()).as("closed").isTrue();
      if (carriesApplicationBytes) {
        assertThat(outcome.response()).as("HTTP answered the bytes after the header")
            .startsWith("HTTP/1.1 ");
        ProxyHeader expected = ((ProxyHeaderParser.Accepted) vector.parser()
            .parse(java.nio.ByteBuffer.wrap(vector.bytes()))).header();
        assertCounted(counters, before,
            expected.version() == 1 ? Outcome.ACCEPTED_V1 : Outcome.ACCEPTED_V2);
        if (outcome.response().startsWith("HTTP/1.1 200")) {
          ((Accept) vector.expect()).check().accept(tomcat.nextHeader());
        }
      } else if (vector.expect() instanceof Accept accept) {
        ProxyHeader header = tomcat.nextHeader();
        assertThat(header).isNotNull();
        accept.check().accept(header);
        Map<String, String> echo = outcome.echo();
        String remote = header.sourceAddress() == null
            ? "127.0.0.1" : IpAddress.of(header.sourceAddress().getAddress()).toString();
        String port = header.sourceAddress() == null
            ? Integer.toString(client.localPort()) : Integer.toString(header.sourceAddress().getPort());
        assertThat(echo).containsEntry("remoteAddr", remote).containsEntry("remotePort", port);
        assertCounted(counters, before, header.version() == 1 ? Outcome.ACCEPTED_V1 : Outcome.ACCEPTED_V2);
      } else if (vector.expect() instanceof Reject reject) {
        assertThat(outcome.noResponse()).as(outcome.response()).isTrue();
        assertCounted(counters, before, Outcome.of(reject.reason()));
      } else {
        assertThat(outcome.noResponse()).isTrue();
        assertCounted(counters, before, Outcome.REJECTED_TIMEOUT);
      }
    }
  }

  /** Sends {@code all}, delivering its first {@code headerEnd} bytes as {@code delivery} says. */
  private static void send(RawClient client, Delivery delivery, byte[] all, int headerEnd)
      throws InterruptedException {
    switch (delivery) {
      case WHOLE -> client.sendIgnoringReset(all);
      case BYTE_BY_BYTE -> {
        for (int i = 0; i < headerEnd; i++) {
          client.sendIgnoringReset(all, i, i + 1);
          Thread.sleep(1); // let the connector see (most) bytes in reads of their own
        }
        client.sendIgnoringReset(all, headerEnd, all.length);
      }
      case SPLIT_AFTER_FIRST_BYTE -> split(client, all, Math.min(1, headerEnd));
      case SPLIT_IN_THE_MIDDLE -> split(client, all, headerEnd / 2);
      case SPLIT_BEFORE_LAST_BYTE -> split(client, all, Math.max(0, headerEnd - 1));
    }
  }

  private static void split(RawClient client, byte[] all, int at) throws InterruptedException {
    client.sendIgnoringReset(all, 0, at);
    Thread.sleep(20);
    client.sendIgnoringReset(all, at, all.length);
  }

  private static long[] counts(ProxyProtocolCounters counters) {
    long[] counts = new long[Outcome.values().length];
    for (Outcome o : Outcome.values()) {
      counts[o.ordinal()] = counters.count(o);
    }
    return counts;
  }

  /** Exactly one more connection with {@code outcome}, and no other outcome moved. */
  private static void assertCounted(ProxyProtocolCounters counters, long[] before, Outcome outcome) {
    long[] after = counts(counters);
    for (Outcome o : Outcome.values()) {
      long expected = before[o.ordinal()] + (o == outcome ? 1 : 0);
      assertThat(after[o.ordinal()]).as(o.name()).isEqualTo(expected);
    }
  }
}
