package dev.trustproxy;

/**
 * The one reader of an RFC 7239 §4 {@code forwarded-element}: {@code [pair] *(";" [pair])}, each
 * pair {@code token "=" value}, the value an RFC 7230 §3.2.6 token or quoted-string (with {@code
 * \} quoted-pairs). Spaces and tabs are allowed around the element and around {@code ;}, as
 * around a list's commas (README D42); nowhere else.
 *
 * <p>Why a strict left-to-right reader of one element: the walk finds where elements start from
 * the right ({@link Entries#elementStart}), through elements that trusted proxies wrote. Text a
 * client wrote lies left of them and is never re-split: the walk's spans are read with this
 * reader, for {@code for=} during the walk and for {@code proto=}/{@code host=} in the client's
 * element afterwards, so both always describe the same element.
 *
 * <p>An element that does not parse, or that repeats {@code for}, {@code by}, {@code host} or
 * {@code proto} (RFC 7239 §4: "MUST NOT occur more than once"), is {@link Entries#INVALID}
 * (README D42). Allocation-free; spans are packed as in {@link Entries}.
 */
final class ForwardedElement {

  static final int FOR = 0;
  static final int BY = 1;
  static final int HOST = 2;
  static final int PROTO = 3;

  /** The element parses but has no such parameter. */
  static final long ABSENT = -3L;

  private static final String[] NAMES = {"for", "by", "host", "proto"};

  private ForwardedElement() {}

  /**
   * The value of {@code parameter} in the element {@code h[from, to)}: a quoted-string's content
   * without its quotes (quoted-pairs left as written, so no value that needs one is ever a valid
   * address, scheme or host), or the token.
   *
   * @param parameter {@link #FOR}, {@link #BY}, {@link #HOST} or {@link #PROTO}
   * @return the value's span; {@link Entries#EMPTY} for an element of only spaces and tabs;
   *     {@link Entries#INVALID} when the element does not parse; {@link #ABSENT}
   */
  static long value(CharSequence h, int from, int to, int parameter) {
    long element = Entries.trim(h, from, to);
    if (element == Entries.EMPTY) {
      return Entries.EMPTY;
    }
    int i = (int) (element >>> 32);
    to = (int) element;
    int seen = 0;
    long found = ABSENT;
    while (true) {
      i = skipSpaces(h, i, to);
      if (i < to && h.charAt(i) != ';') {
        int nameStart = i;
        i = tokenEnd(h, i, to);
        int nameEnd = i;
        if (nameEnd == nameStart || i == to || h.charAt(i) != '=') {
          return Entries.INVALID;
        }
        i++;
        int valueStart;
        int valueEnd;
        if (i < to && h.charAt(i) == '"') {
          valueStart = i + 1;
          valueEnd = quotedEnd(h, valueStart, to);
          if (valueEnd < 0) {
            return Entries.INVALID;
          }
          i = valueEnd + 1;
        } else {
          valueStart = i;
          i = tokenEnd(h, i, to);
          valueEnd = i;
          if (valueEnd == valueStart) {
            return Entries.INVALID;
          }
        }
        int known = known(h, nameStart, nameEnd);
        if (known >= 0) {
          if ((seen & (1 << known)) != 0) {
            return Entries.INVALID;
          }
          seen |= 1 << known;
          if (known == parameter) {
            found = ((long) valueStart << 32) | valueEnd;
          }
        }
        i = skipSpaces(h, i, to);
      }
      if (i == to) {
        return found;
      }
      if (h.charAt(i) != ';') {
        return Entries.INVALID;
      }
      i++;
    }
  }

  /** The index of the closing quote of a quoted-string whose content starts at {@code i}, or -1. */
  private static int quotedEnd(CharSequence h, int i, int to) {
    while (i < to) {
      char c = h.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        i++;
        if (i == to || !(h.charAt(i) == '\t' || isVisibleOrSpace(h.charAt(i)))) {
          return -1;
        }
      } else if (!(c == '\t' || isVisibleOrSpace(c))) {
        return -1; // qdtext excludes controls and anything above obs-text
      }
      i++;
    }
    return -1; // unclosed
  }

  /** SP, VCHAR or obs-text: %x20-7E and %x80-FF. */
  private static boolean isVisibleOrSpace(char c) {
    return (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
  }

  private static int tokenEnd(CharSequence h, int i, int to) {
    while (i < to && isTchar(h.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipSpaces(CharSequence h, int i, int to) {
    while (i < to && Entries.isSpaceOrTab(h.charAt(i))) {
      i++;
    }
    return i;
  }

  /** RFC 7230 §3.2.6 tchar. */
  static boolean isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
      case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
      default:
        return false;
    }
  }

  /** Which of the four RFC 7239 parameters {@code h[from, to)} names (any case), or -1. */
  private static int known(CharSequence h, int from, int to) {
    for (int k = 0; k < NAMES.length; k++) {
      String name = NAMES[k];
      if (to - from == name.length() && Entries.regionMatchesIgnoreCase(h, from, name)) {
        return k;
      }
    }
    return -1;
  }
}
