package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The adapter-neutral rules of docs/behaviour.md §4 that both the filter and the Jetty customizer ask. Their
 * end-to-end agreement is proven on every conformance vector by the jetty-connector tests.
 */
class ForwardingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      client from the header, nothing else                 | 10.0.0.0/8 | 10.0.0.1  | http  | 203.0.113.7 | -     | -              | -    | 203.0.113.7 | -     | -              | -1
      untrusted peer changes nothing                       | 10.0.0.0/8 | 192.0.2.1 | http  | 203.0.113.7 | https | shop.example   | 8443 | -           | -     | -              | -1
      scheme change without a port sets its default port   | 10.0.0.0/8 | 10.0.0.1  | http  | -           | HTTPS | -              | -    | -           | https | -              | 443
      same scheme keeps the container's port               | 10.0.0.0/8 | 10.0.0.1  | https | -           | https | -              | -    | -           | https | -              | -1
      host without a port keeps the container's port       | 10.0.0.0/8 | 10.0.0.1  | http  | -           | -     | shop.example   | -    | -           | -     | shop.example   | -1
      host port wins over X-Forwarded-Port                 | 10.0.0.0/8 | 10.0.0.1  | http  | -           | -     | shop.example:1 | 2    | -           | -     | shop.example   | 1
      X-Forwarded-Port applies without a host port         | 10.0.0.0/8 | 10.0.0.1  | http  | -           | -     | -              | 8080 | -           | -     | -              | 8080
      bad scheme and bad host are ignored                  | 10.0.0.0/8 | 10.0.0.1  | http  | -           | wss   | a/b            | 0    | -           | -     | -              | -1
      """)
  void xForwardedRules(String name, String trust, String peer, String containerScheme, String xff,
      String proto, String host, String port, String remoteAddr, String scheme, String serverName,
      int serverPort) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Forwarded-For", xff);
    headers.put("X-Forwarded-Proto", proto);
    headers.put("X-Forwarded-Host", host);
    headers.put("X-Forwarded-Port", port);
    Forwarding f = Forwarding.read(ClientResolver.of(TrustPolicy.parse("trust-proxy", trust)),
        Forwarding.Headers.X_FORWARDED, IpAddress.parse(peer), containerScheme, headers::get);
    assertThat(f.remoteAddr()).isEqualTo(remoteAddr);
    assertThat(f.scheme()).isEqualTo(scheme);
    assertThat(f.serverName()).isEqualTo(serverName);
    assertThat(f.serverPort()).isEqualTo(serverPort);
    assertThat(f.changesRequest())
        .isEqualTo(remoteAddr != null || scheme != null || serverName != null || serverPort >= 0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      proto and host come from the element naming the client | for=6.6.6.6;proto=http;host=evil, for=203.0.113.7;proto=https;host=shop.example | 203.0.113.7 | https | shop.example
      """)
  void forwardedRules(String name, String forwarded, String remoteAddr, String scheme,
      String serverName) {
    Forwarding f = Forwarding.read(ClientResolver.of(TrustPolicy.parse("trust-proxy", "1")),
        Forwarding.Headers.FORWARDED, IpAddress.parse("10.0.0.1"), "http",
        h -> h.equals("Forwarded") ? forwarded : null);
    assertThat(f.remoteAddr()).isEqualTo(remoteAddr);
    assertThat(f.scheme()).isEqualTo(scheme);
    assertThat(f.serverName()).isEqualTo(serverName);
    assertThat(f.resolution().fromHeader()).isTrue();
  }

  /**
   * {@link Forwarding#clientText}: the client's text is canonical (README D9) whether it came from
   * the header or is the peer, and the container's peer text is kept when it already is.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      the header's client, formatted            | 10.0.0.1               | 10.0.0.1               | 2001:DB8::7 | 2001:db8::7 | false
      an untrusted peer, canonical text kept    | 2001:db8::1            | 2001:db8::1            | 203.0.113.7 | 2001:db8::1 | true
      an untrusted peer, Jetty's text rewritten | [2001:db8:0:0:0:0:0:1] | [2001:db8:0:0:0:0:0:1] | 203.0.113.7 | 2001:db8::1 | false
      no container text                         | 192.0.2.1              | -                      | 203.0.113.7 | 192.0.2.1   | false
      """)
  void theClientsTextIsCanonicalOnEveryPath(String name, String peer, String peerText,
      String xff, String client, boolean sameText) {
    Forwarding f = Forwarding.read(ClientResolver.of(TrustPolicy.parse("trust-proxy",
        "10.0.0.0/8")), Forwarding.Headers.X_FORWARDED, PeerAddressCache.parse(peer), "http",
        h -> h.equals("X-Forwarded-For") ? xff : null);
    String text = f.clientText(peerText);
    assertThat(text).isEqualTo(client);
    assertThat(text == peerText).isEqualTo(sameText);
  }

  /**
   * A later dispatch of the same request (README D24) gets its answer from the first walk's
   * Resolution: {@link Forwarding#of} reads the scheme, host and port again, for the family the
   * walk read and only for it, from a trusted peer only.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      X-Forwarded-* from a trusted peer    | x-forwarded-for | 10.0.0.1  | 203.0.113.7, 10.0.0.2                      | 203.0.113.7 | https | shop.example | 8443
      X-Forwarded-* from an untrusted peer | x-forwarded-for | 192.0.2.1 | 203.0.113.7                                | -           | -     | -            | -1
      Forwarded: proto and host of its own | forwarded       | 10.0.0.1  | for=203.0.113.7;proto=https;host=a.example | 203.0.113.7 | https | a.example    | 443
      Forwarded ignores X-Forwarded-*      | forwarded       | 10.0.0.1  | for=203.0.113.7                            | 203.0.113.7 | -     | -            | -1
      Forwarded from an untrusted peer     | forwarded       | 192.0.2.1 | for=203.0.113.7;proto=https                | -           | -     | -            | -1
      """)
  void aLaterDispatchIsAnsweredFromTheFirstWalk(String name, String family, String peer,
      String header, String remoteAddr, String scheme, String serverName, int serverPort) {
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse("trust-proxy", "10.0.0.0/8"));
    Forwarding.Headers headers = Forwarding.Headers.parse("forwardedHeader", family);
    Resolution walked = headers == Forwarding.Headers.FORWARDED
        ? resolver.resolveForwarded(IpAddress.parse(peer), header)
        : resolver.resolve(IpAddress.parse(peer), header);
    Map<String, String> fields = Map.of("X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "shop.example:8443");
    Forwarding f = Forwarding.of(walked, headers, "http", fields,
        new Forwarding.FieldLines<Map<String, String>>() {
          @Override
          public String joined(Map<String, String> request, String fieldName) {
            return request.get(fieldName);
          }

          @Override
          public String first(Map<String, String> request, String fieldName) {
            return request.get(fieldName);
          }
        });
    assertThat(f.resolution()).isSameAs(walked);
    assertThat(f.remoteAddr()).isEqualTo(remoteAddr);
    assertThat(f.scheme()).isEqualTo(scheme);
    assertThat(f.serverName()).isEqualTo(serverName);
    assertThat(f.serverPort()).isEqualTo(serverPort);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      x-forwarded-for in any case, trimmed | ' X-Forwarded-For ' | x-forwarded-for | false
      forwarded                            | forwarded           | forwarded       | false
      a single-address header, lower case  | ' X-Real-IP '       | x-real-ip       | true
      any token names a single header      | My_Client.IP~1      | my_client.ip~1  | true
      """)
  void headerSettingsParse(String name, String text, String settingText, boolean single) {
    Forwarding.Headers headers = Forwarding.Headers.parse("forwardedHeader", text);
    assertThat(headers.settingText()).isEqualTo(settingText);
    assertThat(headers.isSingle()).isEqualTo(single);
    assertThat(Forwarding.Headers.parse("x", headers.settingText())).isEqualTo(headers);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      the families are the constants | x-forwarded-for | FORWARDED
      """)
  void familiesParseToTheirConstants(String name, String xff, String forwarded) {
    assertThat(Forwarding.Headers.parse("f", xff)).isSameAs(Forwarding.Headers.X_FORWARDED);
    assertThat(Forwarding.Headers.parse("f", forwarded)).isSameAs(Forwarding.Headers.FORWARDED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      both at once is refused, quoted | 'x-forwarded-for, forwarded' | 'x-forwarded-for, forwarded'
      a space inside a name           | 'x real ip'                  | 'x real ip'
      a colon is not a token char     | 'x-real-ip:'                 | 'x-real-ip:'
      empty                           | '  '                         | ''
      """)
  void badHeaderNamesAreRefused(String name, String text, String quoted) {
    assertThatThrownBy(() -> Forwarding.Headers.parse("forwardedHeader", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardedHeader: '" + quoted + "' is not a header name: expected"
            + " x-forwarded-for, forwarded, or the name of one header holding one address (an"
            + " RFC 9110 token, such as x-real-ip)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      x-forwarded-for is a family | X-Forwarded-For
      forwarded is a family       | forwarded
      """)
  void singleRefusesTheFamilies(String name, String text) {
    assertThatThrownBy(() -> Forwarding.Headers.single(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("headerName: '" + text + "' is a header family");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      X-Forwarded-For         | x-forwarded-for | the left-most X-Forwarded-For entry
      Forwarded               | forwarded       | the left-most Forwarded for= entry
      a single-address header | X-Real-IP       | the x-real-ip header
      """)
  void theTrustEverythingWarningNamesTheHeaderAnyClientCanWrite(String name, String setting,
      String what) {
    List<String> warnings = new ArrayList<>();
    Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
        new Class<?>[] {Logger.class}, (proxy, method, args) -> {
          if (method.getName().equals("warn")) {
            warnings.add(MessageFormatter.arrayFormat((String) args[0],
                Arrays.copyOfRange(args, 1, args.length)).getMessage());
          }
          return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
    Forwarding.warnIfTrustingEverything(log, "trust-proxy", ClientResolver.of(TrustPolicy.all()),
        Forwarding.Headers.parse("forwardedHeader", setting));
    Forwarding.warnIfTrustingEverything(log, "trust-proxy", ClientResolver.of(TrustPolicy.hops(1)),
        Forwarding.Headers.parse("forwardedHeader", setting));
    assertThat(warnings).containsExactly("trust-proxy is true: the client address is " + what
        + ", which any client can write. This is safe only if every path into this server goes"
        + " through your proxies.");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      X-Forwarded-Proto is read beside, never the client | X-Forwarded-Proto
      X-Forwarded-Host                                   | x-forwarded-host
      X-Forwarded-Port                                   | X-FORWARDED-PORT
      """)
  void theHeadersReadBesideAreNotClientHeaders(String name, String text) {
    assertThatThrownBy(() -> Forwarding.Headers.parse("forwardedHeader", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardedHeader: '" + text + "' holds the scheme, host or port, not the"
            + " client: expected x-forwarded-for, forwarded, or the name of one header holding"
            + " one address, such as x-real-ip");
  }

  /**
   * README D121: C2 does not inline a call whose signature names a class that is not loaded yet,
   * and with no host sent, when {@code HeaderValues.HostPort} is loaded is up to the JVM. A
   * method that makes the answer with it in its signature stayed a call in a JVM that compiled
   * the filter first, and the answer was allocated on every request instead of scalar-replaced.
   */
  @Test
  void noMethodThatMakesTheAnswerNamesHostPort() {
    List<String> naming = Arrays.stream(Forwarding.class.getDeclaredMethods())
        .filter(m -> m.getReturnType() == Forwarding.class)
        .filter(m -> Arrays.asList(m.getParameterTypes()).contains(HeaderValues.HostPort.class))
        .map(Method::toString)
        .toList();
    assertThat(naming).isEmpty();
  }
}
