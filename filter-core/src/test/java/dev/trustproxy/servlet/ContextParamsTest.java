package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The context-params {@code trustproxy.*} that configure the web-fragment's filter: read after the
 * init-params, and a misspelt one fails start-up naming itself.
 */
class ContextParamsTest {

  private static final List<String[]> FORWARDED = List.<String[]>of(
      new String[] {"X-Forwarded-For", "203.0.113.7"});

  private static String client(Map<String, String> initParams, Map<String, String> contextParams)
      throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(TestRequest.config(initParams, contextParams));
    return FilterRuns.through(filter, TestRequest.create("127.0.0.1", false, FORWARDED))
        .getRemoteAddr();
  }

  @Test
  void aContextParamConfiguresTheFilter() throws Exception {
    assertThat(client(Map.of("jmx", "false"), Map.of("trustproxy.trust-proxy", "loopback")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void withNothingConfiguredTheFilterTrustsNothing() throws Exception {
    assertThat(client(Map.of("jmx", "false"), Map.of())).isEqualTo("127.0.0.1");
  }

  @Test
  void anInitParamWinsOverTheContextParam() throws Exception {
    assertThat(client(Map.of("jmx", "false", "trust-proxy", "false"),
        Map.of("trustproxy.trust-proxy", "loopback"))).isEqualTo("127.0.0.1");
  }

  @Test
  void aBadContextParamValueIsNamedInTheError() {
    assertThatThrownBy(() -> client(Map.of("jmx", "false"),
        Map.of("trustproxy.trust-proxy", "localhost")))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("context-param trustproxy.trust-proxy")
        .hasMessageContaining("localhost");
  }

  @Test
  void anUnknownContextParamFailsStartUp() {
    assertThatThrownBy(() -> client(Map.of("jmx", "false"),
        Map.of("trustproxy.trust-proxies", "loopback")))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("unknown context-param 'trustproxy.trust-proxies'")
        .hasMessageContaining("trustproxy.trust-proxy");
  }
}
