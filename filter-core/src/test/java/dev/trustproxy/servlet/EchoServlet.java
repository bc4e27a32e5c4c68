package dev.trustproxy.servlet;

import dev.trustproxy.Resolution;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints what an application sees of its request, one {@code key=value} per line: the getters the
 * filter overrides and the {@link Resolution} attribute's fields. With the query parameter {@code
 * session} it first creates a session, so that the container writes its session cookie ({@code
 * session=renew}: and then changes its id, so that the container writes it again). Public
 * with a no-arg constructor so that a web.xml can name it.
 */
public class EchoServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** What the application sees; also used directly by unit tests on a filtered request. */
  static Map<String, String> describe(HttpServletRequest request) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("remoteAddr", request.getRemoteAddr());
    out.put("remoteHost", request.getRemoteHost());
    out.put("remotePort", Integer.toString(request.getRemotePort()));
    out.put("scheme", request.getScheme());
    out.put("secure", Boolean.toString(request.isSecure()));
    out.put("serverName", request.getServerName());
    out.put("serverPort", Integer.toString(request.getServerPort()));
    out.put("requestURL", request.getRequestURL().toString());
    Object attribute = request.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
    if (attribute instanceof Resolution r) {
      out.put("resolution", r.toString());
      out.put("client", r.client().toString());
      out.put("peer", r.peer().toString());
      out.put("ips", r.ips().toString());
      out.put("fromHeader", Boolean.toString(r.fromHeader()));
      out.put("peerTrusted", Boolean.toString(r.peerTrusted()));
      out.put("headerIgnored", Boolean.toString(r.headerIgnored()));
      out.put("stoppedOnInvalid", Boolean.toString(r.stoppedOnInvalid()));
      out.put("clientIndex", Integer.toString(r.clientIndex()));
      out.put("clientHeader", String.valueOf(r.clientHeader()));
      out.put("rejection", String.valueOf(r.rejection()));
    } else {
      out.put("resolution", String.valueOf(attribute));
    }
    return out;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String session = request.getParameter("session");
    if (session != null) {
      request.getSession(true);
      if (session.equals("renew")) {
        request.changeSessionId();
      }
    }
    StringBuilder body = new StringBuilder();
    describe(request).forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    response.setContentType("text/plain;charset=utf-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
