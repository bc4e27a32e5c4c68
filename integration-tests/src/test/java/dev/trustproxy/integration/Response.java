package dev.trustproxy.integration;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response as text: its status and, for the echo servlet, what the application saw. */
record Response(int status, String text, Map<String, String> seen) {

  static Response of(String text) {
    if (text.isEmpty()) {
      return new Response(0, text, Map.of());
    }
    int space = text.indexOf(' ');
    int status = Integer.parseInt(text.substring(space + 1, space + 4));
    Map<String, String> seen = new LinkedHashMap<>();
    int bodyAt = text.indexOf("\r\n\r\n");
    if (bodyAt >= 0) {
      for (String line : text.substring(bodyAt + 4).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          seen.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return new Response(status, text, seen);
  }

  /** What the application saw as {@code key}; fails when the servlet did not answer. */
  String seen(String key) {
    if (!seen.containsKey(key)) {
      throw new AssertionError("the application did not report '" + key + "' in:\n" + text);
    }
    return seen.get(key);
  }
}
