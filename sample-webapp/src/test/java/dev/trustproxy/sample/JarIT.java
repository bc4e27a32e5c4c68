package dev.trustproxy.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The executable jar as users run it, {@code java -jar target/trustproxy-sample.jar ...}, in its
 * own JVM: proves the shaded jar carries everything (BouncyCastle, Jetty's service files, slf4j).
 */
@Tag("integration")
class JarIT {

  private static final Path JAR = Path.of("target", "trustproxy-sample.jar");

  @Test
  void demoPassesEveryStepAndExitsZero() throws Exception {
    Result result = run(List.of("demo"));
    assertThat(result.out).contains("\n4. Through a load balancer")
        .contains("""
            req.ip: "198.51.100.22"
            req.xff: "127.0.0.4, 127.0.0.3, 127.0.0.2, 198.51.100.22"
            req.ips: ["198.51.100.22"]
            req.protocol: "https"
            req.hostname: "localhost"
              ok: req.ip is the client the load balancer saw""")
        .endsWith("All 6 steps showed what they should.\n");
    assertThat(result.code).as("exit code; stderr: %s", result.err).isZero();
  }

  @Test
  void badTrustValueExitsTwoQuotingIt() throws Exception {
    Result result = run(List.of("app", "--port", "0", "--trust-proxy", "10.0.0.0/33"));
    assertThat(result.err).startsWith(
        "app: --trust-proxy: '10.0.0.0/33' has a prefix length that is too long");
    assertThat(result.code).isEqualTo(2);
  }

  static Stream<Arguments> serveCommands() {
    return Stream.of(
        Arguments.of("direct to the app", 0, "127.0.0.1", "undefined", "http"),
        Arguments.of("through the TLS proxy", 1, "127.0.0.1", "\"127.0.0.1\"", "https"),
        Arguments.of("forged X-Forwarded-For is ignored", 2, "127.0.0.1",
            "\"10.0.0.1, 127.0.0.1\"", "https"),
        Arguments.of("PROXY protocol from curl itself", 3, "127.0.0.1", "\"127.0.0.1\"",
            "https"));
  }

  /** Starts {@code serve}, pastes its n-th curl command into bash, checks the answer. */
  @RealPeers(Peer.CURL)
  @ParameterizedTest(name = "serve: {0}")
  @MethodSource("serveCommands")
  void servePrintsCurlCommandsThatWork(String name, int index, String ip, String xff,
      String protocol) throws Exception {
    Process serve = start(List.of("serve"));
    Path caFile = null;
    try {
      List<String> curls = new ArrayList<>();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = out.readLine()) != null && !line.startsWith("  # curl 8.2"); ) {
        if (line.startsWith("  curl ")) {
          curls.add(line.strip());
        } else if (line.startsWith("  CA file    ")) {
          caFile = Path.of(line.substring("  CA file    ".length()));
        }
      }
      assertThat(curls).hasSize(4);
      Process curl = new ProcessBuilder("bash", "-c", curls.get(index) + " -sS --max-time 20")
          .redirectErrorStream(true).start();
      String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(answer).isEqualTo("req.ip: \"" + ip + "\"\nreq.xff: " + xff + "\n"
          + "req.ips: " + (xff.equals("undefined") ? "[]" : "[\"" + ip + "\"]") + "\n"
          + "req.protocol: \"" + protocol + "\"\nreq.hostname: \"localhost\"\n");
    } finally {
      serve.destroy();
      if (!serve.waitFor(20, TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
    }
    assertThat(caFile).as("CA file line").isNotNull();
    assertThat(caFile.getParent()).as("CA folder removed when serve stops").doesNotExist();
  }

  private record Result(int code, String out, String err) {}

  private static Result run(List<String> args) throws Exception {
    Process process = start(args);
    process.getOutputStream().close();
    // Read stderr on its own thread so neither pipe can fill up and block the JVM.
    StringBuilder err = new StringBuilder();
    Thread errReader = new Thread(() -> {
      try {
        err.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.append(e);
      }
    });
    errReader.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited in time").isTrue();
    errReader.join();
    return new Result(process.exitValue(), out, err.toString());
  }

  private static Process start(List<String> args) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run after package");
    }
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        // The same no-DNS hosts file as this test JVM: the jar must not need a lookup.
        "-Djdk.net.hosts.file=" + System.getProperty("trustproxy.hostsFile"),
        "-jar", JAR.toString()));
    command.addAll(args);
    return new ProcessBuilder(command).start();
  }
}
