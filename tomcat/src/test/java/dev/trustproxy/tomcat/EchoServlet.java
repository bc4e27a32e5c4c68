package dev.trustproxy.tomcat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.MDC;

/**
 * Writes what the servlet API reports, one {@code name=value} a line. With {@code ?session} it
 * creates a session, so Tomcat sends its session cookie (with {@code Secure} when the request is
 * secure).
 */
public class EchoServlet extends HttpServlet {

  /** The MDC key the tests configure ({@code mdcKey}), echoed as {@code mdc}. */
  static final String MDC_KEY = "client.address";

  /** For Tomcat, which creates servlets of a WAR by their public constructor. */
  public EchoServlet() {}

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (req.getQueryString() != null && req.getQueryString().contains("session")) {
      req.getSession(true);
    }
    resp.setContentType("text/plain;charset=utf-8");
    resp.getWriter().write(describe(req));
  }

  static String describe(HttpServletRequest req) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ip", req.getRemoteAddr());
    out.put("remoteHost", req.getRemoteHost());
    out.put("scheme", req.getScheme());
    out.put("secure", req.isSecure());
    out.put("serverName", req.getServerName());
    out.put("serverPort", req.getServerPort());
    out.put("requestURL", req.getRequestURL());
    out.put("dispatcherType", req.getDispatcherType());
    Resolution r = (Resolution) req.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
    out.put("resolution", r == null ? "none" : r.toString());
    if (r != null) {
      out.put("ips", r.ips().stream().map(IpAddress::toString).collect(Collectors.joining(",")));
      out.put("headerIgnored", r.headerIgnored());
      out.put("stoppedOnInvalid", r.stoppedOnInvalid());
      out.put("clientHeader", r.clientHeader());
      out.put("rejection", r.rejection());
    }
    out.put("mdc", MDC.get(MDC_KEY));
    // Tomcat's own attributes of the client (README D62, D77), as the application sees them;
    // only when asked, as the filter (whose answers the valve's are compared with) sets fewer.
    if (req.getQueryString() != null && req.getQueryString().contains("attributes")) {
      for (String name : new String[] {"org.apache.catalina.AccessLog.RemoteAddr",
          "org.apache.catalina.AccessLog.RemoteHost", "org.apache.catalina.AccessLog.ServerName",
          "org.apache.catalina.AccessLog.ServerPort", "org.apache.tomcat.remoteAddr",
          "org.apache.tomcat.request.forwarded"}) {
        out.put(name.substring(name.lastIndexOf('.') + 1), req.getAttribute(name));
      }
      // The valve keeps the Resolution on the connector's request (D113): found, not listed.
      out.put("listed", java.util.Collections.list(req.getAttributeNames())
          .contains(TrustProxyFilter.RESOLUTION_ATTRIBUTE));
    }
    StringBuilder body = new StringBuilder();
    out.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
    return body.toString();
  }
}
