package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host rule of X-Forwarded-Host and RFC 7239 {@code host=} (README D40, D41), through
 * {@link Forwarding#read} from a trusted peer: what is accepted sets the server name and port,
 * anything else is ignored, recorded as {@link Forwarding.Ignored#HOST}, and leaves the
 * container's own.
 */
class ForwardedHostTest {

  static final IpAddress PEER = IpAddress.parse("10.0.0.1");
  static final String LONGEST_LABEL = "a".repeat(63);
  static final String LONGEST_NAME =
      String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));

  @ParameterizedTest(name = "{0} is accepted as {1} port {2}")
  @CsvSource(delimiter = '|', textBlock = """
      example.com                 | example.com          | -1
      EXAMPLE.com                 | EXAMPLE.com          | -1
      shop.example:8443           | shop.example         | 8443
      localhost                   | localhost            | -1
      a-b.c-d.example             | a-b.c-d.example      | -1
      xn--bcher-kva.example       | xn--bcher-kva.example | -1
      1a.example                  | 1a.example           | -1
      example.123a                | example.123a         | -1
      example.0xg                 | example.0xg          | -1
      10.0.0.1                    | 10.0.0.1             | -1
      192.0.2.1:8080              | 192.0.2.1            | 8080
      [::1]                       | [::1]                | -1
      [2001:db8::1]:443           | [2001:db8::1]        | 443
      """)
  void validHostsAreAccepted(String value, String host, int port) {
    for (Forwarding f : new Forwarding[] {xForwardedHost(value), forwardedHost(value)}) {
      assertThat(f.serverName()).as(f.toString()).isEqualTo(host);
      assertThat(f.serverPort()).as(f.toString()).isEqualTo(port);
      assertThat(f.ignored(Forwarding.Ignored.HOST)).isFalse();
    }
  }

  @Test
  void theLongestLabelAndNameAreAcceptedAndOneMoreIsNot() {
    assertThat(xForwardedHost(LONGEST_LABEL + ".example").serverName())
        .isEqualTo(LONGEST_LABEL + ".example");
    assertThat(LONGEST_NAME).hasSize(253);
    assertThat(xForwardedHost(LONGEST_NAME).serverName()).isEqualTo(LONGEST_NAME);
    assertThat(xForwardedHost(LONGEST_NAME + "d").serverName()).isNull();
    assertThat(xForwardedHost("a".repeat(64) + ".example").serverName()).isNull();
  }

  @ParameterizedTest(name = "''{0}'' is ignored")
  @ValueSource(strings = {
      // numeric forms a URL parser reads as an IPv4 address (README D4, D40)
      "127.1", "0x7f.1", "2130706433", "1.2.3.999", "0x7f", "0X7F.0.0.1", "0177.0.0.1",
      "010.0.0.1", "1.2.3.4.5", "example.123", "example.0x1f", "example.0x", "256.1.1.1",
      "1.2.3", "127.1:80",
      // malformed names
      ".", "..", "...", "-", "_", "~", "a_b.example", "a~b.example", "-a.example", "a-.example",
      "a..example", ".example", "example.com.", "example.com.:80", "a b", "a/b", "a@b",
      "user@host.com:80", "é.example",
      // ports and brackets
      "example.com:0", "example.com:65536", "example.com:080", "example.com:", "example.com: 80",
      ":80", "[192.0.2.1]", "[::1", "[::1]x", "[fe80::1%eth0]", "host:port:extra"})
  void invalidHostsAreIgnoredAndRecorded(String value) {
    for (Forwarding f : new Forwarding[] {xForwardedHost(value), forwardedHost(value)}) {
      assertThat(f.serverName()).as(f.toString()).isNull();
      assertThat(f.serverPort()).as(f.toString()).isEqualTo(-1);
      assertThat(f.ignored(Forwarding.Ignored.HOST)).as(f.toString()).isTrue();
      assertThat(f.toString()).contains("ignored HOST");
    }
  }

  @ParameterizedTest(name = "a 300-character label is ignored")
  @ValueSource(ints = {64, 300})
  void overlongLabelsAreIgnored(int length) {
    assertThat(xForwardedHost("a".repeat(length)).serverName()).isNull();
    assertThat(xForwardedHost("a".repeat(length)).ignored(Forwarding.Ignored.HOST)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      no header records nothing        | -     | -     | false | false
      a valid proto records nothing    | https | -     | false | false
      a bad proto is recorded          | wss   | -     | true  | false
      a bad port is recorded           | -     | 0     | false | true
      a good port records nothing      | -     | 8443  | false | false
      """)
  void otherIgnoredValuesAreRecorded(String name, String proto, String port, boolean scheme,
      boolean badPort) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Forwarded-Proto", proto);
    headers.put("X-Forwarded-Port", port);
    Forwarding f = Forwarding.read(ClientResolver.of(TrustPolicy.hops(1)),
        Forwarding.Headers.X_FORWARDED, PEER, "http", headers::get);
    assertThat(f.ignored(Forwarding.Ignored.SCHEME)).isEqualTo(scheme);
    assertThat(f.ignored(Forwarding.Ignored.PORT)).isEqualTo(badPort);
    assertThat(f.ignored(Forwarding.Ignored.HOST)).isFalse();
  }

  static Forwarding xForwardedHost(String value) {
    return Forwarding.read(ClientResolver.of(TrustPolicy.hops(1)),
        Forwarding.Headers.X_FORWARDED, PEER, "http",
        h -> h.equals("X-Forwarded-Host") ? value : null);
  }

  /** The same value as {@code host=} of the client's element, quoted (a port needs quotes). */
  static Forwarding forwardedHost(String value) {
    String header = "for=203.0.113.9;host=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"";
    return Forwarding.read(ClientResolver.of(TrustPolicy.hops(1)),
        Forwarding.Headers.FORWARDED, PEER, "http", h -> h.equals("Forwarded") ? header : null);
  }
}
