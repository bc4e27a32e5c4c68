package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * README D9 on every path: the container's peer text (Jetty prints {@code [2001:db8:0:0:0:0:0:7]},
 * Tomcat {@code 2001:db8:0:0:0:0:0:7}) comes out canonical even when the client is the peer, in
 * {@code getRemoteAddr()} and {@code getRemoteHost()}, and equal to what X-Forwarded-For gives.
 */
class CanonicalTextTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "[2001:db8:0:0:0:0:0:7], 2001:db8::7",
      "2001:db8:0:0:0:0:0:7, 2001:db8::7",
      "0:0:0:0:0:0:0:1, ::1",
      "[0:0:0:0:0:0:0:1], ::1",
      "2001:DB8::A, 2001:db8::a",
      "::ffff:192.0.2.1, 192.0.2.1",
      "[::ffff:c000:201], 192.0.2.1",
      "fe80:0:0:0:0:0:0:1%eth0, fe80::1",
      "[fe80:0:0:0:0:0:0:1%2], fe80::1"})
  void thePeerPrintsCanonically(String containerText, String canonical) throws Exception {
    HttpServletRequest seen = FilterRuns.through(TrustProxyFilter.trusting("false"),
        TestRequest.create(containerText, false, List.of()));
    assertThat(seen.getRemoteAddr()).isEqualTo(canonical);
    assertThat(seen.getRemoteHost()).isEqualTo(canonical);
    assertThat(seen.getRemotePort()).isEqualTo(40000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2001:db8:0:0:0:0:0:7", "[2001:db8:0:0:0:0:0:7]", "2001:DB8::7"})
  void thePeerAndTheHeaderPrintTheSameAddressTheSameWay(String text) throws Exception {
    String bare = text.startsWith("[") ? text.substring(1, text.length() - 1) : text;
    HttpServletRequest asPeer = FilterRuns.through(TrustProxyFilter.trusting("false"),
        TestRequest.create(text, false, List.of()));
    HttpServletRequest asHeader = FilterRuns.through(TrustProxyFilter.trusting("loopback"),
        TestRequest.create("127.0.0.1", false,
            List.<String[]>of(new String[] {"X-Forwarded-For", bare})));
    assertThat(asPeer.getRemoteAddr()).isEqualTo(asHeader.getRemoteAddr())
        .isEqualTo("2001:db8::7");
  }
}
