package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpAddress;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.Forwarding;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The X-Forwarded-For rows of {@code docs/attack-catalogue.md}: the catalogue (X1..X20) and the
 * vectors (X-01..X-30), each through the real filter on a {@link TestRequest}. Where the
 * catalogue's first draft and the contract differ (X-09, X17: a hop count larger than the list),
 * the contract wins (D14) and the row says so.
 */
class AttackCatalogueTest {

  /** Configuration A of the X-NN vectors: trusted CIDR 10.0.0.0/8, peer 10.0.0.5. */
  static final String A = "10.0.0.0/8";

  static final String PEER = "10.0.0.5";

  record Row(String name, String trust, String gate, String peer, List<String[]> headers,
      String expectedClient, boolean ignored, boolean invalid) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, String trust, String peer, String xff, String expected) {
    return new Row(name, trust, null, peer, xff == null ? List.of() : xff(xff), expected, false,
        false);
  }

  static Row ignored(String name, String trust, String peer, String xff) {
    return new Row(name, trust, null, peer, xff(xff), peer, true, false);
  }

  static Row invalid(String name, String xff, String expected) {
    return new Row(name, A, null, PEER, xff(xff), expected, false, true);
  }

  static List<String[]> xff(String... lines) {
    List<String[]> headers = new ArrayList<>();
    for (String line : lines) {
      headers.add(new String[] {"X-Forwarded-For", line});
    }
    return headers;
  }

  static Stream<Row> rows() {
    String tenThousand = String.join(", ",
        java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "1.1." + (i / 250) + "." + (i % 250 + 1))
            .toList());
    return Stream.of(
        // The X-NN vectors, configuration A (10.0.0.0/8, peer 10.0.0.5), B (hops 1) and C (hops 2).
        row("X-01 single untrusted entry is the client", A, PEER, "203.0.113.7", "203.0.113.7"),
        row("X-02 walk stops at the first untrusted entry from the right", A, PEER,
            "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        ignored("X-03 untrusted peer: header ignored", A, "198.51.100.9", "127.0.0.1"),
        new Row("X-04 two field lines are joined in order", A, null, PEER,
            xff("10.0.0.9", "203.0.113.7"), "203.0.113.7", false, false),
        new Row("X-05 hop count reads the last line, not getHeader's first", "1", null, PEER,
            xff("6.6.6.6", "203.0.113.7"), "203.0.113.7", false, false),
        row("X-06 only separators: the peer, never 127.0.0.1", A, PEER, ", , ,", PEER),
        row("X-07 empty value: the peer", A, PEER, "", PEER),
        row("X-08 empty elements are not hops", "2", PEER, "6.6.6.6,,203.0.113.7", "6.6.6.6"),
        row("X-09 hop count larger than the list: left-most, as Express (D14)", "2", PEER,
            "203.0.113.7", "203.0.113.7"),
        invalid("X-10 invalid entry: nearest trusted hop", "6.6.6.6, unknown, 10.0.0.2",
            "10.0.0.2"),
        invalid("X-11 obfuscated identifier: nearest trusted hop is the peer", "6.6.6.6, _hidden",
            PEER),
        row("X-12 IPv4 port is stripped", A, PEER, "203.0.113.7:5678, 10.0.0.2", "203.0.113.7"),
        row("X-13 bracketed IPv6 with port", A, PEER, "[2001:db8::1]:443", "2001:db8::1"),
        row("X-14 IPv6 output is RFC 5952", A, PEER, "2001:DB8::1", "2001:db8::1"),
        row("X-15 unbracketed v6:port is an IPv6 address", A, PEER, "2001:db8::1:443",
            "2001:db8::1:443"),
        row("X-16 IPv4-mapped becomes IPv4", A, PEER, "::ffff:203.0.113.7", "203.0.113.7"),
        row("X-17 mapped trusted entry alone: all trusted, left-most", A, PEER, "::ffff:a00:5",
            "10.0.0.5"),
        invalid("X-18 short form 127.1 is invalid", "127.1", PEER),
        invalid("X-19 hex octet is invalid", "0x7f.0.0.1", PEER),
        invalid("X-20 octal-looking 0177.0.0.1 is invalid", "0177.0.0.1", PEER),
        invalid("X-20 leading zero 010.0.0.1 is invalid", "010.0.0.1", PEER),
        invalid("X-21 five parts", "1.2.3.4.5", PEER),
        invalid("X-21 octet over 255", "256.1.1.1", PEER),
        invalid("X-21 three parts", "1.2.3", PEER),
        invalid("X-21 integer form", "4294967295", PEER),
        invalid("X-22 unspecified IPv6", "::", PEER),
        invalid("X-22 unspecified IPv4", "0.0.0.0", PEER),
        invalid("X-23 zone", "fe80::1%eth0", PEER),
        invalid("X-24 host name, never resolved", "evil.example", PEER),
        invalid("X-25 CR LF injection", "203.0.113.7\r\nX-Admin: 1", PEER),
        row("X-26 10,000 entries: answered from the tail", A, PEER, tenThousand, "1.1.39.250"),
        new Row("X-27 underscore variant is another header", A, null, PEER,
            List.<String[]>of(new String[] {"X_Forwarded_For", "1.2.3.4"}), PEER, false, false),
        row("X-28 all trusted: left-most", A, PEER, "10.0.0.3, 10.0.0.2", "10.0.0.3"),
        new Row("X-29 hop count with peer gate: direct client refused", "1", "10.0.0.0/8",
            "198.51.100.9", xff("6.6.6.6"), "198.51.100.9", true, false),
        row("X-30 trust all: left-most (logged as insecure at start)", "true", PEER,
            "127.0.0.1, 203.0.113.7", "127.0.0.1"),
        // The X attack rows.
        ignored("X1 default trusts nobody: a forged 127.0.0.1 is ignored", "false",
            "203.0.113.9", "127.0.0.1"),
        ignored("X2 direct connection with forged header: the peer", A, "203.0.113.9",
            "10.0.0.1, 127.0.0.1"),
        new Row("X3 attacker line first, proxy line last: proxy's entry wins", A, null, PEER,
            xff("10.0.0.5", "203.0.113.7"), "203.0.113.7", false, false),
        row("X4 only spaces: the peer", A, PEER, "   ", PEER),
        row("X5 empty middle element is not a hop", "2", PEER, "1.2.3.4,,10.0.0.1", "1.2.3.4"),
        row("X6 long header, hop count: cost follows the walk", "1", PEER, tenThousand,
            "1.1.39.250"),
        invalid("X7 unknown at the decision point", "6.6.6.6, unknown", PEER),
        invalid("X7 _gazonk at the decision point", "6.6.6.6, _gazonk", PEER),
        invalid("X8 leading space inside is fine but 1.2.3 is not", " 1.2.3", PEER),
        row("X9 mapped hex form is the IPv4 address 127.0.0.1", A, PEER, "203.0.113.7, ::ffff:7f00:1",
            "127.0.0.1"),
        invalid("X10 percent-encoded zone", "fe80::1%25eth0", PEER),
        invalid("X10 numeric zone", "fe80::1%1", PEER),
        invalid("X11 empty port", "1.2.3.4:", PEER),
        invalid("X11 port without address", ":80", PEER),
        invalid("X11 port zero", "1.2.3.4:0", PEER),
        invalid("X11 port over 65535", "1.2.3.4:65536", PEER),
        invalid("X11 bracketed IPv4", "[1.2.3.4]", PEER),
        row("X11 bracketed IPv6 without port", A, PEER, "[2001:db8::1]", "2001:db8::1"),
        invalid("X12 localhost is a name, not an address", "localhost", PEER),
        invalid("X13 NUL byte", "203.0.113.7\u0000", PEER),
        new Row("X15 underscore variant ignored even beside the real header", A, null, PEER,
            List.<String[]>of(new String[] {"X_Forwarded_For", "1.2.3.4"},
                new String[] {"x-forwarded-for", "203.0.113.7"}),
            "203.0.113.7", false, false),
        new Row("X16 Forwarded is not read in X-Forwarded-For mode", A, null, PEER,
            List.<String[]>of(new String[] {"Forwarded", "for=1.2.3.4"},
                new String[] {"X-Forwarded-For", "203.0.113.7"}),
            "203.0.113.7", false, false),
        row("X17 hop count larger than the list: left-most, as Express (D14)", "5", PEER,
            "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        row("X18 all trusted: left-most", "loopback, 10.0.0.0/8", PEER, "127.0.0.2, 10.0.0.9",
            "127.0.0.2"),
        row("X19 mapped range in config equals the IPv4 range", "::ffff:10.0.0.0/104", PEER,
            "203.0.113.7, ::ffff:10.0.0.9", "203.0.113.7"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void resolvesAsTheCatalogueSays(Row row) throws Exception {
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse(row.trust()));
    if (row.gate() != null) {
      resolver = resolver.withTrustedPeers(IpRangeSet.parse(row.gate()));
    }
    TrustProxyFilter filter = new TrustProxyFilter(resolver);
    HttpServletRequest request = TestRequest.create(row.peer(), false, row.headers());
    AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
    filter.doFilter(request, null, (req, res) -> seen.set((HttpServletRequest) req));
    Resolution resolution =
        (Resolution) seen.get().getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);

    assertThat(seen.get().getRemoteAddr()).isEqualTo(row.expectedClient());
    assertThat(resolution.client()).isEqualTo(IpAddress.parse(row.expectedClient()));
    assertThat(resolution.headerIgnored()).as("headerIgnored").isEqualTo(row.ignored());
    assertThat(resolution.stoppedOnInvalid()).as("stoppedOnInvalid").isEqualTo(row.invalid());
    // Nothing raw from the header is ever echoed: the result holds canonical addresses only.
    assertThat(resolution.toString()).doesNotContain("X-Admin", "unknown", "evil", "\r", "\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc7239Rows")
  void forwardedHeaderFollowsTheSameRules(String name, String forwarded, String expected,
      boolean invalid) throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter(
        ClientResolver.of(TrustPolicy.parse(A)), Forwarding.Headers.FORWARDED);
    List<String[]> headers = new ArrayList<>(Arrays.asList(
        new String[] {"Forwarded", forwarded},
        new String[] {"X-Forwarded-For", "6.6.6.6"}));
    AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
    filter.doFilter(TestRequest.create(PEER, false, headers), null,
        (req, res) -> seen.set((HttpServletRequest) req));
    Resolution resolution =
        (Resolution) seen.get().getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
    assertThat(seen.get().getRemoteAddr()).isEqualTo(expected);
    assertThat(resolution.stoppedOnInvalid()).isEqualTo(invalid);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> rfc7239Rows() {
    return Stream.of(
        args("for= token", "for=203.0.113.7", "203.0.113.7", false),
        args("quoted IPv6 with port", "for=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17",
            false),
        args("walk from the right over elements", "for=6.6.6.6, for=203.0.113.7;proto=https,"
            + " for=10.0.0.2;by=10.0.0.1", "203.0.113.7", false),
        args("parameter names are case-insensitive", "For=203.0.113.7", "203.0.113.7", false),
        args("quoted comma does not split elements", "for=203.0.113.7;x=\"a,b\"", "203.0.113.7",
            false),
        args("unknown stops the walk", "for=6.6.6.6, for=unknown", PEER, true),
        args("obfuscated identifier stops the walk", "for=6.6.6.6, for=_hidden", PEER, true),
        args("element without for= stops the walk", "for=6.6.6.6, by=10.0.0.1", PEER, true),
        args("two for= in one element stop the walk", "for=6.6.6.6;for=7.7.7.7", PEER, true),
        args("empty elements are not hops", "for=203.0.113.7, , ", "203.0.113.7", false),
        args("X-Forwarded-For is not read in Forwarded mode", "for=10.0.0.3", "10.0.0.3", false));
  }

  static org.junit.jupiter.params.provider.Arguments args(Object... values) {
    return org.junit.jupiter.params.provider.Arguments.of(values);
  }
}
