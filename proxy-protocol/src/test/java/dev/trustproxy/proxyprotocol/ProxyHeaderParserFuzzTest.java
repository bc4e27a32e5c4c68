package dev.trustproxy.proxyprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the parser with raw bytes under three configurations. In a normal build this replays the
 * seeds in {@code ProxyHeaderParserFuzzTestInputs/} (regression mode); fuzz with {@code
 * JAZZER_FUZZ=1 ./mvnw -pl proxy-protocol -am test
 * -Dtest=ProxyHeaderParserFuzzTest} (see docs/fuzzing.md).
 *
 * <p>Properties: no exception escapes; the window is never moved; an accepted header consumes at
 * most what is there and exactly its declared length; every accepted header still obeys the rules
 * (v1 re-serialises, v2 stays within the cap); a decision, once made, does not change when more
 * bytes arrive; rejection messages are printable ASCII.
 */
@Tag("fuzz")
class ProxyHeaderParserFuzzTest {

  private static final ProxyHeaderParser[] PARSERS = {
    ProxyHeaderParser.defaults(),
    new ProxyHeaderParser(true, true, 64, true),
    new ProxyHeaderParser(true, true, 16 + 0xFFFF, false),
  };

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] input) {
    for (ProxyHeaderParser parser : PARSERS) {
      check(parser, input);
    }
  }

  private static void check(ProxyHeaderParser parser, byte[] input) {
    ByteBuffer window = ByteBuffer.wrap(input);
    Result result = parser.parse(window);
    assertThat(window.position()).isZero();
    assertThat(window.limit()).isEqualTo(input.length);

    // More bytes never change a decision (they only complete a NeedMoreBytes).
    byte[] longer = Arrays.copyOf(input, input.length + 3);
    Result again = parser.parse(ByteBuffer.wrap(longer));
    if (result instanceof Accepted a) {
      assertThat(again).isEqualTo(a);
      checkAccepted(parser, input, a);
    } else if (result instanceof Rejected r) {
      assertThat(again).isInstanceOf(Rejected.class);
      assertThat(((Rejected) again).reason()).isEqualTo(r.reason());
      assertThat(r.message()).matches("[\\x20-\\x7E]+");
    } else {
      assertThat(result).isSameAs(NeedMoreBytes.INSTANCE);
    }
  }

  private static void checkAccepted(ProxyHeaderParser parser, byte[] input, Accepted a) {
    int consumed = a.consumed();
    ProxyHeader h = a.header();
    assertThat(consumed).isPositive().isLessThanOrEqualTo(input.length);
    // One byte short of the header is not enough.
    assertThat(parser.parse(ByteBuffer.wrap(input, 0, consumed - 1).slice()))
        .isSameAs(NeedMoreBytes.INSTANCE);
    if (h.version() == 1) {
      assertThat(consumed).isLessThanOrEqualTo(ProxyHeaderParser.V1_MAX_LENGTH);
      assertThat(input[consumed - 2]).isEqualTo((byte) '\r');
      assertThat(input[consumed - 1]).isEqualTo((byte) '\n');
      assertThat(h.tlvs()).isEmpty();
      String line = new String(input, 0, consumed, StandardCharsets.ISO_8859_1);
      if (h.sourceAddress() == null) {
        assertThat(line).startsWith("PROXY UNKNOWN");
      } else {
        String serialised = serialise(h);
        if (h.family() == ProxyHeader.Family.INET) {
          assertThat(serialised).isEqualTo(line);
        } else {
          Result reparsed = ProxyHeaderParser.defaults()
              .parse(ByteBuffer.wrap(serialised.getBytes(StandardCharsets.ISO_8859_1)));
          if (!h.sourceAddress().getAddress().getClass().equals(
              h.destinationAddress().getAddress().getClass())
              || h.sourceAddress().getAddress() instanceof java.net.Inet4Address) {
            // Mapped or IPv4 text inside TCP6 prints as IPv4: not TCP6 text any more.
            return;
          }
          assertThat(reparsed).isInstanceOf(Accepted.class);
          assertThat(((Accepted) reparsed).header()).isEqualTo(h);
        }
      }
    } else {
      int len = ((input[14] & 0xFF) << 8) | (input[15] & 0xFF);
      assertThat(consumed).isEqualTo(16 + len);
      int tlvBytes = 0;
      for (ProxyHeader.Tlv tlv : h.tlvs()) {
        tlvBytes += 3 + tlv.length();
      }
      assertThat(tlvBytes).isLessThanOrEqualTo(len);
      if (h.command() == ProxyHeader.Command.LOCAL) {
        assertThat(h.sourceAddress()).isNull();
        assertThat(h.tlvs()).isEmpty();
      }
      assertThat(h.transport()).isNotEqualTo(
          h.command() == ProxyHeader.Command.PROXY ? ProxyHeader.Transport.DGRAM : null);
      h.ssl().ifPresent(ssl -> assertThat(ssl.subTlvs()).allSatisfy(
          t -> assertThat(t.length()).isLessThan(len)));
      h.uniqueId().ifPresent(id -> assertThat(id.length).isLessThanOrEqualTo(128));
    }
  }

  private static String serialise(ProxyHeader h) {
    return "PROXY " + (h.family() == ProxyHeader.Family.INET ? "TCP4" : "TCP6") + " "
        + text(h.sourceAddress()) + " " + text(h.destinationAddress()) + " "
        + h.sourceAddress().getPort() + " " + h.destinationAddress().getPort() + "\r\n";
  }

  private static String text(InetSocketAddress address) {
    return IpAddress.of(address.getAddress()).toString();
  }
}
