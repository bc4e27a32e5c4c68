package dev.trustproxy.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a {@link TrustProxyFilter} once, the way a container does, and returns what the chain got. */
final class FilterRuns {

  private FilterRuns() {}

  /** A web.xml-style filter initialised with {@code initParams}. */
  static TrustProxyFilter initialised(Map<String, String> initParams) throws ServletException {
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(TestRequest.config(initParams));
    return filter;
  }

  /** The request the next element of the chain receives. */
  static HttpServletRequest through(TrustProxyFilter filter, HttpServletRequest request)
      throws IOException, ServletException {
    AtomicReference<ServletRequest> seen = new AtomicReference<>();
    filter.doFilter(request, null, (req, res) -> seen.set(req));
    if (seen.get() == null) {
      throw new AssertionError("the filter did not call the chain");
    }
    return (HttpServletRequest) seen.get();
  }
}
