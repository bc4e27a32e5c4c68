package dev.trustproxy.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter the jar's {@code META-INF/web-fragment.xml} declares (name {@code trustproxy}, before
 * every other filter, every dispatcher type): a {@link TrustProxyFilter} configured by the
 * context-params {@code trustproxy.trust-proxy}, {@code trustproxy.trusted-peers} and {@code
 * trustproxy.forwarded-header}; with none of them it trusts nothing.
 *
 * <p>It stands down (passes every request through untouched) when the application declares a
 * {@link TrustProxyFilter} itself under another name, in web.xml or in code: that declaration
 * holds the application's setting, and this filter, running first, would otherwise decide the
 * client with the default. A web.xml filter named {@code trustproxy} replaces this one outright
 * (Servlet 6.0 section 8.2.3); {@code metadata-complete} or an {@code <absolute-ordering>} without
 * {@code trustproxy} leaves it out (README D47).
 *
 * <p>Thread-safe once initialised.
 */
public final class TrustProxyFragmentFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(TrustProxyFragmentFilter.class);

  private TrustProxyFilter filter;

  /** For the web-fragment: configured by {@link #init(FilterConfig)}. */
  public TrustProxyFragmentFilter() {}

  @Override
  public void init(FilterConfig config) throws ServletException {
    String other = declaredFilter(config.getServletContext(), config.getFilterName());
    if (other != null) {
      LOG.info("TrustProxyFilter: the application declares the filter '{}', so the web-fragment's"
          + " filter '{}' stands down", other, config.getFilterName());
      return;
    }
    TrustProxyFilter f = new TrustProxyFilter();
    f.init(config);
    filter = f;
  }

  /** The name of another filter of class {@link TrustProxyFilter}, or null when there is none. */
  private static String declaredFilter(ServletContext context, String ownName) {
    Map<String, ? extends FilterRegistration> filters = context.getFilterRegistrations();
    for (Map.Entry<String, ? extends FilterRegistration> e : filters.entrySet()) {
      if (!e.getKey().equals(ownName)
          && TrustProxyFilter.class.getName().equals(e.getValue().getClassName())) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The filter this one runs, or null when it stands down (or before {@link #init}). */
  TrustProxyFilter filter() {
    return filter;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    TrustProxyFilter f = filter;
    if (f == null) {
      chain.doFilter(request, response);
    } else {
      f.doFilter(request, response, chain);
    }
  }

  @Override
  public void destroy() {
    TrustProxyFilter f = filter;
    if (f != null) {
      f.destroy();
    }
  }
}
