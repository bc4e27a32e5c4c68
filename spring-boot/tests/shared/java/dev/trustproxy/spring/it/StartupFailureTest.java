package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad value stops the application with the library's message, naming the Boot property and
 * quoting the input; Boot's own forwarded-header handling next to the starter stops it with a
 * message that says what to set.
 */
class StartupFailureTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      an address that is none                 | --trustproxy.trust-proxy=10.0.0.300                                                              | trustproxy.trust-proxy     | 10.0.0.300
      a peer gate that is no range            | --trustproxy.trusted-peers=10.0.0.0/33                                                           | trustproxy.trusted-peers   | 10.0.0.0/33
      a header family that is none            | --trustproxy.forwarded-header=x@bogus                                                            | trustproxy.forwarded-header | x@bogus
      a reload interval of part of a second   | --trustproxy.reload-interval=1500ms                                                              | trustproxy.reload-interval | 'PT1.5S'
      a PROXY reload interval of no time      | --trustproxy.proxy-protocol.enabled=true --trustproxy.proxy-protocol.trusted-sources=127.0.0.1 --trustproxy.proxy-protocol.reload-interval=0s | trustproxy.proxy-protocol.reload-interval | PT0S
      PROXY protocol without trusted sources  | --trustproxy.proxy-protocol.enabled=true                                                         | trustproxy.proxy-protocol.trusted-sources is not set | 10.0.0.0/8
      PROXY trusted sources that are no range | --trustproxy.proxy-protocol.enabled=true --trustproxy.proxy-protocol.trusted-sources=proxy.local | trustproxy.proxy-protocol.trusted-sources | proxy.local
      a v2 size below the prefix              | --trustproxy.proxy-protocol.enabled=true --trustproxy.proxy-protocol.trusted-sources=127.0.0.1 --trustproxy.proxy-protocol.max-v2-header-size=8 | trustproxy.proxy-protocol.max-v2-header-size | 8 is outside 16..65551
      an untrusted-peers action that is none  | --trustproxy.proxy-protocol.enabled=true --trustproxy.proxy-protocol.trusted-sources=127.0.0.1 --trustproxy.proxy-protocol.untrusted-peers=OPEN | trustproxy.proxy-protocol.untrusted-peers | 'OPEN'
      the native strategy                     | --server.forward-headers-strategy=native                                                         | server.forward-headers-strategy='native' | set server.forward-headers-strategy=none
      the framework strategy                  | --server.forward-headers-strategy=framework                                                      | ForwardedHeaderFilter      | set server.forward-headers-strategy=none
      """)
  void aBadSettingStopsTheApplication(String name, String args, String property,
      String detail) {
    Throwable failure = catchThrowable(() -> Apps.start(args.split(" ")).close());
    assertThat(messages(failure)).contains(property).contains(detail);
  }

  @org.junit.jupiter.api.Test
  void aCloudPlatformWithoutTheStrategyStopsTheApplication() {
    // Boot turns "native" on by itself on a detected cloud platform when the strategy is unset.
    Throwable failure = catchThrowable(
        () -> Apps.startAsIs("--spring.main.cloud-platform=kubernetes").close());
    assertThat(messages(failure)).contains("detected the cloud platform KUBERNETES")
        .contains("set server.forward-headers-strategy=none");
  }

  /** Every message in the cause chain, one per line. */
  private static String messages(Throwable failure) {
    assertThat(failure).as("the application must not start").isNotNull();
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return String.join("\n", messages);
  }
}
