package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A header holding one client address (X-Real-IP, CF-Connecting-IP, True-Client-IP,
 * Fastly-Client-IP; README D90-D93), read through {@link Forwarding#read} as every adapter does:
 * the joined field lines and the first line. Field lines are separated by {@code ;;} in the
 * table.
 */
class SingleAddressHeaderTest {

  private static final String HEADER = "CF-Connecting-IP";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      trusted peer, IPv4                      | 10.0.0.0/8 | -          | 10.0.0.1    | 203.0.113.7                   | 203.0.113.7     | -                   | false
      trusted peer, IPv6 made canonical       | 10.0.0.0/8 | -          | 10.0.0.1    | 2001:DB8:0:0:0:0:0:1          | 2001:db8::1     | -                   | false
      IPv6 in brackets (D91)                  | 10.0.0.0/8 | -          | 10.0.0.1    | [2001:db8::1]                 | 2001:db8::1     | -                   | false
      IPv4-mapped IPv6 is the IPv4 address    | 10.0.0.0/8 | -          | 10.0.0.1    | ::ffff:203.0.113.7            | 203.0.113.7     | -                   | false
      spaces and tabs around are dropped      | 10.0.0.0/8 | -          | 10.0.0.1    | '  203.0.113.7\t'             | 203.0.113.7     | -                   | false
      IPv6 peer in a trusted range            | fd00::/8   | -          | fd00::1     | 2001:db8::7                   | 2001:db8::7     | -                   | false
      untrusted peer is ignored               | 10.0.0.0/8 | -          | 192.0.2.1   | 203.0.113.7                   | 192.0.2.1       | -                   | true
      trust-proxy false is never believed     | false      | -          | 10.0.0.1    | 203.0.113.7                   | 10.0.0.1        | -                   | true
      hop count: only the peer is asked       | 1          | -          | 192.0.2.1   | 203.0.113.7                   | 203.0.113.7     | -                   | false
      hop count 3: still one address          | 3          | -          | 192.0.2.1   | 203.0.113.7                   | 203.0.113.7     | -                   | false
      hop count with the peer outside the gate| 1          | 10.0.0.0/8 | 192.0.2.1   | 203.0.113.7                   | 192.0.2.1       | -                   | true
      hop count with the peer inside the gate | 1          | 10.0.0.0/8 | 10.0.0.1    | 203.0.113.7                   | 203.0.113.7     | -                   | false
      two field lines                         | 10.0.0.0/8 | -          | 10.0.0.1    | 203.0.113.7;;198.51.100.1     | 10.0.0.1        | SEVERAL_FIELD_LINES | false
      two field lines, second empty           | 10.0.0.0/8 | -          | 10.0.0.1    | 203.0.113.7;;                 | 10.0.0.1        | SEVERAL_FIELD_LINES | false
      a list                                  | 10.0.0.0/8 | -          | 10.0.0.1    | '203.0.113.7, 198.51.100.1'   | 10.0.0.1        | LIST                | false
      a trailing comma is a list              | 10.0.0.0/8 | -          | 10.0.0.1    | '203.0.113.7,'                | 10.0.0.1        | LIST                | false
      IPv4 with a port                        | 10.0.0.0/8 | -          | 10.0.0.1    | 203.0.113.7:443               | 10.0.0.1        | PORT                | false
      IPv6 in brackets with a port            | 10.0.0.0/8 | -          | 10.0.0.1    | [2001:db8::1]:443             | 10.0.0.1        | PORT                | false
      empty                                   | 10.0.0.0/8 | -          | 10.0.0.1    | ''                            | 10.0.0.1        | EMPTY               | false
      only spaces                             | 10.0.0.0/8 | -          | 10.0.0.1    | '   '                         | 10.0.0.1        | EMPTY               | false
      a host name                             | 10.0.0.0/8 | -          | 10.0.0.1    | client.example                | 10.0.0.1        | NOT_AN_ADDRESS      | false
      unknown                                 | 10.0.0.0/8 | -          | 10.0.0.1    | unknown                       | 10.0.0.1        | NOT_AN_ADDRESS      | false
      a leading zero                          | 10.0.0.0/8 | -          | 10.0.0.1    | 010.0.0.1                     | 10.0.0.1        | NOT_AN_ADDRESS      | false
      0.0.0.0 names nobody                    | 10.0.0.0/8 | -          | 10.0.0.1    | 0.0.0.0                       | 10.0.0.1        | NOT_AN_ADDRESS      | false
      :: names nobody                         | 10.0.0.0/8 | -          | 10.0.0.1    | ::                            | 10.0.0.1        | NOT_AN_ADDRESS      | false
      an IPv6 zone                            | 10.0.0.0/8 | -          | 10.0.0.1    | fe80::1%eth0                  | 10.0.0.1        | NOT_AN_ADDRESS      | false
      a dotted quad in brackets               | 10.0.0.0/8 | -          | 10.0.0.1    | [203.0.113.7]                 | 10.0.0.1        | NOT_AN_ADDRESS      | false
      an unclosed bracket                     | 10.0.0.0/8 | -          | 10.0.0.1    | [2001:db8::1                  | 10.0.0.1        | NOT_AN_ADDRESS      | false
      text after the bracket                  | 10.0.0.0/8 | -          | 10.0.0.1    | [2001:db8::1]x                | 10.0.0.1        | NOT_AN_ADDRESS      | false
      two addresses without a comma           | 10.0.0.0/8 | -          | 10.0.0.1    | '203.0.113.7 198.51.100.1'    | 10.0.0.1        | NOT_AN_ADDRESS      | false
      a name with a port                      | 10.0.0.0/8 | -          | 10.0.0.1    | client.example:443            | 10.0.0.1        | NOT_AN_ADDRESS      | false
      """)
  void singleAddressHeaders(String name, String trust, String trustedPeers, String peer,
      String lines, String client, Resolution.Rejection rejection, boolean headerIgnored) {
    Resolution r = read(resolver(trust, trustedPeers), peer, Map.of(HEADER, lines))
        .resolution();
    assertThat(r.client()).hasToString(client);
    boolean fromHeader = !client.equals(peer);
    assertThat(r.fromHeader()).isEqualTo(fromHeader);
    assertThat(r.clientHeader()).isEqualTo(fromHeader ? "cf-connecting-ip" : null);
    assertThat(r.ips()).isEqualTo(fromHeader ? List.of(IpAddress.parse(client)) : List.of());
    assertThat(r.rejection()).isEqualTo(rejection);
    assertThat(r.stoppedOnInvalid()).isEqualTo(rejection != null);
    assertThat(r.headerIgnored()).isEqualTo(headerIgnored);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      trusted peer: proto and host beside the header are read | 10.0.0.1  | 203.0.113.7 | https | shop.example | 443
      trusted peer with a rejected value still vouches for proto | 10.0.0.1  | 1.2.3.4:5   | https | shop.example | 443
      untrusted peer: nothing is read                         | 192.0.2.1 | 203.0.113.7 | -     | -            | -1
      """)
  void forwardedProtoAndHostFollowTheSameTrustRule(String name, String peer, String value,
      String scheme, String serverName, int serverPort) {
    Forwarding f = read(resolver("10.0.0.0/8", null), peer, Map.of(HEADER, value,
        "X-Forwarded-Proto", "https", "X-Forwarded-Host", "shop.example"));
    assertThat(f.scheme()).isEqualTo(scheme);
    assertThat(f.serverName()).isEqualTo(serverName);
    assertThat(f.serverPort()).isEqualTo(serverPort);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      X-Forwarded-For is not read beside X-Real-IP | x-real-ip       | 10.0.0.1
      X-Real-IP is not read with X-Forwarded-For   | x-forwarded-for | 198.51.100.9
      """)
  void oneHeaderPerSetting(String name, String setting, String client) {
    Map<String, String> headers = Map.of("X-Real-IP", "203.0.113.7;;203.0.113.8",
        "X-Forwarded-For", "198.51.100.9");
    Forwarding f = Forwarding.read(resolver("10.0.0.0/8", null),
        Forwarding.Headers.parse("forwardedHeader", setting), IpAddress.parse("10.0.0.1"), "http",
        headers, LINES);
    assertThat(f.resolution().client()).hasToString(client);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a believed value counts as from the header   | 203.0.113.7   | 1 | 0 | 0
      a rejected value counts as stopped (D92)     | 203.0.113.7:1 | 0 | 0 | 1
      """)
  void countersSeeSingleHeaders(String name, String value, long fromHeader, long ignored,
      long stopped) {
    ResolutionCounters counters = new ResolutionCounters();
    counters.record(read(resolver("10.0.0.0/8", null), "10.0.0.1", Map.of(HEADER, value))
        .resolution());
    assertThat(counters.resolvedFromHeader()).isEqualTo(fromHeader);
    assertThat(counters.headerIgnored()).isEqualTo(ignored);
    assertThat(counters.stoppedOnInvalid()).isEqualTo(stopped);
  }

  private static ClientResolver resolver(String trust, String trustedPeers) {
    ClientResolver r = ClientResolver.of(TrustPolicy.parse("trust-proxy", trust));
    return trustedPeers == null ? r : r.withTrustedPeers(IpRangeSet.parse(trustedPeers));
  }

  private static Forwarding read(ClientResolver resolver, String peer,
      Map<String, String> headers) {
    return Forwarding.read(resolver, Forwarding.Headers.single(HEADER), IpAddress.parse(peer),
        "http", headers, LINES);
  }

  /** Field lines by name, any case, as containers look them up. */
  private static List<String> lines(Map<String, String> headers, String name) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    String value = byName.get(name.toLowerCase(Locale.ROOT));
    return value == null ? List.of() : Arrays.asList(value.split(";;", -1));
  }

  /** The field lines of a map of {@code ;;}-separated values, as an adapter reads its request's. */
  private static final Forwarding.FieldLines<Map<String, String>> LINES =
      new Forwarding.FieldLines<>() {
        @Override
        public String joined(Map<String, String> headers, String name) {
          List<String> lines = lines(headers, name);
          return lines.isEmpty() ? null : String.join(", ", lines);
        }

        @Override
        public String first(Map<String, String> headers, String name) {
          List<String> lines = lines(headers, name);
          return lines.isEmpty() ? null : lines.get(0);
        }
      };
}
