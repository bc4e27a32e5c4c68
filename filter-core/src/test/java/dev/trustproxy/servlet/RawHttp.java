package dev.trustproxy.servlet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading a response body that a test read off a raw socket: chunked transfer coding undone, and
 * {@link EchoServlet}'s {@code key=value} lines. Public for the container tests, which share it.
 */
public final class RawHttp {

  private RawHttp() {}

  /** The body with its chunked transfer coding (RFC 9112 section 7.1) removed. */
  public static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int eol = body.indexOf("\r\n", i);
      int size = Integer.parseInt(body.substring(i, eol).split(";")[0].strip(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
  }

  /** The echo servlet's {@code key=value} lines, in order. */
  public static Map<String, String> echo(String body) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        map.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return map;
  }
}
