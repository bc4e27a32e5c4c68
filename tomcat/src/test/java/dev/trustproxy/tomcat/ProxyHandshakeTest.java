package dev.trustproxy.tomcat;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The PROXY phase on a real non-blocking socket pair on 127.0.0.1, without Tomcat around it, so
 * that every split of the bytes is exact: the header plus what follows it (an HTTP request, a
 * TLS ClientHello) is sent in two writes split at every offset, and each write is fully readable
 * before the phase runs. At every split the header is accepted exactly once and the bytes after
 * it are handed back whole and in order, also through a hand-back that takes only a few bytes
 * per read.
 */
class ProxyHandshakeTest {

  private static final byte[] HTTP = ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  private static final byte[] CLIENT_HELLO = hex("16 03 01 00 2F 01 00 00 2B 03 03 20x42");

  record Case(String name, byte[] header, byte[] after, int handBackCapacity) {
    @Override
    public String toString() {
      return name + " (hand-back " + handBackCapacity + " bytes per read)";
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    byte[] v1 = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n");
    byte[] v2 = hex("SIG 21 11 00 0C C0 00 02 01 C6 33 64 02 DC 04 01 BB");
    for (int capacity : new int[] {8192, 7}) {
      cases.add(new Case("v1 then HTTP", v1, HTTP, capacity));
      cases.add(new Case("v2 then a ClientHello", v2, CLIENT_HELLO, capacity));
      cases.add(new Case("v2 alone", v2, new byte[0], capacity));
    }
    return cases.stream();
  }

  /** A hand-back that records what it gets, at most {@code capacity} bytes a call. */
  static final class Recorder implements ProxyHandshake.HandBack {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final int capacity;

    Recorder(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public int capacity() {
      return capacity;
    }

    @Override
    public void handBack(ByteBuffer rest) {
      assertThat(rest.remaining()).isLessThanOrEqualTo(capacity);
      byte[] b = new byte[rest.remaining()];
      rest.get(b);
      bytes.writeBytes(b);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theHeaderIsConsumedExactlyAtEverySplit(Case c) throws Exception {
    byte[] all = concat(c.header(), c.after());
    ProxyProtocolSettings settings = ProxyProtocolSettings.builder().trustedSources("127.0.0.1").build();
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      for (int split = 0; split <= all.length; split++) {
        ProxyProtocolCounters counters = new ProxyProtocolCounters(LoggerFactory.getLogger("test"));
        ProxyHandshake handshake = new ProxyHandshake(settings, counters,
            IpAddress.parse("127.0.0.1"), System.currentTimeMillis());
        HeaderBuffer buffer = new HeaderBuffer();
        Recorder recorder = new Recorder(c.handBackCapacity());
        List<ProxyHeader> accepted = new ArrayList<>();
        try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted0 = server.accept();
            Selector selector = Selector.open()) {
          accepted0.configureBlocking(false);
          accepted0.register(selector, SelectionKey.OP_READ);
          int result = SelectionKey.OP_READ;
          for (byte[] part : new byte[][] {slice(all, 0, split), slice(all, split, all.length)}) {
            if (part.length == 0) {
              continue;
            }
            client.write(ByteBuffer.wrap(part));
            selector.select(5_000);
            selector.selectedKeys().clear();
            if (result != 0) {
              result = handshake.advance(accepted0, buffer, recorder, accepted::add);
            }
          }
          // Loopback may deliver the last write in two pieces: then wait for the rest.
          for (int tries = 0; result == SelectionKey.OP_READ && tries < 50; tries++) {
            selector.select(100);
            selector.selectedKeys().clear();
            result = handshake.advance(accepted0, buffer, recorder, accepted::add);
          }
          assertThat(result).as("split at " + split).isZero();
          // What the phase did not hand back is still in the socket: HTTP or TLS reads it next.
          ByteArrayOutputStream next = new ByteArrayOutputStream();
          next.writeBytes(recorder.bytes.toByteArray());
          ByteBuffer rest = ByteBuffer.allocate(all.length);
          accepted0.read(rest);
          next.write(rest.array(), 0, rest.position());
          assertThat(next.toByteArray()).as("split at " + split).isEqualTo(c.after());
        }
        assertThat(accepted).as("split at " + split).hasSize(1);
        assertThat(counters.count(Outcome.ACCEPTED_V1) + counters.count(Outcome.ACCEPTED_V2))
            .isEqualTo(1);
        assertThat(handshake.pending()).isFalse();
      }
    }
  }

  private static byte[] slice(byte[] all, int from, int to) {
    byte[] part = new byte[to - from];
    System.arraycopy(all, from, part, 0, part.length);
    return part;
  }
}
