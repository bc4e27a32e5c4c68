package dev.trustproxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading forwarding header values that a container has already joined into one string:
 * validating schemes, {@code host[:port]} and ports, and finding parameters of RFC 7239 elements.
 * Shared by every adapter so that they never disagree.
 */
final class HeaderValues {

  /** A validated {@code host[:port]}: the host as written (brackets kept), port -1 when absent. */
  record HostPort(String host, int port) {}

  private HeaderValues() {}

  /** The first comma-separated element of {@code value}, trimmed of spaces and tabs; or null. */
  static String firstElement(String value) {
    if (value == null) {
      return null;
    }
    int comma = value.indexOf(',');
    return trimmedOrNull(value, 0, comma < 0 ? value.length() : comma);
  }

  /**
   * The value of parameter {@code name} (lower case) in the element of an RFC 7239 {@code
   * Forwarded} header that names the client: the {@code fromRight}-th non-empty element counted
   * from the right (1 = the right-most). That element was written by the trusted proxy that saw
   * the client, so its {@code proto=} and {@code host=} describe the client's request; elements
   * further left may have been written by the client itself. Null when absent or badly quoted.
   */
  static String clientElementParameter(String forwarded, int fromRight, String name) {
    if (forwarded == null || fromRight < 1) {
      return null;
    }
    List<int[]> elements = new ArrayList<>();
    int start = 0;
    boolean inQuotes = false;
    for (int i = 0; i <= forwarded.length(); i++) {
      char c = i < forwarded.length() ? forwarded.charAt(i) : ',';
      if (c == '"') {
        inQuotes = !inQuotes;
      } else if (c == ',' && (!inQuotes || i == forwarded.length())) {
        if (trimmedOrNull(forwarded, start, i) != null) {
          elements.add(new int[] {start, i});
        }
        start = i + 1;
      }
    }
    if (fromRight > elements.size()) {
      return null;
    }
    int[] element = elements.get(elements.size() - fromRight);
    int i = element[0];
    while (i < element[1]) {
      int end = i;
      inQuotes = false;
      while (end < element[1]) {
        char c = forwarded.charAt(end);
        if (c == '"') {
          inQuotes = !inQuotes;
        } else if (c == ';' && !inQuotes) {
          break;
        }
        end++;
      }
      String pair = trimmedOrNull(forwarded, i, end);
      if (pair != null && pair.length() > name.length()
          && pair.regionMatches(true, 0, name, 0, name.length())
          && pair.charAt(name.length()) == '=') {
        String value = pair.substring(name.length() + 1);
        if (value.length() >= 2 && value.charAt(0) == '"' && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() || value.indexOf('"') >= 0 || value.indexOf('\\') >= 0
            ? null : value;
      }
      i = end + 1;
    }
    return null;
  }

  /** {@code "http"} or {@code "https"} for those words in any case; null for anything else. */
  static String scheme(String value) {
    if ("https".equalsIgnoreCase(value)) {
      return "https";
    }
    if ("http".equalsIgnoreCase(value)) {
      return "http";
    }
    return null;
  }

  /**
   * Splits a {@code host[:port]} value into host (kept as written, brackets included) and port.
   *
   * @return the host and port; null when the value is not a valid
   *     reg-name (letters, digits, {@code -._~}), IPv4 literal or bracketed IPv6 literal with an
   *     optional port 1..65535
   */
  static HostPort hostAndPort(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    int hostEnd;
    if (value.charAt(0) == '[') {
      // An IP-literal in brackets is IPv6 text (RFC 3986 3.2.2): "[192.0.2.1]" names no host.
      int close = value.indexOf(']');
      if (close < 0 || IpAddress.tryParseIpv6(value, 1, close) == null) {
        return null;
      }
      hostEnd = close + 1;
    } else {
      hostEnd = value.indexOf(':');
      if (hostEnd < 0) {
        hostEnd = value.length();
      }
      if (hostEnd == 0) {
        return null;
      }
      for (int i = 0; i < hostEnd; i++) {
        char c = value.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~';
        if (!ok) {
          return null;
        }
      }
    }
    int port = -1;
    if (hostEnd < value.length()) {
      if (value.charAt(hostEnd) != ':') {
        return null;
      }
      port = port(value.substring(hostEnd + 1));
      if (port < 0) {
        return null;
      }
    }
    return new HostPort(value.substring(0, hostEnd), port);
  }

  /**
   * Exactly a decimal port 1..65535 without leading zeros (nothing around it: callers trim
   * list elements themselves), or -1.
   */
  static int port(String value) {
    return value != null && Entries.isPort(value, 0, value.length())
        ? Integer.parseInt(value) : -1;
  }

  /** {@code s[from, to)} trimmed of spaces and tabs, or null when nothing is left. */
  private static String trimmedOrNull(String s, int from, int to) {
    String trimmed = IpRangeSet.trimSpacesAndTabs(s, from, to);
    return trimmed.isEmpty() ? null : trimmed;
  }
}
