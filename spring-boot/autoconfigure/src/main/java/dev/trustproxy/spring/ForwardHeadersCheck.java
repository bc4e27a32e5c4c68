package dev.trustproxy.spring;

import java.util.Locale;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.Environment;

/**
 * Refuses to start next to Boot's own forwarded-header handling: {@code native} (Tomcat's
 * RemoteIpValve, Jetty's ForwardedRequestCustomizer) and {@code framework} (Spring's
 * ForwardedHeaderFilter) decide the client by their own rules, before or after this library, and
 * the application would see whichever ran last. Boot also turns {@code native} on by itself on a
 * detected cloud platform when the property is unset, so that case fails too (README D103).
 */
final class ForwardHeadersCheck {

  static final String PROPERTY = "server.forward-headers-strategy";

  private ForwardHeadersCheck() {}

  /**
   * @throws IllegalStateException saying which setting conflicts and what to set
   */
  static void check(Environment environment) {
    String strategy = environment.getProperty(PROPERTY);
    if (strategy == null) {
      CloudPlatform platform = CloudPlatform.getActive(environment);
      if (platform != null && platform.isUsingForwardHeaders()) {
        throw new IllegalStateException("trustproxy: " + PROPERTY + " is not set and Spring Boot"
            + " detected the cloud platform " + platform + ", so Boot turns on its 'native'"
            + " forwarded-header handling, which would decide the client by other rules than"
            + " trustproxy.trust-proxy: set " + PROPERTY + "=none (or trustproxy.enabled=false to"
            + " keep Boot's handling)");
      }
      return;
    }
    String value = strategy.trim().toLowerCase(Locale.ROOT);
    if (value.equals("none")) {
      return;
    }
    throw new IllegalStateException("trustproxy: " + PROPERTY + "='" + strategy + "' turns on "
        + (value.equals("framework")
            ? "Spring's ForwardedHeaderFilter, which believes any peer's left-most entry"
            : "the container's own forwarded-header handling (Tomcat's RemoteIpValve, Jetty's"
                + " ForwardedRequestCustomizer)")
        + "; two mechanisms would disagree about the client. trustproxy replaces it: set "
        + PROPERTY + "=none and configure trustproxy.trust-proxy (or trustproxy.enabled=false to"
        + " keep Boot's handling)");
  }
}
