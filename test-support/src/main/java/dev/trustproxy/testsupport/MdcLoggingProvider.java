package dev.trustproxy.testsupport;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC, for tests that check what an adapter puts into the MDC:
 * slf4j-simple's own MDC drops every value. A module selects it with the system property {@code
 * slf4j.provider=dev.trustproxy.testsupport.MdcLoggingProvider} in its surefire configuration.
 */
public final class MdcLoggingProvider extends SimpleServiceProvider {

  private final MDCAdapter mdc = new BasicMDCAdapter();

  /** Logs as slf4j-simple does. */
  public MdcLoggingProvider() {}

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
