package dev.trustproxy.recipes.boot;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot recipe: the filter registered first in the chain with a {@link
 * FilterRegistrationBean}, configured from {@code application.properties}, and Boot's own
 * forwarded-header handling switched off ({@code server.forward-headers-strategy=none}).
 */
@SpringBootApplication
public class TrustProxyApplication {

  public static void main(String[] args) {
    SpringApplication.run(TrustProxyApplication.class, args);
  }

  /** The filter, before every other filter (Spring Security included). */
  @Bean
  FilterRegistrationBean<TrustProxyFilter> trustProxyFilter(
      @Value("${trustproxy.trust-proxy:false}") String trustProxy,
      @Value("${trustproxy.trusted-peers:}") String trustedPeers) {
    ClientResolver resolver =
        ClientResolver.of(TrustPolicy.parse("trustproxy.trust-proxy", trustProxy));
    if (!trustedPeers.isBlank()) {
      resolver = resolver.withTrustedPeers(
          IpRangeSet.parse("trustproxy.trusted-peers", trustedPeers));
    }
    FilterRegistrationBean<TrustProxyFilter> registration =
        new FilterRegistrationBean<>(new TrustProxyFilter(resolver));
    registration.setName("trustproxy"); // JMX: dev.trustproxy:type=TrustProxyFilter,name=trustproxy
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    // Every dispatch: forwards, includes, async dispatches and Boot's /error page see the client.
    registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    return registration;
  }

  /** What the application sees. */
  @RestController
  static class WhoController {
    @GetMapping(value = "/who", produces = "text/plain")
    String who(HttpServletRequest request) {
      return "remote=" + request.getRemoteAddr() + "\n"
          + "scheme=" + request.getScheme() + "\n"
          + "secure=" + request.isSecure() + "\n"
          + "url=" + request.getRequestURL() + "\n"
          + "resolution=" + request.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE) + "\n";
    }
  }
}
