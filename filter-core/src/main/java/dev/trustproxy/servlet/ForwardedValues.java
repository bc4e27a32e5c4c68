package dev.trustproxy.servlet;

import dev.trustproxy.Forwarding;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/** Reading forwarding headers from a servlet request: joining field lines. */
final class ForwardedValues {

  /** The servlet request's field lines, for {@link Forwarding#read}: one constant, no capture. */
  static final Forwarding.FieldLines<HttpServletRequest> LINES = new Forwarding.FieldLines<>() {
    @Override
    public String joined(HttpServletRequest request, String name) {
      return ForwardedValues.joined(request, name);
    }

    @Override
    public String first(HttpServletRequest request, String name) {
      return request.getHeader(name);
    }
  };

  private ForwardedValues() {}

  /**
   * Every field line of {@code name} joined in arrival order with {@code ", "}, as Node does; null
   * when there is none. One line (the common case) is returned as is.
   */
  static String joined(HttpServletRequest request, String name) {
    Enumeration<String> lines = request.getHeaders(name);
    if (lines == null || !lines.hasMoreElements()) {
      return null;
    }
    String first = lines.nextElement();
    if (!lines.hasMoreElements()) {
      return first;
    }
    StringBuilder sb = new StringBuilder(first);
    do {
      sb.append(", ").append(lines.nextElement());
    } while (lines.hasMoreElements());
    return sb.toString();
  }
}
