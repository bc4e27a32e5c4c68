package dev.trustproxy.spring.boot3;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.spring.TrustProxyAutoConfiguration;
import dev.trustproxy.spring.TrustProxyCounters;
import dev.trustproxy.spring.TrustProxyProperties;
import dev.trustproxy.spring.container.TomcatWiring;
import dev.trustproxy.tomcat.TrustProxyValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Spring Boot 3.5's embedded Tomcat: the {@link TrustProxyValve} first among the engine
 * valves and, with {@code trustproxy.proxy-protocol.enabled}, the PROXY protocol connector.
 * Active only when Boot built a {@code TomcatServletWebServerFactory} of this Boot line.
 */
@AutoConfiguration(after = TrustProxyAutoConfiguration.class,
    afterName = "org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory",
    "dev.trustproxy.tomcat.TrustProxyValve"})
@ConditionalOnBean(value = TrustProxyCounters.class,
    type = "org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory")
public class Boot3TomcatAutoConfiguration {

  @Bean
  TrustProxyValve trustProxyValve(ClientResolver resolver, TrustProxyProperties properties,
      TrustProxyCounters counters) {
    return TomcatWiring.valve(resolver, properties, counters);
  }

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> trustProxyTomcatCustomizer(
      TrustProxyValve valve, TrustProxyProperties properties, TrustProxyCounters counters) {
    return new Customizer(valve, properties, counters);
  }

  /** Runs after Boot's own customizers, so it sees the access log valve they add. */
  static final class Customizer
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    private final TrustProxyValve valve;
    private final TrustProxyProperties properties;
    private final TrustProxyCounters counters;

    Customizer(TrustProxyValve valve, TrustProxyProperties properties,
        TrustProxyCounters counters) {
      this.valve = valve;
      this.properties = properties;
      this.counters = counters;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      TomcatWiring.customize(valve, properties, counters, factory.getEngineValves(),
          factory::setEngineValves, factory::setProtocol,
          connector -> factory.addConnectorCustomizers(connector::accept));
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
