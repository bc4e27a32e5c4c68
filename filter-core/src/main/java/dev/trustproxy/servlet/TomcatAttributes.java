package dev.trustproxy.servlet;

import dev.trustproxy.Forwarding;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells Tomcat what the filter decided, through the request attributes its own {@code
 * RemoteIpFilter} sets. The names are Tomcat's constants written as strings, so the filter has no
 * compile or run-time dependency on Tomcat; elsewhere they are never set.
 *
 * <ul>
 *   <li>{@code org.apache.catalina.filters.RemoteIpFilter.secure} is a special attribute: setting
 *       it calls {@code setSecure} on Tomcat's own request, from which Tomcat builds the session
 *       cookie (its {@code Secure} flag) — the fix of CVE-2023-28708.
 *   <li>{@code org.apache.catalina.AccessLog.*} are read by {@code AccessLogValve} when {@code
 *       requestAttributesEnabled="true"} ({@code %a}, {@code %h}, {@code %v}, {@code %p}).
 *   <li>{@code org.apache.tomcat.remoteAddr} is the client shown in the connector's request
 *       statistics; {@code org.apache.tomcat.request.forwarded} marks a request a trusted proxy
 *       forwarded.
 * </ul>
 *
 * <p>The protocol ({@code AccessLog.Protocol}) is not set: the filter never changes it.
 */
final class TomcatAttributes {

  static final String SECURE = "org.apache.catalina.filters.RemoteIpFilter.secure";
  static final String REMOTE_ADDR = "org.apache.catalina.AccessLog.RemoteAddr";
  static final String REMOTE_HOST = "org.apache.catalina.AccessLog.RemoteHost";
  static final String SERVER_NAME = "org.apache.catalina.AccessLog.ServerName";
  static final String SERVER_PORT = "org.apache.catalina.AccessLog.ServerPort";
  static final String CONNECTOR_REMOTE_ADDR = "org.apache.tomcat.remoteAddr";
  static final String FORWARDED = "org.apache.tomcat.request.forwarded";

  private TomcatAttributes() {}

  /** Whether {@code context} is Tomcat's (its facade class is in {@code org.apache.catalina}). */
  static boolean isTomcat(ServletContext context) {
    return context != null && context.getClass().getName().startsWith("org.apache.catalina.");
  }

  /** Sets the attributes on Tomcat's request for what the filter reports. */
  static void set(HttpServletRequest request, Forwarding forwarding, String remoteAddr) {
    if (forwarding.scheme() != null) {
      request.setAttribute(SECURE, forwarding.scheme().equals("https"));
    }
    request.setAttribute(REMOTE_ADDR, remoteAddr);
    request.setAttribute(REMOTE_HOST, remoteAddr);
    request.setAttribute(CONNECTOR_REMOTE_ADDR, remoteAddr);
    if (forwarding.serverName() != null) {
      request.setAttribute(SERVER_NAME, forwarding.serverName());
    }
    if (forwarding.serverPort() >= 0) {
      request.setAttribute(SERVER_PORT, forwarding.serverPort());
    }
    if (forwarding.changesRequest()) {
      request.setAttribute(FORWARDED, Boolean.TRUE);
    }
  }
}
