package dev.trustproxy;

/**
 * Index-based scanning of forwarding headers: no split, no regex, no substring. Spans are packed
 * into a long as {@code from << 32 | to}.
 */
final class Entries {

  /** No entry: the element is empty (not a hop). */
  static final long EMPTY = -1L;
  /** An RFC 7239 element that is a hop but has no usable {@code for=} value. */
  static final long INVALID = -2L;

  /**
   * Set by {@link #ipv4} when the quad had a port: the entry's text is then more than the address,
   * which the walk records so that the client's text is not scanned again (README D116).
   */
  static final long WITH_PORT = 1L << 32;

  private Entries() {}

  /**
   * Whether the header holds anything but spaces and tabs: what Express calls present (Node trims
   * them from field values). Scans from the right, so it usually answers at the last byte.
   */
  static boolean hasContent(CharSequence h) {
    for (int i = h.length() - 1; i >= 0; i--) {
      if (!isSpaceOrTab(h.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code h[0, end)} holds anything but commas, spaces and tabs: another entry. */
  static boolean hasContentBefore(CharSequence h, int end) {
    for (int i = end - 1; i >= 0; i--) {
      char c = h.charAt(i);
      if (c != ',' && !isSpaceOrTab(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The start of the element that ends at {@code end}: just after the previous comma, or 0. For
   * RFC 7239, commas inside quoted-strings (a quote preceded by an odd run of backslashes is
   * escaped) do not count. Scanning from the right is exact through well-formed elements, and the
   * walk reads an element only when the hop to its right is trusted, so the element that names
   * the client was written by a trusted proxy and ends its scan at that proxy's comma: text a
   * client wrote further left is never part of it. Each span found is then read strictly by
   * {@link ForwardedElement}.
   */
  static int elementStart(CharSequence h, int end, boolean quoted) {
    boolean inQuotes = false;
    for (int i = end - 1; i >= 0; i--) {
      char c = h.charAt(i);
      if (quoted && c == '"' && !isEscaped(h, i)) {
        inQuotes = !inQuotes;
      } else if (c == ',' && !inQuotes) {
        return i + 1;
      }
    }
    return 0;
  }

  /**
   * The entry of the element {@code h[from, to)}: for X-Forwarded-For the element trimmed, for
   * RFC 7239 its {@code for=} value ({@link #forValue}); {@link #EMPTY} or {@link #INVALID}.
   */
  static long value(CharSequence h, int from, int to, boolean rfc7239) {
    return rfc7239 ? forValue(h, from, to) : trim(h, from, to);
  }

  /** The element {@code h[from, to)} trimmed of spaces and tabs, or {@link #EMPTY}. */
  static long trim(CharSequence h, int from, int to) {
    while (from < to && isSpaceOrTab(h.charAt(from))) {
      from++;
    }
    while (to > from && isSpaceOrTab(h.charAt(to - 1))) {
      to--;
    }
    return from == to ? EMPTY : ((long) from << 32) | to;
  }

  /**
   * The value of the single {@code for} parameter of the RFC 7239 element {@code h[from, to)},
   * unquoted, as {@link ForwardedElement} reads it; {@link #EMPTY} for an empty element; {@link
   * #INVALID} when the element does not parse or has no {@code for}, or an empty one.
   */
  static long forValue(CharSequence h, int from, int to) {
    long value = ForwardedElement.value(h, from, to, ForwardedElement.FOR);
    if (value == ForwardedElement.ABSENT || (value >= 0 && (int) (value >>> 32) == (int) value)) {
      return INVALID;
    }
    return value;
  }

  /**
   * A dotted quad, optionally followed by {@code :port}, in {@code h[from, to)}.
   *
   * @return the address in the low 32 bits and {@link #WITH_PORT} when a port followed it, or -1
   *     when the entry is not of that shape
   */
  static long ipv4(CharSequence h, int from, int to) {
    // The quad and what follows it in one pass: IPv6 text and names fail at their first bytes.
    long quad = IpAddress.parseIpv4Prefix(h, from, to);
    if (quad < 0) {
      return -1;
    }
    int end = (int) (quad >>> 32);
    long address = quad & 0xffffffffL;
    if (end == to) {
      return address; // the common entry
    }
    return h.charAt(end) == ':' && port(h, end + 1, to) >= 0 ? address | WITH_PORT : -1;
  }

  /** The address of an entry ({@link #ipv4} or {@link #ipv6} form), or null when it is neither. */
  static IpAddress address(CharSequence h, int from, int to) {
    long v4 = ipv4(h, from, to);
    if (v4 >= 0) {
      return IpAddress.ipv4((int) v4);
    }
    IpAddress.Bits bits = new IpAddress.Bits();
    return ipv6(h, from, to, bits) ? bits.toAddress() : null;
  }

  /**
   * IPv6 text, bare or in brackets with an optional {@code :port}, parsed into {@code out}; its
   * {@link IpAddress.Bits#textRun} tells whether the whole entry is RFC 5952 text.
   *
   * @return false when the entry is not of that shape
   */
  static boolean ipv6(CharSequence h, int from, int to, IpAddress.Bits out) {
    boolean bracketed = h.charAt(from) == '[';
    if (bracketed) {
      int close = -1;
      for (int i = from + 1; i < to; i++) {
        if (h.charAt(i) == ']') {
          close = i;
          break;
        }
      }
      if (close < 0 || (close + 1 < to && (h.charAt(close + 1) != ':'
          || port(h, close + 2, to) < 0))) {
        return false;
      }
      from++;
      to = close;
    }
    // One call site, so it is inlined once.
    if (!IpAddress.parseIpv6(h, from, to, out)) {
      return false;
    }
    if (bracketed) {
      out.textRun = IpAddress.Bits.NOT_RFC5952; // the entry's text is more than the address
    }
    return true;
  }

  /**
   * The one port rule (README D7, D11): exactly a decimal 1..65535 without leading zeros in
   * {@code h[from, to)}, nothing around it.
   *
   * @return the port, or -1
   */
  static int port(CharSequence h, int from, int to) {
    int length = to - from;
    if (length < 1 || length > 5 || h.charAt(from) == '0') {
      return -1;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = h.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 65535 ? value : -1;
  }

  /** The first index of {@code c} in {@code h[from, to)}, or -1. */
  static int indexOf(CharSequence h, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (h.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isEscaped(CharSequence h, int quoteAt) {
    int backslashes = 0;
    for (int i = quoteAt - 1; i >= 0 && h.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return (backslashes & 1) == 1;
  }

  static boolean regionMatchesIgnoreCase(CharSequence h, int at, String lower) {
    for (int k = 0; k < lower.length(); k++) {
      char c = h.charAt(at + k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  static boolean isSpaceOrTab(char c) {
    return c == ' ' || c == '\t';
  }
}
