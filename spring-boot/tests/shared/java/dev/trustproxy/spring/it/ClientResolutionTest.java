package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.RawClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One property, and the whole container sees the client: the application's {@code
 * getRemoteAddr()}, scheme and URL, the session cookie's {@code Secure}, the access log, Spring
 * Security's {@code WebAuthenticationDetails}, an address rule and the MDC key. From an untrusted peer the same
 * forged headers change none of them. Requests come from 127.0.0.1.
 */
class ClientResolutionTest {

  private static final String[] FORGED_OR_FORWARDED = {
      "X-Forwarded-For: 203.0.113.9", "X-Forwarded-Proto: https"};

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted loopback proxy: everything sees the client        | loopback   | 203.0.113.9 | https | true  | https://shop.example/who | 200
      untrusted peer: the forged headers change nothing          | 10.0.0.0/8 | 127.0.0.1   | http  | false | http://shop.example/who  | 403
      """)
  void theContainerSeesTheClientOnlyFromATrustedProxy(String name, String trustProxy,
      String client, String scheme, boolean secure, String url, int adminStatus,
      @TempDir Path logs) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of(Apps.accessLog(logs)));
    args.add("--trustproxy.trust-proxy=" + trustProxy);
    args.add("--trustproxy.mdc-key=client.address");
    try (ConfigurableApplicationContext app = Apps.start(args.toArray(String[]::new))) {
      int port = Apps.port(app);
      RawClient.Outcome who = Apps.get(port, "/who", FORGED_OR_FORWARDED);
      Map<String, String> seen = who.echo();
      assertThat(seen)
          .containsEntry("remote", client)
          .containsEntry("scheme", scheme)
          .containsEntry("secure", Boolean.toString(secure))
          .containsEntry("url", url)
          .containsEntry("security", client)
          .containsEntry("resolvedClient", client)
          .containsEntry("fromHeader", Boolean.toString(secure))
          .containsEntry("mdc", client);
      String cookie = who.response().lines()
          .filter(l -> l.regionMatches(true, 0, "Set-Cookie: JSESSIONID=", 0, 23))
          .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + who));
      assertThat(cookie.toLowerCase(java.util.Locale.ROOT).contains("; secure"))
          .as(cookie).isEqualTo(secure);

      assertThat(Apps.get(port, "/resolution", FORGED_OR_FORWARDED).echo())
          .containsEntry("client", client).containsEntry("peer", "127.0.0.1");

      assertThat(Apps.get(port, "/admin", FORGED_OR_FORWARDED).response())
          .startsWith("HTTP/1.1 " + adminStatus);

      assertThat(Apps.accessLogLines(logs, "GET /who"))
          .filteredOn(l -> l.contains("GET /who"))
          .singleElement().asString().startsWith(client + " GET /who HTTP/1.1 200");
    }
  }
}
