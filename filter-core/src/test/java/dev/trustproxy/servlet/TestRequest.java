package dev.trustproxy.servlet;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A faithful stand-in for a container's request, answering the getters the filter uses the way
 * Jetty and Tomcat do: header names case-insensitive, field lines kept in arrival order, server
 * name and port from the first {@code Host} line (brackets kept), scheme from the connection. Any
 * other method throws, so a filter that starts relying on one is noticed.
 */
final class TestRequest {

  private TestRequest() {}

  /** {@code "Name: value"} strings to field lines. */
  static List<String[]> lines(String... headerLines) {
    List<String[]> list = new ArrayList<>();
    for (String line : headerLines) {
      int colon = line.indexOf(':');
      list.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
    }
    return list;
  }

  /** A request from {@code peer}; {@code headers} are {@code [name, value]} field lines. */
  static HttpServletRequest create(String peer, boolean tls, List<String[]> headers) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (String[] h : headers) {
      byName.computeIfAbsent(h[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h[1]);
    }
    String scheme = tls ? "https" : "http";
    String host = byName.containsKey("host") ? byName.get("host").get(0).strip() : null;
    String serverName = host == null ? "localhost" : hostName(host);
    int serverPort = host == null || hostPort(host) < 0 ? (tls ? 443 : 80) : hostPort(host);
    Map<String, Object> attributes = new HashMap<>();
    return (HttpServletRequest) Proxy.newProxyInstance(
        TestRequest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getHeaders":
              return Collections.enumeration(
                  byName.getOrDefault(((String) args[0]).toLowerCase(Locale.ROOT), List.of()));
            case "getHeader": {
              List<String> values = byName.get(((String) args[0]).toLowerCase(Locale.ROOT));
              return values == null ? null : values.get(0);
            }
            case "getRemoteAddr":
            case "getRemoteHost":
              return peer;
            case "getRemotePort":
              return 40000;
            case "getScheme":
              return scheme;
            case "isSecure":
              return tls;
            case "getServerName":
              return serverName;
            case "getServerPort":
              return serverPort;
            case "getRequestURI":
              return "/path";
            case "getDispatcherType":
              return jakarta.servlet.DispatcherType.REQUEST;
            case "getRequestURL": {
              StringBuffer url = new StringBuffer(scheme + "://" + serverName);
              if (serverPort != (tls ? 443 : 80)) {
                url.append(':').append(serverPort);
              }
              return url.append("/path");
            }
            case "getAttribute":
              return attributes.get((String) args[0]);
            case "setAttribute":
              attributes.put((String) args[0], args[1]);
              return null;
            case "removeAttribute":
              attributes.remove((String) args[0]);
              return null;
            case "toString":
              return "TestRequest[" + peer + " " + headers.size() + " headers]";
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              throw new UnsupportedOperationException(
                  "TestRequest does not model " + method.getName());
          }
        });
  }

  static String hostName(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  static int hostPort(String host) {
    int from = host.startsWith("[") ? host.indexOf(']') : 0;
    int colon = host.indexOf(':', Math.max(from, 0));
    if (colon < 0) {
      return -1;
    }
    try {
      return Integer.parseInt(host.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A filter configuration holding {@code params} as init-params. */
  static FilterConfig config(Map<String, String> params) {
    return config(params, Map.of());
  }

  /** A filter configuration holding init-params, in a context holding {@code contextParams}. */
  static FilterConfig config(Map<String, String> params, Map<String, String> contextParams) {
    ServletContext context = (ServletContext) Proxy.newProxyInstance(
        TestRequest.class.getClassLoader(), new Class<?>[] {ServletContext.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getInitParameter":
              return contextParams.get((String) args[0]);
            case "getInitParameterNames":
              return Collections.enumeration(contextParams.keySet());
            default:
              throw new UnsupportedOperationException(
                  "the test context does not model " + method.getName());
          }
        });
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "trustproxy";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public java.util.Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }
}
