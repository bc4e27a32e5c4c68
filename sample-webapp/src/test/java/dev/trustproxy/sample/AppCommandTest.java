package dev.trustproxy.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code app} command as a user meets it: flags parsed by the same code as web.xml, bad input
 * refused with exit code 2 and a message naming the flag and quoting the value, and the started
 * app reporting the client the trust setting implies. Peers are set with a PROXY header
 * ({@code --proxy-protocol}).
 */
class AppCommandTest {

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of("hop count with leading zero", List.of("--port", "0", "--trust-proxy", "01"),
            "app: --trust-proxy: '01' is a hop count with a leading zero"),
        Arguments.of("host name as trust value",
            List.of("--port", "0", "--trust-proxy", "localhost"),
            "app: --trust-proxy: 'localhost' is not an IP address or range"),
        Arguments.of("prefix too long", List.of("--port", "0", "--trust-proxy", "10.0.0.0/33"),
            "app: --trust-proxy: '10.0.0.0/33' has a prefix length that is too long"),
        Arguments.of("hop count out of range",
            List.of("--port", "0", "--trust-proxy", "2147483648"),
            "app: --trust-proxy: '2147483648' is a hop count out of range"),
        Arguments.of("bad peer gate",
            List.of("--port", "0", "--trust-proxy", "1", "--trusted-peers", "300.1.1.1"),
            "app: --trusted-peers: '300.1.1.1' is not an IP address or range"),
        Arguments.of("port not a number", List.of("--port", "http", "--trust-proxy", "1"),
            "app: --port: 'http' is not a port: expected 0..65535"),
        Arguments.of("port too large", List.of("--port", "65536", "--trust-proxy", "1"),
            "app: --port: '65536' is not a port"),
        Arguments.of("trust-proxy missing", List.of("--port", "0"),
            "app: --trust-proxy is required"),
        Arguments.of("port missing", List.of("--trust-proxy", "1"), "app: --port is required"),
        Arguments.of("flag without value", List.of("--trust-proxy", "1", "--port"),
            "app: --port needs a value"),
        Arguments.of("unknown flag", List.of("--port", "0", "--trust", "1"),
            "app: unknown flag '--trust'"),
        Arguments.of("flag given twice",
            List.of("--port", "0", "--trust-proxy", "1", "--trust-proxy", "2"),
            "app: --trust-proxy is given twice"),
        Arguments.of("a header name that is not a token",
            List.of("--port", "0", "--trust-proxy", "1", "--forwarded-header", "x real ip"),
            "app: --forwarded-header: 'x real ip' is not a header name: expected"
                + " x-forwarded-for, forwarded, or the name of one header holding one address"),
        Arguments.of("both header families at once",
            List.of("--port", "0", "--trust-proxy", "1", "--forwarded-header",
                "x-forwarded-for,forwarded"),
            "app: --forwarded-header: 'x-forwarded-for,forwarded' is not a header name"),
        Arguments.of("empty header name",
            List.of("--port", "0", "--trust-proxy", "1", "--forwarded-header="),
            "app: --forwarded-header: '' is not a header name"),
        Arguments.of("unknown adapter",
            List.of("--port", "0", "--trust-proxy", "1", "--adapter", "valve"),
            "app: --adapter: 'valve' is not an adapter: expected filter or customizer"),
        Arguments.of("adapter without value", List.of("--port", "0", "--trust-proxy", "1",
            "--adapter"), "app: --adapter needs a value"),
        Arguments.of("value for a switch",
            List.of("--port", "0", "--trust-proxy", "1", "--proxy-protocol=yes"),
            "app: --proxy-protocol takes no value, but got 'yes'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFlags")
  void badFlagExitsTwoNamingFlagAndValue(String name, List<String> flags, String message) {
    List<String> args = new ArrayList<>(List.of("app"));
    args.addAll(flags);
    Run run = run(args.toArray(String[]::new));
    assertThat(run.err).startsWith(message)
        .contains("Run 'java -jar trustproxy-sample.jar app --help' for usage.");
    assertThat(run.out).isEmpty();
    assertThat(run.code).isEqualTo(2);
  }

  static Stream<Arguments> usage() {
    return Stream.of(
        Arguments.of("no command prints usage to stderr", List.of(), 2, "",
            "Usage: java -jar trustproxy-sample.jar COMMAND"),
        Arguments.of("help", List.of("help"), 0,
            "Usage: java -jar trustproxy-sample.jar COMMAND", ""),
        Arguments.of("app --help lists the peer gate", List.of("app", "--help"), 0,
            "--trusted-peers RANGES", ""),
        Arguments.of("app --help lists the header families", List.of("app", "--help"), 0,
            "x-forwarded-for (default: X-Forwarded-For, -Proto, -Host, -Port)", ""),
        Arguments.of("app --help lists the adapters", List.of("app", "--help"), 0,
            "--adapter ADAPTER       filter (default)", ""),
        Arguments.of("demo --help", List.of("demo", "--help"), 0,
            "Exits 0 only if every step showed what it should.", ""),
        Arguments.of("serve --help", List.of("serve", "--help"), 0,
            "--haproxy-protocol", ""),
        Arguments.of("unknown command", List.of("start"), 2, "",
            "unknown command 'start': expected demo, serve, app or help"),
        Arguments.of("demo takes no flags", List.of("demo", "--port", "1"), 2, "",
            "demo: unexpected argument '--port': demo takes no flags"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usage")
  void usageAndHelp(String name, List<String> args, int code, String out, String err) {
    Run run = run(args.toArray(String[]::new));
    assertThat(run.out).contains(out);
    assertThat(run.err).contains(err);
    if (out.isEmpty()) {
      assertThat(run.out).isEmpty();
    } else {
      assertThat(run.err).isEmpty();
    }
    assertThat(run.code).isEqualTo(code);
  }

  static Stream<Arguments> clients() {
    String xff = "X-Forwarded-For: 198.51.100.22, 10.0.0.1";
    return Stream.of(
        Arguments.of("false ignores the header", "false", null, "10.0.0.2", xff, "10.0.0.2"),
        Arguments.of("true takes the left-most entry", "true", null, "10.0.0.2", xff,
            "198.51.100.22"),
        Arguments.of("1 trusts the peer only", "1", null, "10.0.0.2", xff, "10.0.0.1"),
        Arguments.of("2 trusts the peer and one entry", "2", null, "10.0.0.2", xff,
            "198.51.100.22"),
        Arguments.of("range trusts its proxies", "10.0.0.0/8", null, "10.0.0.2", xff,
            "198.51.100.22"),
        Arguments.of("range ignores a peer outside it", "10.0.0.0/8", null, "203.0.113.7", xff,
            "203.0.113.7"),
        Arguments.of("hop count with peer gate: peer inside", "1", "10.0.0.0/8", "10.0.0.2",
            xff, "10.0.0.1"),
        Arguments.of("hop count with peer gate: bypassing peer refused", "1", "10.0.0.0/8",
            "203.0.113.7", xff, "203.0.113.7"),
        Arguments.of("walk stops at an invalid entry", "true", null, "10.0.0.2",
            "X-Forwarded-For: 198.51.100.22, unknown", "10.0.0.2"),
        Arguments.of("no header: the peer", "true", null, "203.0.113.7", null, "203.0.113.7"),
        Arguments.of("IPv6 peer and entry, canonical", "uniquelocal", null, "fd00::2",
            "X-Forwarded-For: 2001:DB8:0::1", "2001:db8::1"),
        Arguments.of("peer gate from a range file: peer inside", "1", rangeFile("10.0.0.0/8"),
            "10.0.0.2", xff, "10.0.0.1"),
        Arguments.of("peer gate from a range file: bypassing peer refused", "1",
            rangeFile("10.0.0.0/8"), "203.0.113.7", xff, "203.0.113.7"));
  }

  /** A {@code file:} item naming a new range file that holds {@code ranges}. */
  private static String rangeFile(String ranges) {
    try {
      Path file = Files.createTempFile("trusted-peers", ".txt");
      file.toFile().deleteOnExit();
      Files.writeString(file, ranges + "\n");
      return "file:" + file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void appReportsTheClientTheTrustSettingImplies(String name, String trust, String peers,
      String peer, String header, String expectedIp) throws Exception {
    List<String> flags = new ArrayList<>(List.of("--port", "0", "--trust-proxy", trust,
        "--proxy-protocol"));
    if (peers != null) {
      flags.addAll(List.of("--trusted-peers", peers));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (App app = Main.startApp(flags, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("app listening on http://localhost:" + app.port() + "/");
      LoadBalancerClient.Exchange exchange = header == null
          ? LoadBalancerClient.get(app.port(), peer, null)
          : LoadBalancerClient.get(app.port(), peer, null, header);
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.body()).startsWith("req.ip: \"" + expectedIp + "\"\n");
    }
  }

  static Stream<Arguments> startLines() {
    return Stream.of(
        Arguments.of("defaults: the filter reading X-Forwarded-*", List.of(),
            "  filter: ClientResolver[trust=1], forwarded-header x-forwarded-for\n"),
        Arguments.of("the customizer reading RFC 7239",
            List.of("--adapter", "customizer", "--forwarded-header", "Forwarded"),
            "  customizer: ClientResolver[trust=1], forwarded-header forwarded\n"),
        Arguments.of("values in flag=value form, with the PROXY protocol",
            List.of("--adapter=filter", "--forwarded-header=forwarded", "--proxy-protocol"),
            "  filter: ClientResolver[trust=1], forwarded-header forwarded,"
                + " PROXY protocol from loopback\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("startLines")
  void startLineNamesAdapterAndHeaderFamily(String name, List<String> extra, String line)
      throws Exception {
    List<String> flags = new ArrayList<>(List.of("--port", "0", "--trust-proxy", "1"));
    flags.addAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (App app = Main.startApp(flags, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
          "app listening on http://localhost:" + app.port() + "/ (127.0.0.1)\n" + line);
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
