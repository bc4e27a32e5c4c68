package dev.trustproxy.spring;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The starter starts only where Boot's own forwarded-header handling is off, as Boot decides it:
 * the property, or when it is unset, the cloud platform (Boot 3.5 counts {@code
 * spring.main.cloud-platform=none} as a platform that uses forward headers, too: this module
 * compiles and tests against Boot 3.5; Boot 4.0 does not, and BackOffTest checks both lines).
 */
class ForwardHeadersCheckTest {

  @ParameterizedTest(name = "strategy={0}, cloud platform={1}: {2}")
  @CsvSource(nullValues = "-", textBlock = """
      -,         -,          starts
      none,      -,          starts
      NONE,      kubernetes, starts
      native,    -,          fails
      Native,    -,          fails
      framework, -,          fails
      -,         kubernetes, fails
      -,         none,       fails
      """)
  void startsOnlyWithoutBootsOwnHandling(String strategy, String platform, String outcome) {
    Map<String, Object> properties = new HashMap<>();
    if (strategy != null) {
      properties.put("server.forward-headers-strategy", strategy);
    }
    if (platform != null) {
      properties.put("spring.main.cloud-platform", platform);
    }
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    if (outcome.equals("starts")) {
      assertThatCode(() -> ForwardHeadersCheck.check(environment)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> ForwardHeadersCheck.check(environment))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("server.forward-headers-strategy")
          .hasMessageContaining("set server.forward-headers-strategy=none");
    }
  }
}
