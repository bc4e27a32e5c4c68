package dev.trustproxy.sample;

import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * Answers {@code GET} with what the app believes about the request, one Express-style line each,
 * values JSON-encoded ({@code undefined} when absent):
 *
 * <pre>
 * req.ip: "198.51.100.22"                                     getRemoteAddr()
 * req.xff: "127.0.0.4, 127.0.0.3, 127.0.0.2, 198.51.100.22"   X-Forwarded-For lines joined
 * req.ips: ["198.51.100.22"]                                  the walk's ips (Resolution)
 * req.protocol: "https"                                       getScheme()
 * req.hostname: "localhost"                                   getServerName()
 * </pre>
 *
 * <p>{@code GET /} answers directly. More paths answer the same report through the container's
 * other dispatches, where an adapter that saw only the first dispatch could show the proxy
 * instead of the client: {@value #FORWARD_PATH} (a FORWARD to {@code /}), {@value #INCLUDE_PATH}
 * (an INCLUDE of {@code /}), {@value #ASYNC_PATH} (an ASYNC dispatch after {@code startAsync()})
 * and every other path (404, then the ERROR dispatch to the error page {@value #ERROR_PATH}).
 *
 * <p>Public with a no-argument constructor because web.xml names it. It depends only on the
 * Servlet API and the filter, so the WAR carries nothing else.
 */
public class RequestInfoServlet extends HttpServlet {

  /** Answers through a FORWARD dispatch to {@code /}. */
  static final String FORWARD_PATH = "/forward";
  /** Answers through an INCLUDE of {@code /}. */
  static final String INCLUDE_PATH = "/include";
  /** Answers through an ASYNC dispatch. */
  static final String ASYNC_PATH = "/async";
  /** The error page (web.xml and {@link App}) for 404. */
  static final String ERROR_PATH = "/error";

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      switch (request.getServletPath()) {
        case "/":
          break;
        case FORWARD_PATH:
          request.getRequestDispatcher("/").forward(request, response);
          return;
        case INCLUDE_PATH:
          request.getRequestDispatcher("/").include(request, response);
          return;
        case ASYNC_PATH:
          // No arguments: the container dispatches its own request again, not this one.
          request.startAsync().dispatch();
          return;
        default:
          response.sendError(HttpServletResponse.SC_NOT_FOUND);
          return;
      }
    }
    // Status 200, or 404 in the ERROR dispatch. An INCLUDE cannot set headers, so that
    // answer has no Content-Type.
    byte[] body = report(request).getBytes(StandardCharsets.UTF_8);
    response.setContentType("text/plain;charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  static String report(HttpServletRequest request) {
    List<String> xff = Collections.list(request.getHeaders("X-Forwarded-For"));
    Object resolution = request.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
    return "req.ip: " + json(request.getRemoteAddr()) + "\n"
        + "req.xff: " + json(xff.isEmpty() ? null : String.join(", ", xff)) + "\n"
        // No Resolution means the filter did not run: say so rather than print [].
        + "req.ips: " + (resolution instanceof Resolution r ? json(r.ips()) : "undefined") + "\n"
        + "req.protocol: " + json(request.getScheme()) + "\n"
        + "req.hostname: " + json(request.getServerName()) + "\n";
  }

  private static String json(List<IpAddress> ips) {
    StringBuilder sb = new StringBuilder("[");
    for (IpAddress ip : ips) {
      sb.append(sb.length() > 1 ? "," : "").append(json(ip.toString()));
    }
    return sb.append(']').toString();
  }

  /** A JSON string literal, or {@code undefined} for null (as Node prints a missing value). */
  static String json(String value) {
    if (value == null) {
      return "undefined";
    }
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
