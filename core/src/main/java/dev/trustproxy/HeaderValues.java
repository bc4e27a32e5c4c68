package dev.trustproxy;

/**
 * Validating forwarded values: the first element of X-Forwarded-Proto/-Host/-Port, schemes and
 * {@code host[:port]}. Shared by both header families and every adapter so that they never
 * disagree. Values are read in place ({@code h[from, to)}); only an accepted host is copied.
 */
final class HeaderValues {

  /** A validated {@code host[:port]}: the host as written (brackets kept), port -1 when absent. */
  record HostPort(String host, int port) {}

  /** The longest DNS name without a trailing dot (RFC 1035 §2.3.4: 255 octets on the wire). */
  private static final int MAX_NAME = 253;
  /** RFC 1035 §2.3.4. */
  private static final int MAX_LABEL = 63;

  private HeaderValues() {}

  /** The first comma-separated element of {@code value}, trimmed of spaces and tabs; or null. */
  static String firstElement(String value) {
    if (value == null) {
      return null;
    }
    int comma = value.indexOf(',');
    String trimmed = IpRangeSet.trimSpacesAndTabs(value, 0, comma < 0 ? value.length() : comma);
    return trimmed.isEmpty() ? null : trimmed;
  }

  /** {@code "http"} or {@code "https"} for those words in any case; null for anything else. */
  static String scheme(CharSequence h, int from, int to) {
    if (to - from == 5 && Entries.regionMatchesIgnoreCase(h, from, "https")) {
      return "https";
    }
    if (to - from == 4 && Entries.regionMatchesIgnoreCase(h, from, "http")) {
      return "http";
    }
    return null;
  }

  /** {@link #scheme(CharSequence, int, int)} of a whole value; null for null. */
  static String scheme(String value) {
    return value == null ? null : scheme(value, 0, value.length());
  }

  /** {@link #hostAndPort(CharSequence, int, int)} of a whole value; null for null. */
  static HostPort hostAndPort(String value) {
    return value == null ? null : hostAndPort(value, 0, value.length());
  }

  /**
   * Splits a {@code host[:port]} value into host (kept as written, brackets included) and port
   * (README D11, D40): the host is a strict dotted quad, IPv6 text in brackets, or a DNS name
   * ({@link #isDnsName}); the port is {@link Entries#port}.
   *
   * @return the host and port; null when {@code h[from, to)} is anything else
   */
  static HostPort hostAndPort(CharSequence h, int from, int to) {
    if (from >= to) {
      return null;
    }
    int hostEnd;
    if (h.charAt(from) == '[') {
      // An IP-literal in brackets is IPv6 text (RFC 3986 3.2.2): "[192.0.2.1]" names no host.
      int close = Entries.indexOf(h, ']', from + 1, to);
      if (close < 0 || IpAddress.tryParseIpv6(h, from + 1, close) == null) {
        return null;
      }
      hostEnd = close + 1;
    } else {
      hostEnd = Entries.indexOf(h, ':', from, to);
      if (hostEnd < 0) {
        hostEnd = to;
      }
      if (IpAddress.parseIpv4(h, from, hostEnd) < 0 && !isDnsName(h, from, hostEnd)) {
        return null;
      }
    }
    int port = -1;
    if (hostEnd < to) {
      if (h.charAt(hostEnd) != ':') {
        return null;
      }
      port = Entries.port(h, hostEnd + 1, to);
      if (port < 0) {
        return null;
      }
    }
    return new HostPort(h.subSequence(from, hostEnd).toString(), port);
  }

  /**
   * A DNS host name (RFC 1123 §2.1): dot-separated labels of 1 to 63 letters, digits and hyphens,
   * neither starting nor ending with a hyphen, at most 253 characters, no trailing dot (README
   * D41), and a last label that is not a number as the WHATWG URL parser reads one (all digits, or
   * {@code 0x} and hex digits): browsers read {@code 127.1}, {@code 0x7f.1} and {@code 2130706433}
   * as 127.0.0.1, so such a "name" is an address spelled the way D4 refuses.
   */
  static boolean isDnsName(CharSequence h, int from, int to) {
    if (to - from > MAX_NAME) {
      return false;
    }
    int labelStart = from;
    for (int i = from; i <= to; i++) {
      if (i == to || h.charAt(i) == '.') {
        int length = i - labelStart;
        if (length < 1 || length > MAX_LABEL || h.charAt(labelStart) == '-'
            || h.charAt(i - 1) == '-') {
          return false;
        }
        if (i == to) {
          return !isUrlNumber(h, labelStart, to);
        }
        labelStart = i + 1;
      } else {
        char c = h.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-')) {
          return false;
        }
      }
    }
    throw new AssertionError("the loop returns at i == to");
  }

  /** All decimal digits, or {@code 0x}/{@code 0X} followed by hex digits (WHATWG URL IPv4 part). */
  private static boolean isUrlNumber(CharSequence h, int from, int to) {
    int i = from;
    boolean hex = to - from >= 2 && h.charAt(from) == '0'
        && (h.charAt(from + 1) == 'x' || h.charAt(from + 1) == 'X');
    if (hex) {
      i += 2;
    }
    for (; i < to; i++) {
      char c = h.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      if (!digit && !(hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))) {
        return false;
      }
    }
    return true;
  }
}
