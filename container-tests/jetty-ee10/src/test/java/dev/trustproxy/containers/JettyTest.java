package dev.trustproxy.containers;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

/** The contract on embedded Jetty 12, in the environment (ee10, ee11) the module names. */
class JettyTest extends ContainerContract {

  @Override
  protected Container newContainer() {
    return new JettyContainer();
  }

  @Test
  void theServletApiIsTheOneOfThisModulesEnvironment() {
    String expected = JettyContainer.ENVIRONMENT.equals("ee11") ? "6.1" : "6.0";
    Package api = ServletContext.class.getPackage();
    assertThat(api.getSpecificationVersion()).as(api.toString()).startsWith(expected);
  }
}
