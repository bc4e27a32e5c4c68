package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.servlet.TrustProxyFilter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The starter wires the container's own adapter (never the filter on Tomcat or Jetty), uses the
 * application's own {@code ClientResolver} when there is one, and does nothing at all with {@code
 * trustproxy.enabled=false}.
 */
class BackOffTest {

  private static final String FORWARDED = "X-Forwarded-For: 203.0.113.9";

  @Test
  void theContainersOwnAdapterIsWiredAndTheFilterOnlyElsewhere() throws Exception {
    String adapter = switch (Apps.CONTAINER) {
      case "tomcat" -> "dev.trustproxy.tomcat.TrustProxyValve";
      case "jetty" -> "dev.trustproxy.jetty.TrustProxyCustomizer";
      default -> null; // Undertow: the filter
    };
    try (ConfigurableApplicationContext app = Apps.start("--trustproxy.trust-proxy=loopback")) {
      // By name: the other container's adapter class is not on this classpath.
      List<String> beanTypes = Arrays.stream(app.getBeanDefinitionNames())
          .map(app::getType).filter(Objects::nonNull).map(Class::getName).toList();
      for (String type : new String[] {"dev.trustproxy.tomcat.TrustProxyValve",
          "dev.trustproxy.jetty.TrustProxyCustomizer"}) {
        assertThat(beanTypes).as(type).filteredOn(type::equals)
            .hasSize(type.equals(adapter) ? 1 : 0);
      }
      assertThat(app.getBeansOfType(FilterRegistrationBean.class).values()
          .stream().filter(r -> r.getFilter() instanceof TrustProxyFilter).count())
          .isEqualTo(adapter == null ? 1 : 0);
      assertThat(Apps.get(Apps.port(app), "/who", FORWARDED).echo())
          .containsEntry("remote", "203.0.113.9");
    }
  }

  /**
   * The application's own resolver: trusts loopback although the property says false. Not a
   * {@code @Configuration}, so the other tests' component scan does not find it.
   */
  static class OwnResolver {
    @Bean
    ClientResolver myResolver() {
      return ClientResolver.of(TrustPolicy.parse("mine", "loopback"));
    }
  }

  @Test
  void theApplicationsOwnClientResolverIsTheOneUsed() throws Exception {
    try (ConfigurableApplicationContext app = Apps.start(new Class<?>[] {OwnResolver.class},
        "--trustproxy.trust-proxy=false")) {
      assertThat(app.getBeansOfType(ClientResolver.class)).containsOnlyKeys("myResolver");
      assertThat(Apps.get(Apps.port(app), "/who", FORWARDED).echo())
          .containsEntry("remote", "203.0.113.9").containsEntry("fromHeader", "true");
    }
  }

  @Test
  void disabledTheStarterDoesNothing() throws Exception {
    try (ConfigurableApplicationContext app = Apps.start("--trustproxy.enabled=false",
        "--trustproxy.trust-proxy=loopback")) {
      assertThat(app.getBeansOfType(ClientResolver.class)).isEmpty();
      Map<String, String> seen = Apps.get(Apps.port(app), "/who", FORWARDED).echo();
      assertThat(seen).containsEntry("remote", "127.0.0.1").containsEntry("resolvedClient", "none");
    }
  }

  /**
   * The starter refuses to start exactly where Boot turns on its own handling: with the starter
   * off, Boot's "native" decides alone (on Tomcat RemoteIpValve trusts 127/8; Jetty's customizer
   * trusts everyone), and with it on, the same settings stop the start. Boot 3.5 counts {@code
   * spring.main.cloud-platform=none} as a platform using forward headers, Boot 4.0 does not; the
   * starter asks Boot, so it follows each line (README D103).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--server.forward-headers-strategy=native",
      "--spring.main.cloud-platform=kubernetes", "--spring.main.cloud-platform=none"})
  void theStarterRefusesExactlyWhereBootTurnsOnItsOwnHandling(String setting) throws Exception {
    boolean bootHandles;
    try (ConfigurableApplicationContext app =
        Apps.startAsIs("--trustproxy.enabled=false", setting)) {
      Map<String, String> seen = Apps.get(Apps.port(app), "/who", FORWARDED).echo();
      assertThat(seen).containsEntry("resolvedClient", "none");
      bootHandles = seen.get("remote").equals("203.0.113.9");
    }
    Throwable failure = null;
    try {
      Apps.startAsIs("--trustproxy.trust-proxy=loopback", setting).close();
    } catch (RuntimeException e) {
      failure = e;
    }
    assertThat(failure != null).as("the starter refused: %s", failure).isEqualTo(bootHandles);
    if (setting.startsWith("--server.")) {
      assertThat(bootHandles).as("native is Boot's own handling").isTrue();
    }
  }

}
