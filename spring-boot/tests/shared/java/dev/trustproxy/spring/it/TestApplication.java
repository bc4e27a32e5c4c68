package dev.trustproxy.spring.it;

import dev.trustproxy.Resolution;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Boot application with the starter on its classpath and nothing else about proxies: a
 * controller that prints what the application sees, and Spring Security with an address rule.
 */
@SpringBootApplication
public class TestApplication {

  /** For the end-to-end benchmark (scripts/bench/e2e-boot.sh), on the test classpath. */
  public static void main(String[] args) {
    org.springframework.boot.SpringApplication.run(TestApplication.class, args);
  }

  /** The client range the {@code /admin} rule admits. */
  static final String ADMIN_RANGE = "203.0.113.0/24";

  /**
   * {@code /admin} only for {@link #ADMIN_RANGE}: the matcher Spring Security's {@code
   * hasIpAddress(...)} expression evaluates, over {@code getRemoteAddr()}.
   */
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    IpAddressMatcher admins = new IpAddressMatcher(ADMIN_RANGE);
    http.csrf(csrf -> csrf.disable())
        .authorizeHttpRequests(authorize -> authorize
            .requestMatchers("/admin").access((authentication, context) ->
                new AuthorizationDecision(admins.matches(context.getRequest())))
            .anyRequest().permitAll());
    return http.build();
  }

  /** What the application sees, one {@code key=value} per line. */
  @RestController
  static class WhoController {
    @GetMapping(value = "/who", produces = "text/plain")
    String who(HttpServletRequest request) {
      Resolution resolution = (Resolution) request.getAttribute(Resolution.ATTRIBUTE);
      request.getSession(true); // Set-Cookie: JSESSIONID, Secure when the request is secure
      Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
      String details = authentication != null
          && authentication.getDetails() instanceof WebAuthenticationDetails web
          ? web.getRemoteAddress() : "none";
      return "remote=" + request.getRemoteAddr() + "\n"
          + "scheme=" + request.getScheme() + "\n"
          + "secure=" + request.isSecure() + "\n"
          + "url=" + request.getRequestURL() + "\n"
          + "security=" + details + "\n"
          + "resolvedClient=" + (resolution == null ? "none" : resolution.client()) + "\n"
          + "fromHeader=" + (resolution != null && resolution.fromHeader()) + "\n"
          + "proxyHeader=" + (request.getAttribute(ProxyHeader.ATTRIBUTE) != null) + "\n"
          + "mdc=" + MDC.get("client.address") + "\n";
    }

    /** The starter's controller parameter. */
    @GetMapping(value = "/resolution", produces = "text/plain")
    String resolution(Resolution resolution) {
      return "client=" + resolution.client() + "\npeer=" + resolution.peer() + "\n";
    }

    /** The benchmark's request: as cheap as a controller gets. */
    @GetMapping(value = "/hello", produces = "text/plain")
    String hello(HttpServletRequest request) {
      return "hello " + request.getRemoteAddr();
    }

    @GetMapping(value = "/admin", produces = "text/plain")
    String admin() {
      return "admin\n";
    }
  }
}
