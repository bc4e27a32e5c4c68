package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edges of the forwarding-header value parsers: the first and last character of each allowed
 * class, ports at 1, 65535 and one past.
 * Written for the mutation run (PIT showed these boundaries unchecked).
 */
class HeaderValuesBoundaryTest {

  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of("a", "a", -1), Arguments.of("z", "z", -1), Arguments.of("A", "A", -1),
        Arguments.of("Z", "Z", -1), Arguments.of("a0", "a0", -1), Arguments.of("a9", "a9", -1),
        Arguments.of("a-b", "a-b", -1), Arguments.of("0a", "0a", -1),
        Arguments.of("example.com:1", "example.com", 1),
        Arguments.of("example.com:65535", "example.com", 65535),
        Arguments.of("Example-1.test:8443", "Example-1.test", 8443),
        Arguments.of("[::1]", "[::1]", -1), Arguments.of("[::1]:443", "[::1]", 443),
        Arguments.of("[2001:db8::1]:65535", "[2001:db8::1]", 65535));
  }

  @ParameterizedTest(name = "host[:port] {0} is host {1} port {2}")
  @MethodSource("hosts")
  void validHostAndPort(String value, String host, int port) {
    assertThat(HeaderValues.hostAndPort(value)).isEqualTo(new HeaderValues.HostPort(host, port));
  }

  static Stream<String> badHosts() {
    // Neighbours of the allowed characters: ` before a, { after z, @ before A, [ after Z,
    // / before 0, ; after 9 (':' after 9 is the port separator).
    return Stream.of("`", "{", "@", "/", ";", "a`b", "a{b", "a@b", "a/b", "a;b", "a b",
        "example.com:0", "example.com:65536", "example.com:99999", "example.com:123456",
        "example.com:080", "example.com:", ":80", "", "[", "[]", "[::1", "[::1]x", "[::1]:",
        "[::1]:0", "[nothost]", "[::1]:65536", "0", "9", "-", ".", "_", "~", "a_b", "a~b");
  }

  @ParameterizedTest(name = "host[:port] ''{0}'' is refused")
  @MethodSource("badHosts")
  void invalidHostAndPort(String value) {
    assertThat(HeaderValues.hostAndPort(value)).isNull();
  }

  @Test
  void nullHostIsRefused() {
    assertThat(HeaderValues.hostAndPort(null)).isNull();
  }

  @Test
  void portEdges() {
    assertThat(port("1")).isEqualTo(1);
    assertThat(port("65535")).isEqualTo(65535);
    assertThat(port("9999")).isEqualTo(9999);
    assertThat(port("65536")).isEqualTo(-1);
    assertThat(port("99999")).isEqualTo(-1);
    assertThat(port("123456")).isEqualTo(-1);
    assertThat(port("0")).isEqualTo(-1);
    assertThat(port("08")).isEqualTo(-1);
    assertThat(port("8a")).isEqualTo(-1);
    assertThat(port("/")).isEqualTo(-1);
    assertThat(port(":")).isEqualTo(-1);
    assertThat(port("")).isEqualTo(-1);
  }

  private static int port(String value) {
    return Entries.port(value, 0, value.length());
  }

  @Test
  void firstElement() {
    assertThat(HeaderValues.firstElement("https, http")).isEqualTo("https");
    assertThat(HeaderValues.firstElement(" \thttps\t ")).isEqualTo("https");
    assertThat(HeaderValues.firstElement("a")).isEqualTo("a");
    assertThat(HeaderValues.firstElement(",https")).isNull();
    assertThat(HeaderValues.firstElement(" ,https")).isNull();
    assertThat(HeaderValues.firstElement("")).isNull();
    assertThat(HeaderValues.firstElement(null)).isNull();
  }
}
