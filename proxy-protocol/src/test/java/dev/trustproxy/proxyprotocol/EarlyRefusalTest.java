package dev.trustproxy.proxyprotocol;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A partial header that can no longer become valid is refused when the byte that breaks it
 * arrives, not at the deadline: each row names that byte count. Fed whole, byte by byte, and in
 * two reads split at every point, the decision is the same, and no shorter prefix is refused.
 */
class EarlyRefusalTest {

  private static final ProxyHeaderParser DEFAULTS = ProxyHeaderParser.defaults();
  private static final ProxyHeaderParser STRICT_TCP6 =
      new ProxyHeaderParser(true, true, 4096, false);

  record Case(String name, byte[] bytes, ProxyHeaderParser parser, int refusedAt, Reason reason) {
    @Override
    public String toString() {
      return name + " (refused at byte " + refusedAt + ")";
    }
  }

  static Case v1(String name, String line, int refusedAt) {
    return new Case(name, ascii(line), DEFAULTS, refusedAt, Reason.MALFORMED);
  }

  static Case v2(String name, String hex, int refusedAt, Reason reason) {
    return new Case(name, hex(hex), DEFAULTS, refusedAt, reason);
  }

  static Stream<Case> cases() {
    String tail = " 198.51.100.2 1234 80\r\n";
    return Stream.of(
        v1("v1 wrong fifth byte of PROXY", "PROXX TCP4 192.0.2.1" + tail, 5),
        v1("v1 protocol TI... is no prefix of TCP4, TCP6 or UNKNOWN", "PROXY TIME" + tail, 8),
        v1("v1 lower-case protocol", "PROXY tcp4 192.0.2.1" + tail, 7),
        v1("v1 UDP4 (U could start UNKNOWN, D cannot)", "PROXY UDP4 192.0.2.1" + tail, 8),
        v1("v1 UNKNOWN misspelt", "PROXY UNKNOWX\r\n", 13),
        v1("v1 tab after the protocol", "PROXY TCP4\t192.0.2.1" + tail, 11),
        v1("v1 letter in a TCP4 address", "PROXY TCP4 192.0.2.x" + tail, 20),
        v1("v1 bracket in a TCP6 address", "PROXY TCP6 [2001:db8::1]" + tail, 12),
        v1("v1 zone in a TCP6 address", "PROXY TCP6 fe80::1%eth0 2001:db8::2 1 2\r\n", 19),
        v1("v1 TCP4 address longer than a dotted quad", "PROXY TCP4 1111111111111111" + tail,
            27),
        v1("v1 letter in a port", "PROXY TCP4 1.2.3.4 5.6.7.8 8a 80\r\n", 29),
        v1("v1 port of six digits", "PROXY TCP4 1.2.3.4 5.6.7.8 123456 80\r\n", 33),
        v1("v1 double space", "PROXY TCP4 192.0.2.1  198.51.100.2 1234 80\r\n", 22),
        v1("v1 fifth field", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", 31),
        v1("v1 CR before the fourth field", "PROXY TCP4 192.0.2.1\r\n", 21),
        v1("v1 line feed without CR", "PROXY TCP4 1.2.3.4\n", 19),
        v1("v1 octet 256 refused at its space", "PROXY TCP4 256.0.0.1" + tail, 21),
        v1("v1 IPv4 source in TCP6 refused at its space", "PROXY TCP6 192.0.2.1 ::1 1 2\r\n",
            21),
        v1("v1 port 65536 refused at its space", "PROXY TCP4 1.2.3.4 5.6.7.8 65536 80\r\n", 33),
        v1("v1 bad last port refused at CR, before the LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 080\r\n",
            33),
        new Case("v1 IPv4 destination in strict TCP6 refused at its space",
            ascii("PROXY TCP6 2001:db8::1 192.0.2.2 1 2\r\n"), STRICT_TCP6, 33, Reason.MALFORMED),
        v2("v2 wrong sixth signature byte", "0D 0A 0D 0A 00 0C 0A 51 55 49 54 0A 21 11 00 0C", 6,
            Reason.MALFORMED),
        v2("v2 version nibble 1", "SIG 11 11 00 0C", 13, Reason.MALFORMED),
        v2("v2 version nibble 3", "SIG 31 11 00 0C", 13, Reason.MALFORMED),
        v2("v2 command nibble 2", "SIG 22 11 00 0C", 13, Reason.MALFORMED),
        v2("v2 family byte 0x41", "SIG 21 41 00 0C", 14, Reason.MALFORMED),
        v2("v2 transport nibble 3", "SIG 21 13 00 0C", 14, Reason.MALFORMED),
        v2("v2 PROXY over DGRAM", "SIG 21 12 00 0C", 14, Reason.UNSUPPORTED),
        v2("v2 length over the cap", "SIG 21 11 0F F1", 16, Reason.TOO_LARGE),
        v2("v2 length shorter than the IPv4 block", "SIG 21 11 00 0B", 16, Reason.MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void whole(Case c) {
    Result r = c.parser().parse(ByteBuffer.wrap(c.bytes()));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).isEqualTo(c.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void byteByByteRefusedExactlyWhenTheBreakingByteArrives(Case c) {
    Rejected first = null;
    for (int k = 1; k <= c.bytes().length; k++) {
      Result r = c.parser().parse(ByteBuffer.wrap(c.bytes(), 0, k).slice());
      if (k < c.refusedAt()) {
        assertThat(r).as("prefix of %d bytes", k).isSameAs(NeedMoreBytes.INSTANCE);
      } else {
        assertThat(r).as("prefix of %d bytes", k).isInstanceOf(Rejected.class);
        if (first == null) {
          first = (Rejected) r;
        }
        assertThat(r).as("more bytes never change the decision").isEqualTo(first);
      }
    }
    assertThat(first.reason()).isEqualTo(c.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void twoReadsSplitAtEveryPoint(Case c) {
    byte[] all = c.bytes();
    Result whole = c.parser().parse(ByteBuffer.wrap(all));
    for (int split = 1; split < all.length; split++) {
      // As a connection does: one buffer, the first read, a parse, the second read, a parse.
      ByteBuffer buffer = ByteBuffer.allocate(all.length);
      buffer.put(all, 0, split).flip();
      Result afterFirst = c.parser().parse(buffer);
      if (split >= c.refusedAt()) {
        assertThat(afterFirst).as("split at %d", split).isEqualTo(whole);
        continue;
      }
      assertThat(afterFirst).as("split at %d", split).isSameAs(NeedMoreBytes.INSTANCE);
      buffer.compact().put(all, split, all.length - split).flip();
      assertThat(c.parser().parse(buffer)).as("split at %d", split).isEqualTo(whole);
    }
  }
}
