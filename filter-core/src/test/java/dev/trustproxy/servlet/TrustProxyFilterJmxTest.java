package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.TrustPolicy;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The filter's counters over the platform MBeanServer, registered on init, gone on destroy. */
class TrustProxyFilterJmxTest {

  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  @Test
  void countersAreReadableOverJmxUntilDestroy() throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(config("jmx-counters", Map.of("trust-proxy", "loopback")));
    ObjectName name = new ObjectName("dev.trustproxy:type=TrustProxyFilter,name=jmx-counters");
    try {
      assertThat(SERVER.isRegistered(name)).isTrue();
      send(filter, "127.0.0.1", "203.0.113.7");          // from the header
      send(filter, "127.0.0.1", "203.0.113.8");          // from the header
      send(filter, "192.0.2.9", "203.0.113.7");          // untrusted peer: header ignored
      send(filter, "127.0.0.1", "203.0.113.7, unknown"); // stopped on an invalid entry
      send(filter, "127.0.0.1", null);                   // no header at all

      assertThat(SERVER.getAttribute(name, "Requests")).isEqualTo(5L);
      assertThat(SERVER.getAttribute(name, "ResolvedFromHeader")).isEqualTo(2L);
      assertThat(SERVER.getAttribute(name, "HeaderIgnored")).isEqualTo(1L);
      assertThat(SERVER.getAttribute(name, "StoppedOnInvalid")).isEqualTo(1L);
      assertThat(SERVER.getAttribute(name, "TrustsEverything")).isEqualTo(false);
      assertThat(SERVER.getAttribute(name, "TrustProxy")).isEqualTo(
          TrustPolicy.parse("x", "loopback").toString());
      assertThat(SERVER.getAttribute(name, "TrustedPeers")).isNull();
      assertThat(SERVER.getAttribute(name, "ForwardedHeader")).isEqualTo("x-forwarded-for");
      assertThat(filter.statistics().getRequests()).isEqualTo(5L);

      SERVER.invoke(name, "resetCounters", null, null);
      assertThat(SERVER.getAttribute(name, "Requests")).isEqualTo(0L);
    } finally {
      filter.destroy();
    }
    assertThat(SERVER.isRegistered(name)).isFalse();
  }

  @Test
  void trustingEverythingIsVisible() throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(config("jmx-true", Map.of("trust-proxy", "true", "forwarded-header",
        "forwarded", "trusted-peers", "10.0.0.0/8")));
    ObjectName name = new ObjectName("dev.trustproxy:type=TrustProxyFilter,name=jmx-true");
    try {
      assertThat(SERVER.getAttribute(name, "TrustsEverything")).isEqualTo(true);
      assertThat(SERVER.getAttribute(name, "ForwardedHeader")).isEqualTo("forwarded");
      assertThat((String) SERVER.getAttribute(name, "TrustedPeers")).contains("10.0.0.0/8");
    } finally {
      filter.destroy();
    }
  }

  @Test
  void jmxFalseRegistersNothingButStillCounts() throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(config("jmx-off", Map.of("trust-proxy", "loopback", "jmx", "false")));
    try {
      assertThat(SERVER.queryNames(new ObjectName("dev.trustproxy:name=jmx-off,*"), null))
          .isEmpty();
      send(filter, "127.0.0.1", "203.0.113.7");
      assertThat(filter.statistics().getResolvedFromHeader()).isEqualTo(1L);
    } finally {
      filter.destroy();
    }
  }

  @Test
  void aFilterConfiguredInCodeAcceptsOnlyJmx() throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter(
        ClientResolver.of(TrustPolicy.parse("trust-proxy", "1")));
    filter.init(config("jmx-code", Map.of("jmx", "false")));
    assertThat(SERVER.queryNames(new ObjectName("dev.trustproxy:name=jmx-code,*"), null))
        .isEmpty();
    filter.destroy();

    TrustProxyFilter registered = new TrustProxyFilter(
        ClientResolver.of(TrustPolicy.parse("trust-proxy", "1")));
    registered.init(config("jmx-code-on", Map.of()));
    ObjectName name = new ObjectName("dev.trustproxy:type=TrustProxyFilter,name=jmx-code-on");
    assertThat(SERVER.isRegistered(name)).isTrue();
    registered.destroy();
    assertThat(SERVER.isRegistered(name)).isFalse();
  }

  @Test
  void aNameWithJmxSpecialCharactersIsQuoted() throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(config("app=1,x", Map.of()));
    try {
      ObjectName name = new ObjectName(
          "dev.trustproxy:type=TrustProxyFilter,name=" + ObjectName.quote("app=1,x"));
      assertThat(SERVER.isRegistered(name)).isTrue();
    } finally {
      filter.destroy();
    }
  }

  @Test
  void aTakenNameDoesNotFailTheSecondFilter() throws Exception {
    TrustProxyFilter first = new TrustProxyFilter();
    TrustProxyFilter second = new TrustProxyFilter();
    first.init(config("jmx-twice", Map.of()));
    try {
      second.init(config("jmx-twice", Map.of()));
      second.destroy(); // must not unregister the first filter's bean
      assertThat(SERVER.isRegistered(
          new ObjectName("dev.trustproxy:type=TrustProxyFilter,name=jmx-twice"))).isTrue();
    } finally {
      first.destroy();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a non-boolean jmx value is refused, quoted | yes
      an empty jmx value is refused              | ''
      """)
  void badJmxValuesFailStartUp(String name, String value) {
    assertThatThrownBy(() -> new TrustProxyFilter().init(config("jmx-bad", Map.of("jmx", value))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("init-param jmx: '" + value + "' is not a boolean");
  }

  private static void send(TrustProxyFilter filter, String peer, String xff) throws Exception {
    List<String[]> headers = xff == null ? List.of() : List.<String[]>of(
        new String[] {"X-Forwarded-For", xff});
    FilterRuns.through(filter, TestRequest.create(peer, false, headers));
  }

  private static FilterConfig config(String filterName, Map<String, String> params) {
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return filterName;
      }

      @Override
      public ServletContext getServletContext() {
        return TestRequest.config(params).getServletContext();
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }
}
