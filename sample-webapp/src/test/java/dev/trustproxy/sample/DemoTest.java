package dev.trustproxy.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs {@code demo} once, in this JVM, and checks what every step printed. */
class DemoTest {

  private static int exitCode;
  private static String output;
  private static String errors;

  @BeforeAll
  static void runDemo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    exitCode = Main.run(new String[] {"demo"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    output = out.toString(StandardCharsets.UTF_8);
    errors = err.toString(StandardCharsets.UTF_8);
  }

  static Stream<Arguments> steps() {
    return Stream.of(
        Arguments.of("1 direct request: req.ip is the loopback peer", 1,
            "curl http://localhost:PORT/", null,
            List.of("req.ip: \"127.0.0.1\"", "req.xff: undefined", "req.ips: []",
                "req.protocol: \"http\"", "req.hostname: \"localhost\""),
            "ok: req.ip is the loopback peer"),
        Arguments.of("2 through the TLS proxy: https, client from the proxy's entry", 2,
            "curl --cacert CA https://localhost:PORT/", null,
            List.of("req.ip: \"127.0.0.1\"", "req.xff: \"127.0.0.1\"",
                "req.ips: [\"127.0.0.1\"]", "req.protocol: \"https\"",
                "req.hostname: \"localhost\""),
            "ok: the client is the proxy's peer"),
        Arguments.of("3 forged X-Forwarded-For through the proxy is ignored", 3,
            "curl --cacert CA -H 'X-Forwarded-For: 10.0.0.1' https://localhost:PORT/", null,
            List.of("req.ip: \"127.0.0.1\"", "req.xff: \"10.0.0.1, 127.0.0.1\"",
                "req.ips: [\"127.0.0.1\"]", "req.protocol: \"https\"",
                "req.hostname: \"localhost\""),
            "ok: the forged entry is left of the one hop the app trusts"),
        Arguments.of("4 PROXY + TLS: req.ip is the client the load balancer names", 4,
            "curl --haproxy-protocol --haproxy-clientip 198.51.100.22 --cacert CA"
                + " -H 'X-Forwarded-For: 127.0.0.4, 127.0.0.3, 127.0.0.2' https://localhost:PORT/",
            "  (first bytes on the connection: PROXY TCP4 198.51.100.22 127.0.0.1 N N)",
            List.of("req.ip: \"198.51.100.22\"",
                "req.xff: \"127.0.0.4, 127.0.0.3, 127.0.0.2, 198.51.100.22\"",
                "req.ips: [\"198.51.100.22\"]", "req.protocol: \"https\"",
                "req.hostname: \"localhost\""),
            "ok: req.ip is the client the load balancer saw"),
        Arguments.of("5 bypassing client fools a bare hop count", 5,
            "curl --haproxy-protocol --haproxy-clientip 203.0.113.7"
                + " -H 'X-Forwarded-For: 10.0.0.1' http://localhost:PORT/",
            "  (first bytes on the connection: PROXY TCP4 203.0.113.7 127.0.0.1 N N)",
            List.of("req.ip: \"10.0.0.1\"", "req.xff: \"10.0.0.1\"", "req.ips: [\"10.0.0.1\"]",
                "req.protocol: \"http\"", "req.hostname: \"localhost\""),
            "ok: FOOLED, as expected"),
        Arguments.of("6 the peer gate refuses the bypassing client's header", 6,
            "curl --haproxy-protocol --haproxy-clientip 203.0.113.7"
                + " -H 'X-Forwarded-For: 10.0.0.1' http://localhost:PORT/",
            "  (first bytes on the connection: PROXY TCP4 203.0.113.7 127.0.0.1 N N)",
            List.of("req.ip: \"203.0.113.7\"", "req.xff: \"10.0.0.1\"", "req.ips: []",
                "req.protocol: \"http\"", "req.hostname: \"localhost\""),
            "ok: refused: 203.0.113.7 is not a trusted peer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void stepShowsWhatItShould(String name, int step, String command, String proxyLine,
      List<String> answer, String verdict) {
    List<String> lines = stepLines(step);
    int at = 0;
    assertThat(normalized(lines.get(++at))).isEqualTo("$ " + command);
    if (proxyLine != null) {
      assertThat(normalized(lines.get(++at))).isEqualTo(proxyLine);
    }
    assertThat(lines.subList(at + 1, at + 1 + answer.size())).containsExactlyElementsOf(answer);
    assertThat(lines.get(at + 1 + answer.size())).startsWith("  " + verdict);
    assertThat(lines).hasSize(at + 2 + answer.size());
  }

  @Test
  void everyStepPassesAndTheDemoExitsZero() {
    assertThat(errors).isEmpty();
    assertThat(output).endsWith("\nAll 6 steps showed what they should.\n")
        .doesNotContain("FAILED");
    assertThat(exitCode).isZero();
  }

  @Test
  void headerNamesTheServersAndTheCaFile() {
    List<String> head = output.lines().takeWhile(line -> !line.isEmpty()).toList();
    assertThat(head).hasSize(7);
    assertThat(normalized(head.get(2))).isEqualTo(
        "  app        http://localhost:PORT/   (filter: --trust-proxy 1)");
    assertThat(head.get(5)).matches("  CA file    .*ca\\.pem  \\(made at start; for curl --cacert\\)");
  }

  /** The lines of step {@code n}: its title line, command, answer and verdict (no blank). */
  private static List<String> stepLines(int n) {
    String[] blocks = output.split("\n\n");
    for (String block : blocks) {
      if (block.startsWith(n + ". ")) {
        List<String> lines = block.lines().toList();
        // A title may wrap onto indented lines: keep its first line only.
        return Stream.concat(Stream.of(lines.get(0)),
            lines.stream().skip(1).filter(line -> !line.startsWith("   "))).toList();
      }
    }
    throw new AssertionError("no step " + n + " in:\n" + output);
  }

  /** Ports, the CA path and PROXY header ports vary from run to run. */
  private static String normalized(String line) {
    return line.replaceAll("localhost:\\d+", "localhost:PORT")
        .replaceAll("--cacert \\S+ca\\.pem", "--cacert CA")
        .replaceAll("127\\.0\\.0\\.1 \\d+ \\d+\\)", "127.0.0.1 N N)");
  }
}
