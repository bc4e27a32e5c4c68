package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * RFC 7239 on arbitrary headers: {@code proto=}/{@code host=} come from the element the client
 * came from, and nothing left of that element changes the answer (README D21, D42).
 *
 * <p>Properties, for four trust settings:
 *
 * <ol>
 *   <li>The element the walk reports for the client parses, under an independent strict
 *       left-to-right parser written here (the oracle), to the same {@code for=} address, and the
 *       scheme and host applied are the oracle's {@code proto=}/{@code host=} of that element.
 *   <li>When the oracle parses the whole header, that element is the oracle's element at the
 *       client's index, counted from the right over non-empty elements.
 *   <li>When the walk stopped at an untrusted client with text left of its element, replacing that
 *       text with attack prefixes (unclosed and escaped quotes) changes nothing.
 * </ol>
 *
 * <p>Seeds ({@code ForwardedClientElementFuzzTestInputs/}) are {@code FuzzedDataProvider} input:
 * the header text, then one byte read from the end (the trust setting).
 */
@Tag("fuzz")
class ForwardedClientElementFuzzTest {

  private static final ClientResolver[] RESOLVERS = {
    ClientResolver.of(TrustPolicy.hops(1)),
    ClientResolver.of(TrustPolicy.hops(2)),
    ClientResolver.of(TrustPolicy.parse("10.0.0.0/8, fd00::/8")),
    ClientResolver.of(TrustPolicy.all()),
  };
  private static final IpAddress PEER = IpAddress.parse("10.0.0.1");
  private static final String[] PREFIXES = {
    "for=6.6.6.6;host=evil.example;proto=http;x=\"a\\\"b\"",
    "for=6.6.6.6;host=evil.example;proto=http;x=\"",
    "x=\"\\\"\"", "\\", "\"",
  };

  @FuzzTest(maxDuration = "10s")
  void parametersComeFromTheClientsElement(FuzzedDataProvider data) {
    ClientResolver resolver = RESOLVERS[data.consumeInt(0, RESOLVERS.length - 1)];
    String header = data.consumeRemainingAsString();
    Forwarding f = read(resolver, header);
    Resolution r = f.resolution();
    if (!r.fromHeader()) {
      assertThat(f.scheme()).isNull();
      assertThat(f.serverName()).isNull();
      return;
    }
    int start = r.clientElementStart();
    int end = r.clientElementEnd();
    assertThat(start).isBetween(0, end);
    assertThat(end).isLessThanOrEqualTo(header.length());
    assertThat(start == 0 || header.charAt(start - 1) == ',').as("element start").isTrue();
    assertThat(end == header.length() || header.charAt(end) == ',').as("element end").isTrue();

    // 1. The client's element, parsed by the oracle alone.
    Map<String, String> element = Oracle.element(header.substring(start, end));
    assertThat(element).as("the oracle parses the client's element %s",
        header.substring(start, end)).isNotNull();
    assertThat(Entries.address(element.get("for"), 0, element.get("for").length()))
        .isEqualTo(r.client());
    assertThat(f.scheme()).isEqualTo(scheme(element.get("proto")));
    HeaderValues.HostPort host = element.get("host") == null
        ? null : HeaderValues.hostAndPort(element.get("host"));
    assertThat(f.serverName()).isEqualTo(host == null ? null : host.host());

    // 2. The whole header, when the oracle parses it.
    List<int[]> elements = Oracle.elements(header);
    if (elements != null) {
      int[] span = elements.get(elements.size() - r.clientIndex());
      assertThat(header.substring(span[0], span[1]).strip())
          .isEqualTo(header.substring(start, end).strip());
    }

    // 3. Text left of the client's element cannot change the answer.
    if (!r.stoppedOnInvalid() && Entries.hasContentBefore(header, start)) {
      for (String prefix : PREFIXES) {
        Forwarding attacked = read(resolver, prefix + ", " + header.substring(start));
        assertThat(attacked.remoteAddr()).isEqualTo(f.remoteAddr());
        assertThat(attacked.scheme()).isEqualTo(f.scheme());
        assertThat(attacked.serverName()).isEqualTo(f.serverName());
        assertThat(attacked.serverPort()).isEqualTo(f.serverPort());
        assertThat(attacked.resolution().clientIndex()).isEqualTo(r.clientIndex());
      }
    }
  }

  private static Forwarding read(ClientResolver resolver, String header) {
    return Forwarding.read(resolver, Forwarding.Headers.FORWARDED, PEER, "http",
        h -> h.equals("Forwarded") ? header : null);
  }

  private static String scheme(String proto) {
    if (proto == null) {
      return null;
    }
    String lower = proto.toLowerCase(Locale.ROOT);
    return lower.equals("http") || lower.equals("https") ? lower : null;
  }

  /**
   * A second, independent reading of RFC 7239 §4 for this test only: left to right over the
   * whole header, character classes written out again, no code shared with the library.
   */
  static final class Oracle {

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private Oracle() {}

    /** The spans of every element (empty ones included), or null when any does not parse. */
    static List<int[]> elements(String h) {
      List<int[]> spans = new ArrayList<>();
      int i = 0;
      while (true) {
        int start = i;
        boolean quoted = false;
        while (i < h.length()) {
          char c = h.charAt(i);
          if (quoted && c == '\\') {
            i++;
          } else if (c == '"') {
            quoted = !quoted;
          } else if (c == ',' && !quoted) {
            break;
          }
          i++;
        }
        if (quoted || i > h.length()) {
          return null;
        }
        String text = h.substring(start, i);
        if (!text.isBlank() && element(text) == null) {
          return null;
        }
        if (!text.replace(" ", "").replace("\t", "").isEmpty()) {
          spans.add(new int[] {start, i});
        }
        if (i == h.length()) {
          return spans;
        }
        i++;
      }
    }

    /** The lower-case names and raw values of one element, or null when it does not parse. */
    static Map<String, String> element(String e) {
      Map<String, String> params = new HashMap<>();
      int i = skip(e, 0);
      while (i < e.length()) {
        if (e.charAt(i) == ';') {
          i = skip(e, i + 1);
          continue;
        }
        int nameStart = i;
        while (i < e.length() && isTchar(e.charAt(i))) {
          i++;
        }
        if (i == nameStart || i == e.length() || e.charAt(i) != '=') {
          return null;
        }
        String name = e.substring(nameStart, i).toLowerCase(Locale.ROOT);
        i++;
        StringBuilder value = new StringBuilder();
        if (i < e.length() && e.charAt(i) == '"') {
          i++;
          while (true) {
            if (i == e.length()) {
              return null;
            }
            char c = e.charAt(i);
            if (c == '"') {
              i++;
              break;
            }
            if (c == '\\') {
              value.append(c);
              i++;
              if (i == e.length() || !isQuotable(e.charAt(i))) {
                return null;
              }
              c = e.charAt(i);
            } else if (!isQuotable(c)) {
              return null;
            }
            value.append(c);
            i++;
          }
        } else {
          int valueStart = i;
          while (i < e.length() && isTchar(e.charAt(i))) {
            i++;
          }
          if (i == valueStart) {
            return null;
          }
          value.append(e, valueStart, i);
        }
        boolean known = List.of("for", "by", "host", "proto").contains(name);
        if (known && params.containsKey(name)) {
          return null;
        }
        if (known) {
          params.put(name, value.toString());
        }
        i = skip(e, i);
        if (i < e.length() && e.charAt(i) != ';') {
          return null;
        }
      }
      return params.containsKey("for") && !params.get("for").isEmpty() ? params : null;
    }

    private static int skip(String e, int i) {
      while (i < e.length() && (e.charAt(i) == ' ' || e.charAt(i) == '\t')) {
        i++;
      }
      return i;
    }

    private static boolean isTchar(char c) {
      return c < 128 && (Character.isLetterOrDigit(c) || TCHAR_SYMBOLS.indexOf(c) >= 0);
    }

    private static boolean isQuotable(char c) {
      return c == '\t' || (c >= ' ' && c != 127 && c <= 255);
    }
  }
}
