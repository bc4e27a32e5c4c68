package dev.trustproxy.jetty.peers;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the system curl against 127.0.0.1, from a chosen loopback address and port so that each
 * test knows exactly which client address and port the application must see.
 */
final class Curl {

  /**
   * Curl's exit codes for "connected, then the server closed without an HTTP response": 52 empty
   * reply, 55 send failed (the close raced curl's first write), 56 receive failed (reset).
   * Not 7: that is "could not connect", which would mean no server at all.
   */
  static final List<Integer> CONNECTION_CLOSED = List.of(52, 55, 56);

  private static final String STATUS_KEY = "curl.status";

  /** What curl got: the exit code, the HTTP status (0 if none) and the echo lines. */
  record Response(ExternalProcess.Result result, int status, Map<String, String> echo) {
    String get(String key) {
      return echo.get(key);
    }

    @Override
    public String toString() {
      return result.toString();
    }
  }

  private final String curl = Peer.CURL.path();
  private final List<String> options = new ArrayList<>();

  private Curl() {}

  /** A curl run from {@code clientIp} (a 127.0.0.0/8 address) and a free local port. */
  static Curl from(String clientIp) {
    Curl c = new Curl();
    c.options.addAll(List.of("--interface", clientIp));
    return c.localPort(ExternalProcess.freePort());
  }

  private int localPort;

  private Curl localPort(int port) {
    localPort = port;
    options.addAll(List.of("--local-port", String.valueOf(port)));
    return this;
  }

  /** The source port curl binds, which the PROXY header must carry as the client port. */
  int localPort() {
    return localPort;
  }

  /** Extra curl options, such as {@code --haproxy-protocol} or TLS settings. */
  Curl with(String... more) {
    options.addAll(List.of(more));
    return this;
  }

  Response get(String url) {
    List<Response> responses = getAll(url);
    return responses.get(0);
  }

  /**
   * Fetches the URLs one after another in one curl run, which reuses the connection when it can
   * (the echo key {@code curl.connects} is then 0 for the later ones). {@code curl.setCookie} is
   * the response's {@code Set-Cookie}, empty when it has none (curl 7.84 or newer).
   */
  List<Response> getAll(String... urls) {
    List<String> command = new ArrayList<>(List.of(curl, "-q", "--silent", "--show-error",
        "--noproxy", "*", "--max-time", "10", "--write-out",
        "\ncurl.connects=%{num_connects}\ncurl.setCookie=%header{set-cookie}\n" + STATUS_KEY
            + "=%{http_code}\n"));
    command.addAll(options);
    command.addAll(List.of(urls));
    ExternalProcess.Result result = ExternalProcess.run(Duration.ofSeconds(20), command);
    List<Response> responses = new ArrayList<>();
    Map<String, String> echo = new LinkedHashMap<>();
    for (String line : result.stdout().lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        echo.put(line.substring(0, eq), line.substring(eq + 1));
      }
      if (line.startsWith(STATUS_KEY + "=")) {
        responses.add(new Response(result, Integer.parseInt(echo.get(STATUS_KEY)), echo));
        echo = new LinkedHashMap<>();
      }
    }
    if (responses.isEmpty()) {
      // curl printed nothing for a URL only when it could not start at all.
      responses.add(new Response(result, 0, echo));
    }
    return responses;
  }
}
