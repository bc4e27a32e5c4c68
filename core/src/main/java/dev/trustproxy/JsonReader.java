package dev.trustproxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the published range lists (AWS {@code ip-ranges.json}, Google
 * {@code cloud.json}), which is all it is for: the core may depend on nothing but slf4j-api.
 *
 * <p>It keeps objects, arrays and strings (every escape decoded, unpaired surrogates refused);
 * numbers and the literals {@code true}, {@code false}, {@code null} are checked against the
 * grammar and kept only as {@link Other}. Refused: trailing text, a repeated member name (RFC 8259
 * leaves its meaning open), control characters in strings, nesting deeper than {@value #MAX_DEPTH}.
 * Errors are {@link IllegalArgumentException}s that say the line and what was expected.
 */
final class JsonReader {

  static final int MAX_DEPTH = 64;

  /** A JSON value as this reader keeps it. */
  sealed interface Value permits Obj, Arr, Str, Other {}

  /** An object, members in file order; {@code line} is where it opens. */
  record Obj(Map<String, Value> members, int line) implements Value {}

  /** An array. */
  record Arr(List<Value> elements) implements Value {}

  /** A string, decoded; {@code line} is where it opens. */
  record Str(String value, int line) implements Value {}

  /** A number or literal, checked and not kept. */
  record Other() implements Value {}

  private static final Other OTHER = new Other();

  private final String text;
  private int at;
  private int line = 1;

  private JsonReader(String text) {
    this.text = text;
  }

  /**
   * Reads one JSON text.
   *
   * @throws IllegalArgumentException saying the line and what was expected
   */
  static Value read(String text) {
    JsonReader r = new JsonReader(text);
    r.skipSpace();
    Value v = r.value(0);
    r.skipSpace();
    if (r.at < text.length()) {
      throw r.error("text after the JSON value: expected the end of the file");
    }
    return v;
  }

  private Value value(int depth) {
    if (depth >= MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + ": expected a flatter document");
    }
    if (at >= text.length()) {
      throw error("end of file: expected a value");
    }
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("'" + c + "': expected a value");
    }
  }

  private Obj object(int depth) {
    int opened = line;
    at++;
    Map<String, Value> members = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      at++;
      return new Obj(Collections.unmodifiableMap(members), opened);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a member name in double quotes");
      }
      String name = string().value();
      skipSpace();
      expect(':');
      skipSpace();
      Value v = value(depth + 1);
      if (members.putIfAbsent(name, v) != null) {
        throw error("member \"" + name + "\" repeated: expected each name once per object");
      }
      skipSpace();
      char c = peek();
      at++;
      if (c == '}') {
        return new Obj(Collections.unmodifiableMap(members), opened);
      }
      if (c != ',') {
        at--;
        throw error("expected ',' or '}' in an object");
      }
    }
  }

  private Arr array(int depth) {
    at++;
    List<Value> elements = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      at++;
      return new Arr(Collections.unmodifiableList(elements));
    }
    while (true) {
      skipSpace();
      elements.add(value(depth + 1));
      skipSpace();
      char c = peek();
      at++;
      if (c == ']') {
        return new Arr(Collections.unmodifiableList(elements));
      }
      if (c != ',') {
        at--;
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private Str string() {
    int opened = line;
    at++;
    StringBuilder sb = null;
    int runStart = at;
    while (true) {
      if (at >= text.length()) {
        throw error("end of file inside a string: expected a closing '\"'");
      }
      char c = text.charAt(at);
      if (c == '"') {
        String s = sb == null ? text.substring(runStart, at) : sb.append(text, runStart, at)
            .toString();
        at++;
        return new Str(s, opened);
      }
      if (c < 0x20) {
        throw error("control character U+" + hex4(c) + " in a string: expected it escaped");
      }
      if (Character.isSurrogate(c)) {
        // The text came from strict UTF-8, so surrogates here are always paired.
        at++;
        continue;
      }
      if (c != '\\') {
        at++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(text, runStart, at);
      at++;
      char e = peek();
      at++;
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(unicodeEscape());
        default -> {
          at--;
          throw error("bad escape: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        }
      }
      runStart = at;
    }
  }

  /** The character(s) of {@code \\uXXXX}, a surrogate pair as two escapes. */
  private String unicodeEscape() {
    char c = hexChar();
    if (Character.isHighSurrogate(c)) {
      if (at + 1 < text.length() && text.charAt(at) == '\\' && text.charAt(at + 1) == 'u') {
        at += 2;
        char low = hexChar();
        if (Character.isLowSurrogate(low)) {
          return new String(new char[] {c, low});
        }
      }
      throw error("unpaired surrogate escape: expected a high and a low \\u escape");
    }
    if (Character.isLowSurrogate(c)) {
      throw error("unpaired surrogate escape: expected a high and a low \\u escape");
    }
    return String.valueOf(c);
  }

  private char hexChar() {
    if (at + 4 > text.length()) {
      throw error("end of file in a \\u escape: expected four hex digits");
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(text.charAt(at + k), 16);
      if (d < 0 || text.charAt(at + k) > 'f') {
        throw error("bad \\u escape: expected four hex digits");
      }
      v = (v << 4) | d;
    }
    at += 4;
    return (char) v;
  }

  private Other number() {
    // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (!digits()) {
      throw error("expected a digit in a number");
    }
    if (peek() == '.') {
      at++;
      if (!digits()) {
        throw error("expected a digit after '.' in a number");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (!digits()) {
        throw error("expected a digit in a number's exponent");
      }
    }
    return OTHER;
  }

  private boolean digits() {
    int from = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at > from;
  }

  private Other literal(String word) {
    if (!text.startsWith(word, at)) {
      throw error("expected true, false or null");
    }
    at += word.length();
    return OTHER;
  }

  private void skipSpace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '\n') {
        line++;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      at++;
    }
  }

  /** The next character, or U+0000 at the end (never valid where it is looked at). */
  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("line " + line + ": malformed JSON: " + what);
  }

  private static String hex4(char c) {
    String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    return "0000".substring(h.length()) + h;
  }
}
