package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one RFC 7239 element reader ({@link ForwardedElement}), and {@code proto=}/{@code host=}
 * through {@link Forwarding#read}: they always come from the element that names the client, as
 * the walk delimited it, whatever a client writes to the left of it (README D21, D42).
 */
class ForwardedElementTest {

  static final IpAddress PEER = IpAddress.parse("10.0.0.1");

  /** The value of {@code name} in {@code element} as text, or EMPTY / INVALID / ABSENT. */
  static String read(String element, int parameter) {
    long v = ForwardedElement.value(element, 0, element.length(), parameter);
    if (v == Entries.EMPTY) {
      return "EMPTY";
    }
    if (v == Entries.INVALID) {
      return "INVALID";
    }
    if (v == ForwardedElement.ABSENT) {
      return "ABSENT";
    }
    return "<" + element.substring((int) (v >>> 32), (int) v) + ">";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      token values                          | for=192.0.2.1;proto=https;host=a.test     | <192.0.2.1>     | <https>          | <a.test>
      names in any case                     | For=192.0.2.1;PROTO=http;Host=a.test      | <192.0.2.1>     | <http>           | <a.test>
      quoted value without its quotes       | for="[2001:db8::1]:80";host="a.test:8080" | <[2001:db8::1]:80> | ABSENT        | <a.test:8080>
      quoted comma and semicolon            | for=192.0.2.1;x="a,b;c";proto=https       | <192.0.2.1>     | <https>          | ABSENT
      escaped quote stays inside its string | for=192.0.2.1;x="a\\"b";proto=https       | <192.0.2.1>     | <https>          | ABSENT
      escaped backslash ends before quote   | for=192.0.2.1;x="a\\\\";proto=https       | <192.0.2.1>     | <https>          | ABSENT
      a quoted-pair is kept as written      | for=192.0.2.1;host="a\\.test"             | <192.0.2.1>     | ABSENT           | <a\\.test>
      spaces and tabs around semicolons     | ' for=192.0.2.1 ;\tproto=https ; '        | <192.0.2.1>     | <https>          | ABSENT
      empty pairs                           | ;for=192.0.2.1;;proto=https;              | <192.0.2.1>     | <https>          | ABSENT
      no for                                | by=10.0.0.1;proto=https                   | ABSENT          | <https>          | ABSENT
      blank element                         | ' \t '                                    | EMPTY           | EMPTY            | EMPTY
      unclosed quote                        | for=192.0.2.1;x="                         | INVALID         | INVALID          | INVALID
      unclosed after an escaped quote       | for=192.0.2.1;x="\\"                      | INVALID         | INVALID          | INVALID
      a quote inside a token                | for=192.0.2.1;x=a"b"                      | INVALID         | INVALID          | INVALID
      text after a quoted string            | for="192.0.2.1"x;proto=https              | INVALID         | INVALID          | INVALID
      space inside a pair                   | for= 192.0.2.1                            | INVALID         | INVALID          | INVALID
      space before the equals sign          | for =192.0.2.1                            | INVALID         | INVALID          | INVALID
      empty token value                     | for=;proto=https                          | INVALID         | INVALID          | INVALID
      no equals sign                        | for;proto=https                           | INVALID         | INVALID          | INVALID
      a colon is not a token character      | for=192.0.2.1:80                          | INVALID         | INVALID          | INVALID
      brackets are not token characters     | for=[2001:db8::1]                         | INVALID         | INVALID          | INVALID
      a control character in a quoted value | 'for="192.0.2.1\u0001"'                   | INVALID         | INVALID          | INVALID
      duplicate for                         | for=192.0.2.1;for=192.0.2.2               | INVALID         | INVALID          | INVALID
      duplicate proto                       | for=192.0.2.1;proto=http;proto=https      | INVALID         | INVALID          | INVALID
      duplicate host, any case              | for=192.0.2.1;host=a.test;HOST=b.test     | INVALID         | INVALID          | INVALID
      duplicate by                          | for=192.0.2.1;by=a;by=b                   | INVALID         | INVALID          | INVALID
      duplicate extension is allowed        | for=192.0.2.1;x=1;x=2;proto=https         | <192.0.2.1>     | <https>          | ABSENT
      obfuscated identifier is a token      | for=_hidden;proto=https                   | <_hidden>       | <https>          | ABSENT
      unknown is a token                    | for=unknown                               | <unknown>       | ABSENT           | ABSENT
      """)
  void readsOneElementStrictly(String name, String element, String forValue, String proto,
      String host) {
    String e = element.replace("\\u0001", "\u0001");
    assertThat(read(e, ForwardedElement.FOR)).isEqualTo(forValue);
    assertThat(read(e, ForwardedElement.PROTO)).isEqualTo(proto);
    assertThat(read(e, ForwardedElement.HOST)).isEqualTo(host);
  }

  /** One line of what a trusted proxy wrote, and what the request must then report. */
  record Case(String name, String trust, String header, String remoteAddr, String scheme,
      String serverName, int serverPort, boolean stoppedOnInvalid) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String PROXY = "for=203.0.113.9;host=good.example;proto=https";

  static List<Case> cases() {
    return List.of(
        new Case("attack 1: escaped quote in the client's element", "1",
            "for=6.6.6.6;host=evil.example;proto=http;x=\"a\\\"b\", " + PROXY,
            "203.0.113.9", "https", "good.example", 443, false),
        new Case("attack 2: unclosed quote in the client's element", "1",
            "for=6.6.6.6;host=evil.example;proto=http;x=\", " + PROXY,
            "203.0.113.9", "https", "good.example", 443, false),
        new Case("attack 1 as two field lines joined", "1",
            "for=6.6.6.6;host=evil.example;proto=http;x=\"a\\\"b\"" + ", " + PROXY,
            "203.0.113.9", "https", "good.example", 443, false),
        new Case("the single-line escaped-quote form of the review", "1",
            "x=\"\\\"\", for=203.0.113.7;proto=http;host=good.example",
            "203.0.113.7", "http", "good.example", -1, false),
        new Case("the proxy sends neither proto nor host: the client's are not used", "1",
            "for=1.2.3.4;proto=https;host=evil.example;x=\", for=203.0.113.7",
            "203.0.113.7", null, null, -1, false),
        new Case("two trusted hops: the client element is the second from the right",
            "10.0.0.0/8",
            "for=198.51.100.1;proto=https;host=evil.example, for=198.51.100.1;proto=https;"
                + "host=evil.example;x=\"\\\"\", for=203.0.113.7;proto=http;host=good.example,"
                + " for=10.0.0.2",
            "203.0.113.7", "http", "good.example", -1, false),
        new Case("quoted comma and semicolon in the proxy's own element", "1",
            "for=6.6.6.6;host=evil.example, for=203.0.113.9;x=\"a,b;c\";host=good.example",
            "203.0.113.9", null, "good.example", -1, false),
        new Case("quoted IPv6 with a port", "1",
            "for=\"[2001:db8::1]:80\";proto=https", "2001:db8::1", "https", null, 443, false),
        new Case("For= in any case, spaces around ;", "1",
            "For=203.0.113.9 ; Proto=https ;\tHost=\"good.example:8443\"",
            "203.0.113.9", "https", "good.example", 8443, false),
        new Case("duplicate proto makes the element invalid: the walk stops at the peer", "1",
            "for=203.0.113.9;proto=http;proto=https", null, null, null, -1, true),
        new Case("duplicate host makes the element invalid", "1",
            "for=203.0.113.9;host=good.example;host=evil.example", null, null, null, -1, true),
        new Case("an unparsable proxy element stops the walk at the hop before it", "2",
            "for=6.6.6.6, for=203.0.113.9;x=\"open, for=10.0.0.2;proto=https",
            "10.0.0.2", "https", null, 443, true),
        new Case("for=_hidden stops the walk: no proto or host is read", "1",
            "for=_hidden;proto=https;host=good.example", null, null, null, -1, true),
        new Case("for=unknown stops the walk", "2",
            "for=unknown;host=evil.example, for=203.0.113.9;host=good.example",
            "203.0.113.9", null, "good.example", -1, true),
        new Case("an invalid proto or host in the client's element is ignored", "1",
            "for=203.0.113.9;proto=wss;host=127.1", "203.0.113.9", null, null, -1, false),
        new Case("an escaped host is not a host", "1",
            "for=203.0.113.9;host=\"good\\.example\"", "203.0.113.9", null, null, -1, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void protoAndHostComeFromTheClientsOwnElement(Case c) {
    Forwarding f = read(c.trust(), c.header());
    assertThat(f.remoteAddr()).isEqualTo(c.remoteAddr());
    assertThat(f.scheme()).isEqualTo(c.scheme());
    assertThat(f.serverName()).isEqualTo(c.serverName());
    assertThat(f.serverPort()).isEqualTo(c.serverPort());
    assertThat(f.resolution().stoppedOnInvalid()).isEqualTo(c.stoppedOnInvalid());
  }

  static List<String> attackerPrefixes() {
    return List.of("for=6.6.6.6;host=evil.example;proto=http;x=\"a\\\"b\"",
        "for=6.6.6.6;host=evil.example;proto=http;x=\"",
        "x=\"\\\"\"", "for=6.6.6.6;host=evil.example;proto=http;x=\"\\", "\"", "\\", ",\"\\\",",
        "for=\"6.6.6.6\";host=\"evil.example,\";proto=\"http;\"");
  }

  @ParameterizedTest(name = "prefix {0}")
  @MethodSource("attackerPrefixes")
  void textLeftOfTheClientsElementNeverChangesTheAnswer(String prefix) {
    for (String proxies : List.of(PROXY, "for=203.0.113.9", PROXY + ", for=10.0.0.2",
        "for=203.0.113.9;x=\"a,\\\"b;\";proto=https, for=\"10.0.0.2\";host=inner.example")) {
      Forwarding alone = read("10.0.0.0/8", proxies);
      Forwarding attacked = read("10.0.0.0/8", prefix + ", " + proxies);
      assertThat(alone.remoteAddr()).isEqualTo("203.0.113.9");
      assertThat(attacked.toString()).isEqualTo(alone.toString());
      assertThat(attacked.resolution().clientIndex()).isEqualTo(alone.resolution().clientIndex());
    }
  }

  static Forwarding read(String trust, String header) {
    return Forwarding.read(ClientResolver.of(TrustPolicy.parse("trust-proxy", trust)),
        Forwarding.Headers.FORWARDED, PEER, "http", h -> h.equals("Forwarded") ? header : null);
  }
}
