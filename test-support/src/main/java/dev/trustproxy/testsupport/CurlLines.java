package dev.trustproxy.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request by the system curl from a chosen loopback address, whose response body is {@code
 * key=value} lines (the tests' echo servlets), read into a map.
 */
public final class CurlLines {

  /** The key of the response's {@code Set-Cookie} (empty when none; curl 7.84 or newer). */
  public static final String SET_COOKIE = "curl.setCookie";

  private CurlLines() {}

  /**
   * The body's {@code key=value} lines and {@link #SET_COOKIE}; fails, quoting curl's output,
   * when curl does not exit with 0.
   *
   * @param options curl options before the URL, such as {@code -H} and a header
   */
  public static Map<String, String> get(String clientAddress, String url, String... options) {
    List<String> command = new ArrayList<>(List.of(Peer.CURL.path(), "-sS", "--max-time", "15",
        "--noproxy", "*", "--interface", clientAddress,
        "--write-out", "\n" + SET_COOKIE + "=%header{set-cookie}\n"));
    command.addAll(List.of(options));
    command.add(url);
    ExternalProcess.Result result = ExternalProcess.run(Duration.ofSeconds(30), command)
        .requireSuccess();
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : result.stdout().lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }
}
