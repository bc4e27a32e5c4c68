package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The Micrometer meters count real requests, in the registry Boot made (a simple one here). */
class MetricsTest {

  @Test
  void requestOutcomesAreCounted() throws Exception {
    try (ConfigurableApplicationContext app = Apps.start("--trustproxy.trust-proxy=loopback")) {
      int port = Apps.port(app);
      Apps.get(port, "/who", "X-Forwarded-For: 203.0.113.9").echo();
      Apps.get(port, "/who", "X-Forwarded-For: 198.51.100.1, 203.0.113.9").echo();
      Apps.get(port, "/who").echo();
      Apps.get(port, "/who", "X-Forwarded-For: 203.0.113.9, not-an-address").echo();

      MeterRegistry registry = app.getBean(MeterRegistry.class);
      assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
      assertThat(requests(registry, "from_header")).isEqualTo(2);
      assertThat(requests(registry, "peer")).isEqualTo(2);
      assertThat(requests(registry, "header_ignored")).isZero();
      assertThat(registry.get("trustproxy.requests.invalid").functionCounter().count())
          .isEqualTo(1);
      assertThat(registry.find("trustproxy.proxy.connections").meters())
          .as("no PROXY meters without PROXY protocol").isEmpty();
    }
  }

  static double requests(MeterRegistry registry, String outcome) {
    return registry.get("trustproxy.requests").tag("outcome", outcome).functionCounter().count();
  }
}
