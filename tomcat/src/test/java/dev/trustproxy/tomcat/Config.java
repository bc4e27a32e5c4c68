package dev.trustproxy.tomcat;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/** A filter's init-params: the trust setting, and no JMX (one filter per vector). */
record Config(Map<String, String> params) implements FilterConfig {

  static Config of(String trustProxy) {
    return new Config(Map.of("trust-proxy", trustProxy, "jmx", "false"));
  }

  @Override
  public String getFilterName() {
    return "trustproxy";
  }

  @Override
  public ServletContext getServletContext() {
    return null;
  }

  @Override
  public String getInitParameter(String name) {
    return params.get(name);
  }

  @Override
  public Enumeration<String> getInitParameterNames() {
    return Collections.enumeration(params.keySet());
  }
}
