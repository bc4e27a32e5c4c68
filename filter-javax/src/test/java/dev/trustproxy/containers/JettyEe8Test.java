package dev.trustproxy.containers;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.Test;

/**
 * The container contract (session cookie {@code Secure}, every dispatch type, the web-fragment)
 * on embedded Jetty 12 ee8 through the javax filter; Jetty writes the session cookie from its own
 * request, so this is where the filter's cookie fix is needed (README D46).
 */
class JettyEe8Test extends ContainerContract {

  @Override
  protected Container newContainer() {
    return new JettyEe8Container();
  }

  @Test
  void theContainerIsJetty12() {
    assertThat(Jetty.VERSION).startsWith("12.");
  }
}
