package dev.trustproxy.spring.boot3;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.jetty.TrustProxyCustomizer;
import dev.trustproxy.spring.TrustProxyAutoConfiguration;
import dev.trustproxy.spring.TrustProxyCounters;
import dev.trustproxy.spring.TrustProxyProperties;
import dev.trustproxy.spring.container.JettyWiring;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 3.5's embedded Jetty: the {@link TrustProxyCustomizer} first on every HTTP
 * configuration and, with {@code trustproxy.proxy-protocol.enabled}, the PROXY connection
 * factory in front of each connector. Active only when Boot built a {@code
 * JettyServletWebServerFactory} of this Boot line.
 */
@AutoConfiguration(after = TrustProxyAutoConfiguration.class,
    afterName = "org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory",
    "dev.trustproxy.jetty.TrustProxyCustomizer"})
@ConditionalOnBean(value = TrustProxyCounters.class,
    type = "org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory")
public class Boot3JettyAutoConfiguration {

  @Bean
  TrustProxyCustomizer trustProxyJettyCustomizer(ClientResolver resolver,
      TrustProxyProperties properties, TrustProxyCounters counters) {
    return JettyWiring.customizer(resolver, properties, counters);
  }

  @Bean
  WebServerFactoryCustomizer<JettyServletWebServerFactory> trustProxyJettyServerCustomizer(
      TrustProxyCustomizer customizer, TrustProxyProperties properties,
      TrustProxyCounters counters) {
    return factory -> {
      JettyServerCustomizer server =
          JettyWiring.serverCustomizer(customizer, properties, counters)::accept;
      factory.addServerCustomizers(server);
    };
  }
}
