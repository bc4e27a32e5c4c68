package dev.trustproxy;

import org.junit.jupiter.api.Named;

/** Test display names for hostile text: quoted, with control and non-ASCII characters escaped. */
final class Shown {

  private Shown() {}

  static String quoted(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\r' -> sb.append("\\r");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** The string as a parameter whose display name is {@link #quoted}. */
  static Named<String> text(String s) {
    return Named.of(quoted(s), s);
  }
}
