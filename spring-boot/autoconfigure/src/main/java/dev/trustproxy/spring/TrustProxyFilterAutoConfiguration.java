package dev.trustproxy.spring;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * On a servlet container that is neither embedded Tomcat nor embedded Jetty (no valve and no Jetty
 * customizer was wired): the filter, first in the chain and on every dispatcher type, so
 * forwards, includes, async dispatches and the error page see the client. PROXY protocol needs
 * one of the two connectors, so enabling it here fails the start.
 */
@AutoConfiguration(after = TrustProxyAutoConfiguration.class, afterName = {
    "dev.trustproxy.spring.boot3.Boot3TomcatAutoConfiguration",
    "dev.trustproxy.spring.boot3.Boot3JettyAutoConfiguration",
    "dev.trustproxy.spring.boot4.Boot4TomcatAutoConfiguration",
    "dev.trustproxy.spring.boot4.Boot4JettyAutoConfiguration"})
@ConditionalOnBean(TrustProxyCounters.class)
@ConditionalOnMissingBean(type = {
    "dev.trustproxy.tomcat.TrustProxyValve", "dev.trustproxy.jetty.TrustProxyCustomizer"})
public class TrustProxyFilterAutoConfiguration {

  /** The filter's JMX name: {@code dev.trustproxy:type=TrustProxyFilter,name=trustproxy}. */
  static final String FILTER_NAME = "trustproxy";

  @Bean
  FilterRegistrationBean<TrustProxyFilter> trustProxyFilter(ClientResolver resolver,
      TrustProxyProperties properties, TrustProxyCounters counters) {
    if (properties.getProxyProtocol().isEnabled()) {
      properties.getProxyProtocol().settings(); // a bad value is reported as such first
      throw new IllegalStateException("trustproxy.proxy-protocol.enabled=true needs embedded"
          + " Tomcat or Jetty (the PROXY header is read by their connectors); this application"
          + " runs another servlet container: set trustproxy.proxy-protocol.enabled=false");
    }
    String reloadInterval = properties.reloadIntervalSeconds();
    TrustProxyFilter filter = new TrustProxyFilter(resolver, properties.headers());
    counters.useFilterCounters(filter.statistics());
    FilterRegistrationBean<TrustProxyFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName(FILTER_NAME);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    registration.addInitParameter("reload-interval", reloadInterval);
    if (properties.getMdcKey() != null && !properties.getMdcKey().isBlank()) {
      registration.addInitParameter("mdc-key", properties.getMdcKey());
    }
    return registration;
  }
}
