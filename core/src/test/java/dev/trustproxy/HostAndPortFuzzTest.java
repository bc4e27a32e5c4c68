package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The {@code host[:port]} parser behind X-Forwarded-Host on arbitrary text. Its answer lands in
 * {@code getServerName()}, {@code getRequestURL()} and redirects, so what it accepts must be
 * exactly a reg-name, IPv4 or bracketed IPv6 literal with an optional port, and nothing else.
 *
 * <p>Properties: never throws; an accepted value re-serialises to the very input (nothing is
 * dropped, trimmed or decoded); the host is a strict dotted quad, or {@code [IPv6]} whose inside
 * is IPv6 text that parses as an address (RFC 3986 §3.2.2: no IPv4 in brackets), or a DNS name
 * (README D40, D41: labels of 1..63 letters, digits and inner hyphens, at most 253 characters, no
 * trailing dot, a last label that is not a number to a URL parser); the port is absent (-1) or
 * 1..65535.
 *
 * <p>The input bytes are read twice, as UTF-8 and as ISO-8859-1, so both non-Latin characters
 * and every single byte value reach the parser. Seeds: {@code HostAndPortFuzzTestInputs/}.
 */
class HostAndPortFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void hostAndPort(byte[] input) {
    check(new String(input, StandardCharsets.UTF_8));
    check(new String(input, StandardCharsets.ISO_8859_1));
  }

  private static void check(String value) {
    HeaderValues.HostPort parsed = HeaderValues.hostAndPort(value);
    if (parsed == null) {
      return;
    }
    String host = parsed.host();
    int port = parsed.port();
    assertThat(port == -1 || (port >= 1 && port <= 65535))
        .as("port %s of '%s'", port, value)
        .isTrue();
    assertThat(host).as("host of '%s'", value).isNotEmpty();
    if (host.charAt(0) == '[') {
      // RFC 3986 §3.2.2: an IP-literal in brackets is IPv6 (text with a colon), never IPv4.
      assertThat(host).endsWith("]").as("bracketed host of '%s'", value).contains(":");
      assertThat(IpAddress.tryParse(host, 1, host.length() - 1))
          .as("bracketed host of '%s'", value)
          .isNotNull();
    } else if (!host.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")
        || IpAddress.tryParse(host) == null) {
      // Not a dotted quad: a DNS name, checked here with an independent regular expression.
      assertThat(host).as("host of '%s'", value).hasSizeLessThanOrEqualTo(253)
          .matches("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*"
              + "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
          .doesNotMatch("(.*\\.)?([0-9]+|0[xX][0-9A-Fa-f]*)");
    }
    String serialised = port < 0 ? host : host + ":" + port;
    assertThat(serialised).as("re-serialised '%s'", value).isEqualTo(value);
  }
}
