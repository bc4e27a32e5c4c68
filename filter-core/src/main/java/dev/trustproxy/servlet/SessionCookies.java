package dev.trustproxy.servlet;

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Adds {@code Secure} to the session cookie a container wrote for a request the filter reports as
 * https. Needed on Jetty 12: its session manager builds the cookie from its own core request,
 * whose scheme the filter cannot change, and puts it straight into the response headers. Through
 * the Servlet API those lines can be read and written back, and that is all this class does; it
 * touches only the session cookie's lines, and only adds the attribute (RFC 6265 section 4.1.2.5).
 */
final class SessionCookies {

  static final String SET_COOKIE = "Set-Cookie";
  private static final String DEFAULT_NAME = "JSESSIONID";

  private SessionCookies() {}

  /** The session cookie's name for {@code request}'s context: the configured one or the default. */
  static String name(HttpServletRequest request) {
    SessionCookieConfig config = request.getServletContext().getSessionCookieConfig();
    String name = config == null ? null : config.getName();
    return name == null || name.isEmpty() ? DEFAULT_NAME : name;
  }

  /**
   * Rewrites {@code response}'s {@code Set-Cookie} lines so that the ones for cookie {@code name}
   * carry {@code Secure}; the other lines are written back unchanged, in order. Does nothing when
   * the response is committed (the lines are gone) or no line needs the attribute.
   */
  static void secure(HttpServletResponse response, String name) {
    if (response.isCommitted()) {
      return;
    }
    Collection<String> lines = response.getHeaders(SET_COOKIE);
    if (lines == null || lines.isEmpty()) {
      return;
    }
    List<String> out = new ArrayList<>(lines.size());
    boolean changed = false;
    for (String line : lines) {
      if (isCookie(line, name) && !hasSecure(line)) {
        out.add(line + "; Secure");
        changed = true;
      } else {
        out.add(line);
      }
    }
    if (!changed) {
      return;
    }
    response.setHeader(SET_COOKIE, out.get(0));
    for (int i = 1; i < out.size(); i++) {
      response.addHeader(SET_COOKIE, out.get(i));
    }
  }

  /** Whether {@code line} sets the cookie {@code name}: {@code name=} starts the line. */
  static boolean isCookie(String line, String name) {
    return line.length() > name.length() && line.startsWith(name)
        && line.charAt(name.length()) == '=';
  }

  /**
   * Whether an attribute of {@code line} is named {@code Secure} (any case, RFC 6265 section
   * 5.2). A cookie value cannot hold a
   * {@code ;} (RFC 6265 section 4.1.1), so every {@code ;} starts an attribute.
   */
  static boolean hasSecure(String line) {
    int at = line.indexOf(';');
    while (at >= 0) {
      int next = line.indexOf(';', at + 1);
      int end = next < 0 ? line.length() : next;
      int eq = line.indexOf('=', at + 1);
      String attribute = line.substring(at + 1, eq >= 0 && eq < end ? eq : end).strip();
      if (attribute.toLowerCase(Locale.ROOT).equals("secure")) {
        return true;
      }
      at = next;
    }
    return false;
  }
}
