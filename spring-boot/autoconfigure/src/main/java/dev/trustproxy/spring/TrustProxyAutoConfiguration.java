package dev.trustproxy.spring;

import dev.trustproxy.ClientResolver;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The starter's core beans for a servlet application: the {@link ClientResolver} from {@code
 * trustproxy.*} (backing off for one of the application's own), the {@link TrustProxyCounters},
 * and a {@code Resolution} controller parameter. The container wiring (valve, Jetty customizer or
 * filter) is in the other auto-configurations and uses this resolver. Refuses to start next to
 * {@code server.forward-headers-strategy=native|framework}. {@code trustproxy.enabled=false}:
 * nothing at all.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = TrustProxyProperties.PREFIX, name = "enabled",
    havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TrustProxyProperties.class)
public class TrustProxyAutoConfiguration {

  TrustProxyAutoConfiguration(Environment environment) {
    ForwardHeadersCheck.check(environment);
  }

  /** The resolver from {@code trustproxy.trust-proxy} and {@code trustproxy.trusted-peers}. */
  @Bean
  @ConditionalOnMissingBean
  ClientResolver trustProxyClientResolver(TrustProxyProperties properties) {
    return properties.clientResolver();
  }

  @Bean
  @ConditionalOnMissingBean
  TrustProxyCounters trustProxyCounters() {
    return new TrustProxyCounters();
  }

  /** {@code Resolution} as a controller parameter, when Spring MVC is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebMvcConfigurer.class)
  static class ResolutionArgument implements WebMvcConfigurer {
    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
      resolvers.add(new ResolutionArgumentResolver());
    }
  }
}
