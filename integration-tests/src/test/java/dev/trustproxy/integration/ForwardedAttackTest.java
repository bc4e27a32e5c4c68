package dev.trustproxy.integration;

import static dev.trustproxy.integration.Bytes.concat;
import static dev.trustproxy.integration.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The X-Forwarded-For rows X1-X19 of the attack catalogue ({@code docs/attack-catalogue.md}
 * §3.2), end to end: a trusted proxy (this socket, on loopback) sends a PROXY v1 header naming
 * the proxy hop the filter sees as its peer (usually 10.0.0.5, "configuration A" of §5.3), then
 * an HTTP request carrying the attack. The servlet echoes what the application sees. Where the
 * catalogue's first draft and the contract differ (X17), the contract (D14) wins. X14 and X20 cannot be produced here
 * (see README-security.md).
 *
 * <p>Contexts: {@code /none} trust nothing, {@code /a} {@code 10.0.0.0/8}, {@code /b} hop count
 * 1 with the peer gate {@code 10.0.0.0/8}, {@code /c} hop count 2, {@code /all} {@code true},
 * {@code /fwd} {@code 10.0.0.0/8} on RFC 7239 {@code Forwarded}, {@code /mapped} {@code
 * ::ffff:10.0.0.0/104}.
 */
class ForwardedAttackTest {

  private static AttackServer server;
  private static final LogCapture LOG = new LogCapture();

  /** The application's answer: remote address, and the Resolution flags when they matter. */
  record Expect(int status, String remoteAddr, Map<String, String> flags) {
    static Expect client(String remoteAddr, String... flagPairs) {
      Map<String, String> flags = new java.util.LinkedHashMap<>();
      for (String pair : flagPairs) {
        String[] kv = pair.split("=", 2);
        flags.put(kv[0], kv[1]);
      }
      return new Expect(200, remoteAddr, flags);
    }

    static Expect status(int status) {
      return new Expect(status, null, Map.of());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = AttackServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static final String STOPPED = "stoppedOnInvalid=true";
  static final String FROM_HEADER = "fromHeader=true";
  static final String NOT_FROM_HEADER = "fromHeader=false";

  static Stream<Arguments> rows() {
    List<Arguments> rows = new ArrayList<>();
    rows.add(attack("X1 default trusts nobody: a client-written 127.0.0.1 is ignored",
        "/none", "10.0.0.5", List.of("X-Forwarded-For: 127.0.0.1"),
        Expect.client("10.0.0.5", NOT_FROM_HEADER)));
    rows.add(attack("X1 trust-all (opt-in, WARN at start) takes the left-most entry, as Express (X-30)",
        "/all", "10.0.0.5", List.of("X-Forwarded-For: 127.0.0.1, 203.0.113.7"),
        Expect.client("127.0.0.1", FROM_HEADER)));
    rows.add(attack("X2 attacker connecting directly with a forged header: header ignored, peer used",
        "/a", "198.51.100.9", List.of("X-Forwarded-For: 127.0.0.1"),
        Expect.client("198.51.100.9", "headerIgnored=true", NOT_FROM_HEADER)));
    rows.add(attack("X2 hop count with the peer gate: a direct client outside the gate is the client (X-29)",
        "/b", "198.51.100.9", List.of("X-Forwarded-For: 6.6.6.6"),
        Expect.client("198.51.100.9", "headerIgnored=true")));
    rows.add(attack("X3 two field lines are joined in order: the appended line's entry wins (X-04)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 10.0.0.9", "X-Forwarded-For: 203.0.113.7"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X3 hop count 1 reads the last line, never getHeader's first (X-05)",
        "/b", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6", "X-Forwarded-For: 203.0.113.7"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X4 only commas is no header: the peer, never 127.0.0.1 (X-06)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: , , ,"), Expect.client("10.0.0.5", NOT_FROM_HEADER)));
    rows.add(attack("X4 empty value is no header (X-07)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: "), Expect.client("10.0.0.5", NOT_FROM_HEADER)));
    rows.add(attack("X4 only spaces and tabs is no header",
        "/a", "10.0.0.5", List.of("X-Forwarded-For:  \t  "), Expect.client("10.0.0.5", NOT_FROM_HEADER)));
    rows.add(attack("X5 an empty element in the middle is not a hop (X-08)",
        "/c", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6,,203.0.113.7"),
        Expect.client("6.6.6.6", FROM_HEADER)));
    rows.add(attack("X6 10,000 entries (about 130 KB) stop at the container's header limit: 431",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: " + entries(10_000)), Expect.status(431)));
    rows.add(attack("X6 500 entries inside the limit are resolved from the right end",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: " + entries(500)),
        Expect.client("1.1.1.243", FROM_HEADER)));
    rows.add(attack("X7 unknown stops the walk at the nearest trusted hop (X-10)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6, unknown, 10.0.0.2"),
        Expect.client("10.0.0.2", STOPPED)));
    rows.add(attack("X7 _hidden stops the walk at the peer, never 6.6.6.6 (X-11)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6, _hidden"),
        Expect.client("10.0.0.5", STOPPED)));
    rows.add(attack("X7 _gazonk is an obfuscated identifier, invalid",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: _gazonk"), Expect.client("10.0.0.5", STOPPED)));
    for (String form : List.of("127.1", "0x7f.0.0.1", "0177.0.0.1", "010.0.0.1", "1.2.3",
        "4294967295", "1.2.3.4.5", "256.1.1.1")) {
      rows.add(attack("X8 IPv4 form " + form + " is invalid, never read as another address",
          "/a", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6, " + form),
          Expect.client("10.0.0.5", STOPPED)));
    }
    rows.add(attack("X8 spaces around an entry are trimmed by the list parser",
        "/a", "10.0.0.5", List.of("X-Forwarded-For:  1.2.3.4 ,  10.0.0.2"),
        Expect.client("1.2.3.4", FROM_HEADER)));
    rows.add(attack("X9 ::ffff:203.0.113.7 is the IPv4 address (X-16)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: ::ffff:203.0.113.7"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X9 ::ffff:7f00:1 is 127.0.0.1",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: ::ffff:7f00:1"),
        Expect.client("127.0.0.1", FROM_HEADER)));
    rows.add(attack("X9 :: is never a client (X-22)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: ::"), Expect.client("10.0.0.5", STOPPED)));
    rows.add(attack("X9 0.0.0.0 is never a client (X-22)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 0.0.0.0"), Expect.client("10.0.0.5", STOPPED)));
    rows.add(attack("X9 upper-case IPv6 is printed RFC 5952 (X-14)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 2001:DB8::1"),
        Expect.client("2001:db8::1", FROM_HEADER)));
    rows.add(attack("X9 bracketed IPv6 without a port",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: [2001:db8::1]"),
        Expect.client("2001:db8::1", FROM_HEADER)));
    rows.add(attack("X9 unbracketed v6:port is itself an IPv6 address (X-15)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 2001:db8::1:443"),
        Expect.client("2001:db8::1:443", FROM_HEADER)));
    for (String zone : List.of("fe80::1%eth0", "fe80::1%25eth0", "fe80::1%1")) {
      rows.add(attack("X10 zone " + zone + " is invalid",
          "/a", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6, " + zone),
          Expect.client("10.0.0.5", STOPPED)));
    }
    rows.add(attack("X11 a.b.c.d:port has its port stripped (X-12)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7:5678, 10.0.0.2"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X11 [v6]:port has its port stripped (X-13)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: [2001:db8::1]:443"),
        Expect.client("2001:db8::1", FROM_HEADER)));
    for (String bad : List.of("1.2.3.4:", ":80", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:080")) {
      rows.add(attack("X11 malformed port " + bad + " is invalid",
          "/a", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6, " + bad),
          Expect.client("10.0.0.5", STOPPED)));
    }
    for (String name : List.of("evil.example", "localhost", "attacker-controlled.dns")) {
      rows.add(attack("X12 host name " + name + " is invalid and never resolved",
          "/a", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6, " + name),
          Expect.client("10.0.0.5", STOPPED)));
    }
    rows.add(attack("X13 bare CR in the value is refused by HTTP/1.1 parsing: 400",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7\rX-Admin: injected-cr"),
        Expect.status(400)));
    rows.add(attack("X13 NUL in the value is refused by HTTP/1.1 parsing: 400",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7\0injected-nul"),
        Expect.status(400)));
    rows.add(attack("X13 obs-text byte in the value makes the entry invalid",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 6.6.6.6, 203.0.113.7\u00ffinjected-obs"),
        Expect.client("10.0.0.5", STOPPED)));
    rows.add(attack("X13 an encoded line break is just an invalid entry",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7%0d%0aX-Admin: injected-pct"),
        Expect.client("10.0.0.5", STOPPED)));
    rows.add(attack("X15 X_Forwarded_For is a different header: ignored (X-27)",
        "/a", "10.0.0.5", List.of("X_Forwarded_For: 1.2.3.4"), Expect.client("10.0.0.5", NOT_FROM_HEADER)));
    rows.add(attack("X15 header names are case-insensitive",
        "/a", "10.0.0.5", List.of("x-FORWARDED-for: 203.0.113.7"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X16 the X-Forwarded-For filter reads only X-Forwarded-For, never Forwarded",
        "/a", "10.0.0.5", List.of("Forwarded: for=198.51.100.1", "X-Forwarded-For: 203.0.113.7"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X16 the Forwarded filter reads only Forwarded, never X-Forwarded-For",
        "/fwd", "10.0.0.5", List.of("Forwarded: for=198.51.100.1", "X-Forwarded-For: 203.0.113.7"),
        Expect.client("198.51.100.1", FROM_HEADER)));
    rows.add(attack("X17 hop count larger than the list gives the left-most entry (D14)",
        "/c", "10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X18 all entries trusted gives the left-most entry (X-28)",
        "/a", "10.0.0.5", List.of("X-Forwarded-For: 10.0.0.3, 10.0.0.2"),
        Expect.client("10.0.0.3", FROM_HEADER)));
    rows.add(attack("X19 a mapped entry matches the mapped /104 range as IPv4",
        "/mapped", "10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7, ::ffff:a00:2"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X19 a plain IPv4 entry matches the mapped /104 range",
        "/mapped", "10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7, 10.0.0.2"),
        Expect.client("203.0.113.7", FROM_HEADER)));
    rows.add(attack("X19 a mapped PROXY source is the IPv4 peer for the 10.0.0.0/8 list",
        "/a", "::ffff:10.0.0.5", List.of("X-Forwarded-For: 203.0.113.7"),
        Expect.client("203.0.113.7", FROM_HEADER, "peer=10.0.0.5")));
    return rows.stream();
  }

  /** {@code 1.1.1.0, 1.1.1.1, ...}: the last of n entries is 1.1.1.((n-1) % 256). */
  private static String entries(int n) {
    return IntStream.range(0, n).mapToObj(i -> "1.1.1." + (i % 256))
        .collect(Collectors.joining(", "));
  }

  private static Arguments attack(String name, String path, String proxySource,
      List<String> headerLines, Expect expect) {
    return arguments(name, path, proxySource, headerLines, expect);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void row(String name, String path, String proxySource, List<String> headerLines, Expect expect)
      throws Exception {
    String family = proxySource.contains(":") ? "TCP6" : "TCP4";
    String destination = family.equals("TCP6") ? "::ffff:127.0.0.1" : "127.0.0.1";
    byte[] proxyLine =
        text("PROXY " + family + " " + proxySource + " " + destination + " 40000 80\r\n");
    long mark = LOG.mark();
    Response response;
    try (RawConnection c = new RawConnection(server.proxy.port())) {
      c.write(concat(proxyLine, Bytes.get(path + "/", headerLines.toArray(String[]::new))));
      response = c.readUntilClosed().response();
    }

    assertThat(response.status()).as(response.text()).isEqualTo(expect.status());
    if (expect.remoteAddr() != null) {
      assertThat(response.seen("remoteAddr")).isEqualTo(expect.remoteAddr());
      assertThat(response.seen("remoteHost")).isEqualTo(expect.remoteAddr());
      expect.flags().forEach((flag, value) -> assertThat(response.seen(flag)).as(flag).isEqualTo(value));
      assertThat(response.text()).as("no name was resolved").doesNotContain("192.0.2.254");
    }
    List<String> raw = new ArrayList<>();
    for (String line : headerLines) {
      String value = line.substring(line.indexOf(':') + 1).strip();
      if (value.length() >= 6 && value.length() < 200) {
        raw.add(value);
      }
    }
    raw.addAll(List.of("injected", "X-Admin", "evil.example", "192.0.2.254"));
    LOG.assertNothingRawAboveDebug(mark, raw);
  }
}
