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

  /** The start of the element that ends at {@code end}: just after the previous comma, or 0. */
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
   * unquoted; {@link #EMPTY} for an empty element; {@link #INVALID} when there is no {@code for},
   * more than one, or its quoting is broken.
   */
  static long forValue(CharSequence h, int from, int to) {
    long element = trim(h, from, to);
    if (element == EMPTY) {
      return EMPTY;
    }
    from = (int) (element >>> 32);
    to = (int) element;
    long found = INVALID;
    int i = from;
    while (i < to) {
      int pairEnd = i;
      boolean inQuotes = false;
      while (pairEnd < to) {
        char c = h.charAt(pairEnd);
        if (c == '"' && !isEscaped(h, pairEnd)) {
          inQuotes = !inQuotes;
        } else if (c == ';' && !inQuotes) {
          break;
        }
        pairEnd++;
      }
      long pair = trim(h, i, pairEnd);
      if (pair != EMPTY) {
        int ps = (int) (pair >>> 32);
        int pe = (int) pair;
        if (pe - ps > 4 && regionMatchesIgnoreCase(h, ps, "for=")) {
          if (found != INVALID) {
            return INVALID; // two for= values: ambiguous
          }
          int vs = ps + 4;
          int ve = pe;
          if (h.charAt(vs) == '"') {
            if (ve - vs < 2 || h.charAt(ve - 1) != '"') {
              return INVALID;
            }
            vs++;
            ve--;
            for (int k = vs; k < ve; k++) {
              if (h.charAt(k) == '\\' || h.charAt(k) == '"') {
                return INVALID; // no address needs escapes
              }
            }
          }
          found = vs == ve ? INVALID : ((long) vs << 32) | ve;
        }
      }
      i = pairEnd + 1;
    }
    return found;
  }

  /**
   * A dotted quad, optionally followed by {@code :port}, in {@code h[from, to)}.
   *
   * @return the address in the low 32 bits, or -1 when the entry is not of that shape
   */
  static long ipv4(CharSequence h, int from, int to) {
    int colon = -1;
    for (int i = from; i < to; i++) {
      if (h.charAt(i) == ':') {
        if (colon >= 0) {
          return -1; // two colons: IPv6 text
        }
        colon = i;
      }
    }
    if (colon >= 0) {
      if (!isPort(h, colon + 1, to)) {
        return -1;
      }
      to = colon;
    }
    return IpAddress.parseIpv4(h, from, to);
  }

  /** IPv6 text, bare or in brackets with an optional {@code :port}; null when invalid. */
  static IpAddress ipv6(CharSequence h, int from, int to) {
    if (h.charAt(from) == '[') {
      int close = -1;
      for (int i = from + 1; i < to; i++) {
        if (h.charAt(i) == ']') {
          close = i;
          break;
        }
      }
      if (close < 0 || (close + 1 < to && (h.charAt(close + 1) != ':'
          || !isPort(h, close + 2, to)))) {
        return null;
      }
      return IpAddress.tryParseIpv6(h, from + 1, close);
    }
    return IpAddress.tryParseIpv6(h, from, to);
  }

  /** A decimal port 1..65535 without leading zeros in {@code h[from, to)}. */
  static boolean isPort(CharSequence h, int from, int to) {
    int length = to - from;
    if (length < 1 || length > 5 || h.charAt(from) == '0') {
      return false;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = h.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 65535;
  }

  private static boolean isEscaped(CharSequence h, int quoteAt) {
    int backslashes = 0;
    for (int i = quoteAt - 1; i >= 0 && h.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return (backslashes & 1) == 1;
  }

  private static boolean regionMatchesIgnoreCase(CharSequence h, int at, String lower) {
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
