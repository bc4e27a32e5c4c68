package dev.trustproxy.benchmarks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The rest of the chain: reads the client address the filter produced, as the application would.
 * The benchmark returns it, so JMH consumes it and no contender's work can be optimised away.
 */
public final class Sink implements FilterChain {

  private String remoteAddr;

  @Override
  public void doFilter(ServletRequest request, ServletResponse response) {
    remoteAddr = ((HttpServletRequest) request).getRemoteAddr();
  }

  /** The address the last request reached the application with; cleared by reading it. */
  public String take() {
    String r = remoteAddr;
    remoteAddr = null;
    return r;
  }
}
